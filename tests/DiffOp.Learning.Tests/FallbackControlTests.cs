using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>A plan that fails after the first step: the fallback control acts, is counted, and adds nothing to the score.</summary>
[Category("Native")]
public class FallbackControlTests
{
    /// <summary>x' = x + u + 0.3 (a drift the policy's model lacks); records the controls it receives.</summary>
    private sealed class DriftEnvironment(int episodeLength) : IEnvironment
    {
        private double _x;
        public List<double> Controls { get; } = [];
        public string Name => "drift";
        public int StateCount => 1;
        public int ControlCount => 1;
        public int EpisodeLength => episodeLength;

        public void Reset(int seed, Span<double> state)
        {
            _x = 0.2;
            state[0] = _x;
            Controls.Clear();
        }

        public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
        {
            Controls.Add(control[0]);
            _x += control[0] + 0.3;
            nextState[0] = _x;
            return new StepResult(_x * _x, Done: false, Failed: false);
        }
    }

    /// <summary>Model x' = x + u, 0.05 ≤ u ≤ 0.1 (so the fallback, the control nearest 0, is 0.05), x_H ≤ 0.4 after H = 3 steps.</summary>
    private static OptimizationPolicy Policy()
    {
        var builder = new Control.OptimalControl.OcpBuilder("reach", 1, 1, 3);
        var th = builder.AddParameter("theta", [1.0]);
        builder.SetDynamics(new SxVector(builder.State[0] + builder.Control[0]));
        builder.SetStageCost(0.5 * th[0] * Sx.Sqr(builder.Control[0]) + 0.5 * Sx.Sqr(builder.State[0]));
        builder.SetTerminalConstraints(new SxVector(builder.State[0] - 0.4));
        builder.SetControlBounds([0.05], [0.1]);
        return new OptimizationPolicy(builder.Build(), PolicyMode.Step);
    }

    [Test]
    public void LaterFailedPlans_UseTheFallbackControl_AndOnlyTheFirstStepIsScored()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // From x = 0.2 the plan reaches 0.2 + 3·0.05 = 0.35 ≤ 0.4; after one true step (≥ 0.55) no plan can.
        var environment = new DriftEnvironment(5);
        using var worker = new RolloutWorker(environment, Policy(), new TruncatedGaussianExploration(0.01, double.PositiveInfinity));
        var result = worker.Run([1.0], new RolloutRequest(3, Explore: true));
        Assert.That(result.Dropped, Is.False, "only a failure of the first plan drops the rollout");
        Assert.That(result.Steps, Is.EqualTo(5));
        Assert.That(result.FallbackSteps, Is.EqualTo(4));
        Assert.That(environment.Controls.Skip(1), Is.All.EqualTo(0.05), "the fallback: the control nearest 0 within [0.05, 0.1], without noise");
        Assert.That(environment.Controls[0], Is.Not.EqualTo(0.05), "the first step is the explored plan");

        // The score is the first step's alone: the same request on a one-step episode gives the same score.
        var oneStep = worker.Run([1.0], new RolloutRequest(3, Explore: true), steps: 1);
        Assert.That(oneStep.FallbackSteps, Is.Zero);
        Assert.That(result.Score, Is.EqualTo(oneStep.Score));
    }

    [Test]
    public void AFailedFirstPlan_StillDropsTheRollout()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // x_H ≤ −5 with |u| ≤ 0.1 and H = 2: infeasible from the start, so there is nothing to learn from the episode.
        var environment = new DriftEnvironment(3);
        var builder = new Control.OptimalControl.OcpBuilder("never", 1, 1, 2);
        builder.AddParameter("theta", [1.0]);
        builder.SetDynamics(new SxVector(builder.State[0] + builder.Control[0]));
        builder.SetStageCost(0.5 * Sx.Sqr(builder.Control[0]));
        builder.SetTerminalConstraints(new SxVector(builder.State[0] + 5.0));
        builder.SetControlBounds([-0.1], [0.1]);
        using var never = new RolloutWorker(environment, new OptimizationPolicy(builder.Build(), PolicyMode.Step), new TruncatedGaussianExploration(0.01, double.PositiveInfinity));
        var dropped = never.Run([1.0], new RolloutRequest(3, Explore: true));
        Assert.That(dropped.Dropped, Is.True);
        Assert.That(dropped.FallbackSteps, Is.Zero);
    }

    [Test]
    public void FallbackControl_IsTheControlNearestZeroWithinTheBounds()
    {
        var builder = new Control.OptimalControl.OcpBuilder("bounds", 1, 3, 2);
        builder.AddParameter("theta", [1.0]);
        builder.SetDynamics(new SxVector(builder.State[0] + builder.Control[0]));
        builder.SetStageCost(Sx.Sqr(builder.Control[0]) + Sx.Sqr(builder.Control[1]) + Sx.Sqr(builder.Control[2]));
        builder.SetControlBounds([0.5, -2, -3], [1, 2, -1]);
        using var policy = new OptimizationPolicy(builder.Build(), PolicyMode.Step);
        var u = new double[3];
        policy.FallbackControl(u);
        Assert.That(u, Is.EqualTo(new[] { 0.5, 0.0, -1.0 }));
        Assert.That(() => policy.FallbackControl(new double[2]), Throws.ArgumentException.With.Message.Contains("m = 3"));
    }
}
