using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Learning.Policies;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>The deployed feedback law u = π_θ(x): Step re-plans, Traj replays, failures fall back and are counted.</summary>
[Category("Native")]
public class FeedbackPolicyTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    [Test]
    public void StepMode_ActsWithTheFirstControlOfAPlanFromTheMeasuredState()
    {
        var ocp = LqrSamples.BoxLqr(6);
        var theta = ocp.InitialParameters();
        using var feedback = new FeedbackPolicy(ocp, PolicyMode.Step, theta);
        using var reference = new OcpSolver(ocp);
        double[][] states = [[1.0, -0.5, 0.3], [0.2, 0.1, -0.4], [-1, 1, 0]];
        foreach (var x in states)
        {
            var u = feedback.Act(x);
            var plan = reference.Solve(theta, x, ocp.DefaultContext());
            for (int j = 0; j < u.Length; j++) Assert.That(u[j], Is.EqualTo(plan.Control(0)[j]).Within(1e-6), "u = u*₀(x)");
        }
        Assert.That(feedback.Steps, Is.EqualTo(3));
        Assert.That(feedback.SolveFailures, Is.Zero);
    }

    [Test]
    public void TrajMode_ReplaysItsPlanForHSteps_ThenReplans_AndResetStartsOver()
    {
        var ocp = LqrSamples.BoxLqr(3);
        var theta = ocp.InitialParameters();
        using var feedback = new FeedbackPolicy(ocp, PolicyMode.Traj, theta);
        double[] x0 = [1.0, -0.5, 0.3];
        var plan = new OcpSolver(ocp).Solve(theta, x0, ocp.DefaultContext());
        double[] elsewhere = [9, 9, 9];   // ignored while the plan is replayed
        Assert.That(feedback.Act(x0), Is.EqualTo(plan.Control(0).ToArray()).Within(1e-9));
        Assert.That(feedback.Act(elsewhere), Is.EqualTo(plan.Control(1).ToArray()).Within(1e-9));
        Assert.That(feedback.Act(elsewhere), Is.EqualTo(plan.Control(2).ToArray()).Within(1e-9));
        var replanned = new OcpSolver(ocp).Solve(theta, [0.1, 0.1, 0.1], ocp.DefaultContext());
        Assert.That(feedback.Act([0.1, 0.1, 0.1]), Is.EqualTo(replanned.Control(0).ToArray()).Within(1e-6), "after H steps it plans from the new state");
        feedback.Reset();
        Assert.That(feedback.Act(x0), Is.EqualTo(plan.Control(0).ToArray()).Within(1e-9), "a reset replans at once");
    }

    [Test]
    public void AFailedSolve_AppliesTheFallback_CountsIt_AndTheNextCallPlansAgain()
    {
        // x' = x + u with 0.05 ≤ u ≤ 0.1: x_H ≤ 0.4 after 2 steps is infeasible from any x > 0.3.
        var builder = new OcpBuilder("reach", 1, 1, 2);
        var th = builder.AddParameter("theta", [1.0]);
        builder.SetDynamics(new SxVector(builder.State[0] + builder.Control[0]));
        builder.SetStageCost(0.5 * th[0] * Sx.Sqr(builder.Control[0]) + 0.5 * Sx.Sqr(builder.State[0]));
        builder.SetTerminalConstraints(new SxVector(builder.State[0] - 0.4));
        builder.SetControlBounds([0.05], [0.1]);
        using var feedback = new FeedbackPolicy(builder.Build(), PolicyMode.Step, [1.0]);
        Assert.That(feedback.Act([2.0]), Is.EqualTo(new[] { 0.05 }), "infeasible: the control nearest 0 within [0.05, 0.1]");
        Assert.That(feedback.SolveFailures, Is.EqualTo(1));
        Assert.That(feedback.CurrentPlan, Is.Null);
        var u = feedback.Act([0.0]);
        Assert.That(feedback.SolveFailures, Is.EqualTo(1), "feasible again: solved");
        Assert.That(feedback.CurrentPlan, Is.Not.Null);
        Assert.That(u[0], Is.InRange(0.05, 0.1));
    }

    [Test]
    public void BadInput_IsRejectedWithTheExpectedSizes()
    {
        var ocp = LqrSamples.BoxLqr(3);
        Assert.That(() => new FeedbackPolicy(ocp, PolicyMode.Step, [1.0]), Throws.ArgumentException.With.Message.Contains("parameters"));
        var theta = ocp.InitialParameters();
        theta[0] = double.NaN;
        Assert.That(() => new FeedbackPolicy(ocp, PolicyMode.Step, theta), Throws.ArgumentException.With.Message.Contains("not finite"));
        using var feedback = new FeedbackPolicy(ocp, PolicyMode.Step, ocp.InitialParameters());
        Assert.That(() => feedback.Act([1.0]), Throws.ArgumentException.With.Message.Contains("n = 3"));
        Assert.That(() => feedback.Act([1.0, 0, 0], new double[5]), Throws.ArgumentException.With.Message.Contains("m = 2"));
    }
}
