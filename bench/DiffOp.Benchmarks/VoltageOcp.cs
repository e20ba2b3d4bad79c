using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Benchmarks;

/// <summary>
/// The voltage-shaped policy OCP of docs/environments-voltage.md (paper eq. 11), built here so the benchmarks do not
/// depend on the environment project: x = [v (3), q (3), v0 (3)], u (3), θ = [C_v diag (3), A (3×3 row-major)],
/// q' = q + u, v' = A(q + u) + v0, v0' = v0; cost Σ_{i&lt;H} (0.1 uᵀu + Σ_j Cv_j (v_j − 1)²) + Σ_j Cv_j (v_H,j − 1)²;
/// q ∈ [−1.5, 1.5] × [−1.4, 1.4] × [−1.0, 1.0] (training box), v and v0 unbounded.
/// </summary>
public static class VoltageOcp
{
    public const int StateCount = 9;
    public const int ControlCount = 3;
    public const int ParameterCount = 12;

    /// <summary>Seed-0 scenario (low voltage): v = v0 = [0.898151, 0.858093, 0.865812], q = 0.</summary>
    public static readonly double[] InitialState = [0.898151, 0.858093, 0.865812, 0, 0, 0, 0.898151, 0.858093, 0.865812];

    public static Ocp Build(int horizon)
    {
        var b = new OcpBuilder("voltage_bench", StateCount, ControlCount, horizon);
        var cv = b.AddParameter("C_v", [1.0, 1.0, 1.0]);
        var a = b.AddParameter("A", [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]);
        var x = b.State;
        var u = b.Control;
        var v = x.Slice(0, 3);
        var q = x.Slice(3, 3);
        var v0 = x.Slice(6, 3);
        var qNext = q + u;
        var vNext = new Sx[3];
        for (int i = 0; i < 3; i++)
        {
            vNext[i] = v0[i] + a[3 * i] * qNext[0] + a[3 * i + 1] * qNext[1] + a[3 * i + 2] * qNext[2];
        }
        b.SetDynamics(SxVector.Concat(new SxVector(vNext), qNext, v0));
        Sx voltageCost = Sx.Zero;
        for (int j = 0; j < 3; j++)
        {
            var e = v[j] - 1.0;
            voltageCost += cv[j] * e * e;
        }
        b.SetStageCost(0.1 * u.SquaredNorm() + voltageCost);
        b.SetTerminalCost(voltageCost);
        double inf = double.PositiveInfinity;
        b.SetStateBounds(
            [-inf, -inf, -inf, -1.5, -1.4, -1.0, -inf, -inf, -inf],
            [inf, inf, inf, 1.5, 1.4, 1.0, inf, inf, inf]);
        return b.Build();
    }

    /// <summary>v for a VJP: ones on u₀ (the policy gradient's (u − u*)ᵀ∂u*₀/∂θ with u − u* = 1).</summary>
    public static double[] OnesOnFirstControl(Ocp ocp)
    {
        var v = new double[ocp.Layout.VariableCount];
        for (int j = 0; j < ocp.ControlCount; j++) v[ocp.Layout.ControlOffset(0) + j] = 1.0;
        return v;
    }
}
