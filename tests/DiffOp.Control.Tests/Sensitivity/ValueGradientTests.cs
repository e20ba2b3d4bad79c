using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Symbolic;

namespace DiffOp.Control.Tests.Sensitivity;

/// <summary>∇θV by the envelope theorem against closed forms and central finite differences of the optimal value.</summary>
[Category("Native")]
public class ValueGradientTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    private static readonly OcpSolverOptions Tight = new() { Tolerance = 1e-12, StructuredQpTolerance = 1e-13 };

    /// <summary>P1: H = 1, J = ½q x₀² + ½r u₀² + ½p x₁², x₁ = F x₀ + G u₀, θ = (q, r, p, F, G), optionally |u₀| ≤ 1.</summary>
    private static Ocp P1(bool boxed)
    {
        var b = new OcpBuilder(boxed ? "p1-box" : "p1", 1, 1, 1);
        var w = b.AddParameter("w", [1.0, 0.5, 2.0]);
        var f = b.AddParameter("f", [1.2, 0.7]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(0.5 * w[0] * Sx.Sqr(b.State[0]) + 0.5 * w[1] * Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(0.5 * w[2] * Sx.Sqr(b.State[0]));
        if (boxed) b.SetControlBounds([-1.0], [1.0]);
        return b.Build();
    }

    [TestCase(false, new[] { 1.125, 1.4495982469, 0.1848977356, 1.8243243243, -2.0708546384 }, 2.2195945946)]
    [TestCase(true, new[] { 1.125, 0.5, 0.605, 3.3, -2.2 }, 2.585)]
    public void P1_MatchesTheClosedForm(bool boxed, double[] expected, double value)
    {
        var ocp = P1(boxed);
        using var solver = new OcpSolver(ocp, Tight);
        var s = solver.Solve(ocp.InitialParameters(), [1.5], []).EnsureSuccess();
        Assert.That(s.Objective, Is.EqualTo(value).Within(1e-9));
        Assert.That(new ValueGradient(ocp).Compute(s), Is.EqualTo(expected).Within(1e-8));
    }

    /// <summary>n = 2, m = 1, learnable weights and input gain, a path row, a terminal row and state bounds (some active).</summary>
    private static Ocp Constrained()
    {
        var b = new OcpBuilder("value-constrained", 2, 1, 10);
        var w = b.AddParameter("w", [1.0, 0.5, 0.2]);
        var gain = b.AddParameter("gain", [0.1, 0.6]);
        var x = b.State; var u = b.Control;
        b.SetDynamics(new SxVector(x[0] + 0.1 * x[1], x[1] + gain[0] * u[0]));
        b.SetStageCost(w[0] * Sx.Sqr(x[0] - 1) + w[1] * Sx.Sqr(x[1]) + w[2] * Sx.Sqr(u[0]));
        b.SetTerminalCost(5 * Sx.Sqr(x[0] - 1) + Sx.Sqr(x[1]));
        b.SetPathConstraints(new SxVector(u[0] - x[1] - gain[1]));        // a row whose bound is a parameter
        b.SetTerminalConstraints(new SxVector(w[0] * x[0] + x[1] - 0.2));  // and a terminal row that depends on θ
        b.SetControlBounds([-2.0], [2.0]);
        b.SetStateBounds([double.NegativeInfinity, -0.8], [0.9, 0.8]);
        return b.Build();
    }

    private static IEnumerable<TestCaseData> FiniteDifferenceCases()
    {
        yield return new TestCaseData(LqrSamples.BoxLqr(8), LqrSamples.InitialState).SetName("BoxLqr_ActiveControlBounds");
        yield return new TestCaseData(LqrSamples.Lqr(8), LqrSamples.InitialState).SetName("Lqr_Unconstrained");
        yield return new TestCaseData(Constrained(), new[] { 0.0, 0.0 }).SetName("PathAndTerminalRows_DependingOnTheta");
    }

    [TestCaseSource(nameof(FiniteDifferenceCases))]
    public void MatchesCentralDifferencesOfTheOptimalValue(Ocp ocp, double[] x0)
    {
        using var solver = new OcpSolver(ocp, Tight);
        var theta = ocp.InitialParameters();
        var s = solver.Solve(theta, x0, ocp.DefaultContext()).EnsureSuccess();
        var gradient = new ValueGradient(ocp).Compute(s);
        var active = s.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index)).ToHashSet();
        int checkedDirections = 0;
        const double h = 1e-6;
        for (int i = 0; i < theta.Length; i++)
        {
            var plus = (double[])theta.Clone(); plus[i] += h;
            var minus = (double[])theta.Clone(); minus[i] -= h;
            var sp = solver.Solve(plus, x0, ocp.DefaultContext()).EnsureSuccess();
            var sm = solver.Solve(minus, x0, ocp.DefaultContext()).EnsureSuccess();
            bool sameActiveSet = sp.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index)).ToHashSet().SetEquals(active)
                                 && sm.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index)).ToHashSet().SetEquals(active);
            if (!sameActiveSet) continue;   // V is kinked there: the derivative is one-sided
            double fd = (sp.Objective - sm.Objective) / (2 * h);
            Assert.That(gradient[i], Is.EqualTo(fd).Within(1e-5 * (1 + Math.Abs(fd))), $"∂V/∂θ[{i}]");
            checkedDirections++;
        }
        Assert.That(checkedDirections, Is.GreaterThanOrEqualTo(theta.Length - 1));
        if (ocp.Name == "value-constrained")
            Assert.That(s.ActiveSet.Active.Any(c => c.Kind is ConstraintKind.Path or ConstraintKind.Terminal), Is.True,
                "a row that depends on θ is active, so the multiplier terms matter");
    }

    [Test]
    public void AFailedSolve_OrAnotherOcp_IsRefused()
    {
        var ocp = P1(false);
        using var solver = new OcpSolver(P1(true), Tight);
        var other = solver.Solve([1.5]);
        Assert.That(() => new ValueGradient(ocp).Compute(other), Throws.ArgumentException.With.Message.Contains("not 'p1'"));
    }
}
