using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Learning.Algorithms;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>The MPC as a Q-function: worked numbers, Q(s, π(s)) = V(s), ∇θQ against central differences.</summary>
[Category("Native")]
public class MpcQFunctionTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    private static readonly OcpSolverOptions Tight = new() { Tolerance = 1e-12, StructuredQpTolerance = 1e-13 };

    /// <summary>P1: H = 1, J = ½q x₀² + ½r u₀² + ½p x₁², x₁ = F x₀ + G u₀, θ = (q, r, p, F, G) = (1, 0.5, 2, 1.2, 0.7).</summary>
    private static Ocp P1()
    {
        var b = new OcpBuilder("p1", 1, 1, 1);
        var w = b.AddParameter("w", [1.0, 0.5, 2.0]);
        var f = b.AddParameter("f", [1.2, 0.7]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(0.5 * w[0] * Sx.Sqr(b.State[0]) + 0.5 * w[1] * Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(0.5 * w[2] * Sx.Sqr(b.State[0]));
        return b.Build();
    }

    [Test]
    public void P1_WorkedExample_QGradientAndTdError()
    {
        var ocp = P1();
        double[] theta = ocp.InitialParameters();
        using var q = new MpcQFunction(ocp, tail: null, Tight);
        using var solver = new OcpSolver(ocp, Tight);
        double s = 1.5, a = -1.7027027027027027 + 0.1;
        var value = q.Evaluate(theta, [s], [a], []);
        Assert.That(value.Success, Is.True);
        Assert.That(value.Value, Is.EqualTo(2.2269945946).Within(1e-9));
        Assert.That(value.Gradient, Is.EqualTo(new[] { 1.125, 1.2843279766, 0.2299153031, 2.0343243243, -2.1736113952 }).Within(1e-9));
        // True system s₊ = s + 0.5a, ℓ = ½s² + ¼a², γ = 0.9: δ = ℓ + γV(s₊) − Q.
        double next = s + 0.5 * a, cost = 0.5 * s * s + 0.25 * a * a;
        double v = solver.Solve(theta, [next], []).EnsureSuccess().Objective;
        Assert.That(v, Is.EqualTo(0.4815138541).Within(1e-9));
        Assert.That(cost + 0.9 * v - value.Value, Is.EqualTo(-0.0264681376).Within(1e-9));
    }

    [Test]
    public void AStateWhoseStageCostOverflows_IsAFailedTransition_NotAnException()
    {
        // Seen in training: Q-learning on cart-pole with a large α drove the true system so far that ½·w·s² overflowed.
        var ocp = P1();
        double[] theta = ocp.InitialParameters();
        using var q = new MpcQFunction(ocp, tail: null, Tight);
        var value = q.Evaluate(theta, [1e200], [0.0], []);
        Assert.That(value.Success, Is.False);
        Assert.That(value.Value, Is.EqualTo(double.PositiveInfinity));
        Assert.That(q.Evaluate(theta, [1.5], [0.0], []).Success, Is.True, "the same function still evaluates at a normal state");
    }

    [Test]
    public void AtThePolicysAction_QIsTheValue_AndItsGradientTheValueGradient()
    {
        var ocp = LqrSamples.BoxLqr(8);
        using var q = new MpcQFunction(ocp, LqrSamples.BoxLqr(7), Tight);
        using var solver = new OcpSolver(ocp, Tight);
        var theta = ocp.InitialParameters();
        foreach (var s in new[] { LqrSamples.InitialState, new[] { 0.2, 0.1, -0.3 } })
        {
            var plan = solver.Solve(theta, s, []).EnsureSuccess();
            var value = q.Evaluate(theta, s, plan.Control(0), []);
            Assert.That(value.Value, Is.EqualTo(plan.Objective).Within(1e-8 * (1 + Math.Abs(plan.Objective))), "Q(s, π(s)) = V(s)");
            Assert.That(value.Penalty, Is.Zero);
            Assert.That(value.Gradient, Is.EqualTo(new ValueGradient(ocp).Compute(plan)).Within(1e-6), "∇θQ(s, π(s)) = ∇θV(s)");
        }
    }

    [Test]
    public void Gradient_MatchesCentralDifferences_AwayFromThePolicy()
    {
        var ocp = LqrSamples.BoxLqr(8);
        using var q = new MpcQFunction(ocp, LqrSamples.BoxLqr(7), Tight);
        var theta = ocp.InitialParameters();
        double[] s = [0.6, -0.2, 0.1], a = [0.3, -0.4];
        var value = q.Evaluate(theta, s, a, []);
        const double h = 1e-6;
        for (int i = 0; i < theta.Length; i++)
        {
            var plus = (double[])theta.Clone(); plus[i] += h;
            var minus = (double[])theta.Clone(); minus[i] -= h;
            double fd = (q.Evaluate(plus, s, a, []).Value - q.Evaluate(minus, s, a, []).Value) / (2 * h);
            Assert.That(value.Gradient[i], Is.EqualTo(fd).Within(1e-5 * (1 + Math.Abs(fd))), $"∂Q/∂θ[{i}]");
        }
    }

    [Test]
    public void ARowFixedByTheAction_IsAnExactPenalty()
    {
        // State bounds on x₁ that the action violates: Q stays finite and grows by w·violation.
        var b = new OcpBuilder("pinned", 1, 1, 2);
        var f = b.AddParameter("f", [1.0, 1.0]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(Sx.Sqr(b.State[0]) + Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(Sx.Sqr(b.State[0]));
        b.SetStateBounds([-1.0], [1.0]);
        var ocp = b.Build();
        var tail = new OcpBuilder("pinned-tail", 1, 1, 1);
        var ft = tail.AddParameter("f", [1.0, 1.0]);
        tail.SetDynamics(new SxVector(ft[0] * tail.State[0] + ft[1] * tail.Control[0]));
        tail.SetStageCost(Sx.Sqr(tail.State[0]) + Sx.Sqr(tail.Control[0]));
        tail.SetTerminalCost(Sx.Sqr(tail.State[0]));
        tail.SetStateBounds([-1.0], [1.0]);
        using var q = new MpcQFunction(ocp, tail.Build(), Tight, penaltyWeight: 100);
        var value = q.Evaluate([1.0, 1.0], [0.5], [0.8], []);   // x₁ = 1.3 > 1
        Assert.That(value.Success, Is.True);
        Assert.That(value.Penalty, Is.EqualTo(100 * 0.3).Within(1e-12));
        const double h = 1e-6;
        for (int i = 0; i < 2; i++)
        {
            double[] plus = [1.0, 1.0], minus = [1.0, 1.0];
            plus[i] += h; minus[i] -= h;
            double fd = (q.Evaluate(plus, [0.5], [0.8], []).Value - q.Evaluate(minus, [0.5], [0.8], []).Value) / (2 * h);
            Assert.That(value.Gradient[i], Is.EqualTo(fd).Within(1e-5 * (1 + Math.Abs(fd))), $"∂Q/∂θ[{i}] with the penalty active");
        }
    }

    [Test]
    public void WithOneStage_TheTerminalRowIsPenalized_AndItsGradientMatchesDifferences()
    {
        var b = new OcpBuilder("one-stage-terminal-row", 1, 1, 1);
        var f = b.AddParameter("f", [1.0, 0.5, 0.2]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(Sx.Sqr(b.State[0]) + Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(Sx.Sqr(b.State[0]));
        b.SetTerminalConstraints(new SxVector(b.State[0] - f[2]));   // x₁ ≤ θ₂
        using var q = new MpcQFunction(b.Build(), null, Tight, penaltyWeight: 50);
        double[] theta = [1.0, 0.5, 0.2];
        var value = q.Evaluate(theta, [0.4], [0.6], []);              // x₁ = 0.7 > 0.2
        Assert.That(value.Penalty, Is.EqualTo(50 * 0.5).Within(1e-12));
        const double h = 1e-6;
        for (int i = 0; i < 3; i++)
        {
            var plus = (double[])theta.Clone(); plus[i] += h;
            var minus = (double[])theta.Clone(); minus[i] -= h;
            double fd = (q.Evaluate(plus, [0.4], [0.6], []).Value - q.Evaluate(minus, [0.4], [0.6], []).Value) / (2 * h);
            Assert.That(value.Gradient[i], Is.EqualTo(fd).Within(1e-6 * (1 + Math.Abs(fd))), $"∂Q/∂θ[{i}]");
        }
    }

    [Test]
    public void AMismatchedTail_IsRejected()
    {
        var ocp = LqrSamples.BoxLqr(8);
        Assert.That(() => new MpcQFunction(ocp, null), Throws.ArgumentException.With.Message.Contains("needs its tail"));
        Assert.That(() => new MpcQFunction(ocp, LqrSamples.BoxLqr(6)), Throws.ArgumentException.With.Message.Contains("H − 1 = 7"));
        Assert.That(() => new MpcQFunction(P1(), LqrSamples.BoxLqr(1)), Throws.ArgumentException.With.Message.Contains("no tail"));
    }
}
