using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Control.Tests.Sensitivity;

/// <summary>The worked problems of docs/sensitivity.md</summary>
internal static class SensitivityProblems
{
    /// <summary>§5.1: min ½q x₁² + ½r u₀², x₁ = a x₀ + b u₀; θ = (q, r, a, b).</summary>
    public static Ocp OneStepScalarLqr()
    {
        var b = new OcpBuilder("scalar_lqr", 1, 1, 1);
        var th = b.AddParameter("theta", [2.0, 0.5, 1.2, 0.7]);
        b.SetDynamics(new SxVector(th[2] * b.State[0] + th[3] * b.Control[0]));
        b.SetStageCost(0.5 * th[1] * Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(0.5 * th[0] * Sx.Sqr(b.State[0]));
        return b.Build();
    }

    /// <summary>
    /// §5.3: min ½q(x₁ − tgt)² + ½r u₀², x₁ = a x₀ + b u₀, u₀ ≤ ū written as the path row
    /// <paramref name="rowScale"/>·(u₀ − ū) ≤ 0 (<paramref name="duplicates"/> copies); θ = (q, r, a, b, tgt, ū).
    /// <paramref name="inactiveExtra"/> adds the never-active row u₀ − ū − 100 ≤ 0.
    /// </summary>
    public static Ocp OneStepBox(double ubar, double rowScale = 1.0, int duplicates = 1, bool inactiveExtra = false)
    {
        var b = new OcpBuilder("box_one_step", 1, 1, 1);
        var th = b.AddParameter("theta", [2.0, 0.5, 1.0, 1.0, 3.0, ubar]);
        Sx u = b.Control[0];
        b.SetDynamics(new SxVector(th[2] * b.State[0] + th[3] * u));
        b.SetStageCost(0.5 * th[1] * Sx.Sqr(u));
        b.SetTerminalCost(0.5 * th[0] * Sx.Sqr(b.State[0] - th[4]));
        var rows = Enumerable.Repeat(rowScale * (u - th[5]), duplicates).ToList();
        if (inactiveExtra) rows.Add(u - th[5] - 100.0);
        b.SetPathConstraints(new SxVector(rows));
        return b.Build();
    }

    /// <summary>x₁ = x₀ + u_a + u_b with cost (x₁ − 1)² only: every split of u_a + u_b is optimal (singular reduced Hessian).</summary>
    public static Ocp RedundantControls()
    {
        var b = new OcpBuilder("redundant", 1, 2, 1);
        var th = b.AddParameter("target", [1.0]);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0] + b.Control[1]));
        b.SetStageCost(Sx.Zero);
        b.SetTerminalCost(Sx.Sqr(b.State[0] - th[0]));
        return b.Build();
    }
}
