using DiffOp.Learning.Algorithms;
using DiffOp.Learning.Policies;

namespace DiffOp.Learning.Tests;

/// <summary>RLMPC-TD (MPC-based Q-learning) on the scalar task whose policy starts with the wrong target.</summary>
[Category("Native")]
public class QLearningTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    /// <summary>Mean true cost of the deterministic Step policy on 5 fixed episodes.</summary>
    private static double Evaluate(double[] theta)
    {
        var environment = new ScalarEnvironment(6, fixedStart: null, controlWeight: 0.2);
        using var policy = new FeedbackPolicy(ScalarPolicy.Build(3), PolicyMode.Step, theta);
        double total = 0;
        for (int e = 0; e < 5; e++)
        {
            var x = new double[1];
            environment.Reset(1_000 + e, x);
            policy.Reset();
            for (int t = 0; t < environment.EpisodeLength; t++)
            {
                var u = policy.Act(x);
                var next = new double[1];
                total += environment.Step(u, next).Cost;
                x = next;
            }
        }
        return total / 5;
    }

    [Test]
    public void WrongTarget_QLearningLowersTheClosedLoopCost()
    {
        var environment = new ScalarEnvironment(6, fixedStart: null, controlWeight: 0.2);
        using var learner = new QLearning(environment, ScalarPolicy.Build(3), ScalarPolicy.Build(2),
            new QLearningOptions { LearningRate = 0.1, Discount = 0.9, ExplorationSigma = 0.1, EpisodesPerIteration = 4 }, lowerBounds: [1e-3, double.NegativeInfinity]);
        double[] theta = [1.0, 0.0];   // the true target is 1
        double before = Evaluate(theta);
        QLearningIteration? last = null;
        for (int k = 0; k < 40; k++)
        {
            last = learner.RunIteration(theta, k, runSeed: 3);
            Assert.That(last.Updated, Is.True, $"iteration {k}");
            Assert.That(theta.All(double.IsFinite), Is.True);
        }
        double after = Evaluate(theta);
        TestContext.Out.WriteLine($"θ = ({theta[0]:G4}, {theta[1]:G4}); cost {before:G4} → {after:G4}; last mean δ {last!.MeanTdError:G3}");
        Assert.That(theta[1], Is.GreaterThan(0.3), "the target moves towards the true 1");
        Assert.That(after, Is.LessThan(0.8 * before), "the deterministic policy's true cost falls");
        Assert.That(last.FailedTransitions, Is.Zero);
    }

    [Test]
    public void AThetaAtWhichEveryPlanFails_EndsTheIterationEarly_WithoutAnUpdate()
    {
        // r = −10 makes the plan problem unbounded below: no plan, no Q can be formed. After 25 failed plans (5 episodes of 6 steps) the
        // iteration stops collecting, gives up on Q after 25 failures, and leaves θ alone.
        var environment = new ScalarEnvironment(6, fixedStart: null, controlWeight: 0.2);
        using var learner = new QLearning(environment, ScalarPolicy.Build(3), ScalarPolicy.Build(2),
            new QLearningOptions { LearningRate = 0.1, EpisodesPerIteration = 10 }, lowerBounds: [1e-3, double.NegativeInfinity]);
        double[] theta = [-10.0, 0.0];
        var result = learner.RunIteration(theta, 0, runSeed: 1);
        Assert.That(result.Updated, Is.False);
        Assert.That(result.Transitions, Is.Zero);
        Assert.That(result.FailedTransitions, Is.EqualTo(30), "5 of the 10 episodes were run (the first 30 plans all failed), every transition counted failed");
        Assert.That(theta, Is.EqualTo(new[] { -10.0, 0.0 }));
        Assert.That(double.IsFinite(result.MeanEpisodeCost), Is.True, "the mean is over the episodes that ran");
    }

    [Test]
    public void BadSettings_AreRejected()
    {
        var environment = new ScalarEnvironment(6);
        Assert.That(() => new QLearning(environment, ScalarPolicy.Build(3), ScalarPolicy.Build(2), new QLearningOptions { Discount = 0 }),
            Throws.ArgumentException.With.Message.Contains("Discount"));
        Assert.That(() => new QLearning(environment, ScalarPolicy.Build(3), ScalarPolicy.Build(2), new QLearningOptions { LearningRate = -1 }),
            Throws.ArgumentException.With.Message.Contains("LearningRate"));
        Assert.That(() => new QLearning(environment, ScalarPolicy.Build(3), ScalarPolicy.Build(1)), Throws.ArgumentException.With.Message.Contains("H − 1 = 2"));
    }
}
