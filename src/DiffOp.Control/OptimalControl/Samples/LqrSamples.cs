using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl.Samples;

/// <summary>
/// Linear-quadratic sample problems (n = 3, m = 2) used by the CLI (<c>diffop solve lqr|boxlqr</c>) and the tests:
/// min Σ_{t&lt;H} ½(x_tᵀQx_t + u_tᵀRu_t) + ½x_HᵀQx_H s.t. x_{t+1} = A x_t + B u_t,
/// with learnable θ = (q: diag Q (3), r: diag R (2), a: A row-major (9), b: B row-major (6)).
/// Defaults: Q = diag(1, 0, 0.5) (singular on purpose), R = 0.3·I, a lightly coupled A and B.
/// </summary>
public static class LqrSamples
{
    /// <summary>Default diag Q.</summary>
    public static readonly double[] QDiagonal = [1.0, 0.0, 0.5];
    /// <summary>Default diag R.</summary>
    public static readonly double[] RDiagonal = [0.3, 0.3];
    /// <summary>Default A (3×3, row-major).</summary>
    public static readonly double[] A = [1.0, 0.1, 0.0, 0.0, 1.0, 0.1, 0.05, 0.0, 0.95];
    /// <summary>Default B (3×2, row-major).</summary>
    public static readonly double[] B = [0.0, 0.05, 0.1, 0.0, 0.02, 0.1];
    /// <summary>The initial state the CLI solves from.</summary>
    public static readonly double[] InitialState = [1.0, -0.5, 0.3];
    /// <summary>Control bound of <see cref="BoxLqr"/>: |u_i| ≤ 0.5, which saturates the first controls from <see cref="InitialState"/>.</summary>
    public const double ControlLimit = 0.5;

    /// <summary>The unconstrained LQR with horizon <paramref name="horizon"/>.</summary>
    public static Ocp Lqr(int horizon = 8) => Build("lqr", horizon, boxed: false);

    /// <summary>The LQR with box bounds |u_i| ≤ <see cref="ControlLimit"/>.</summary>
    public static Ocp BoxLqr(int horizon = 8) => Build("boxlqr", horizon, boxed: true);

    private static Ocp Build(string name, int horizon, bool boxed)
    {
        var b = new OcpBuilder(name, stateCount: 3, controlCount: 2, horizon);
        var q = b.AddParameter("q", QDiagonal);
        var r = b.AddParameter("r", RDiagonal);
        var a = b.AddParameter("a", A);
        var bm = b.AddParameter("b", B);
        var aMatrix = new SxMatrix(3, 3, (i, j) => a[3 * i + j]);
        var bMatrix = new SxMatrix(3, 2, (i, j) => bm[2 * i + j]);
        var x = b.State;
        var u = b.Control;
        b.SetDynamics(aMatrix * x + bMatrix * u);
        b.SetStageCost(0.5 * (x.WeightedSquaredNorm(q) + u.WeightedSquaredNorm(r)));
        b.SetTerminalCost(0.5 * x.WeightedSquaredNorm(q));
        if (boxed) b.SetControlBounds([-ControlLimit, -ControlLimit], [ControlLimit, ControlLimit]);
        return b.Build();
    }
}
