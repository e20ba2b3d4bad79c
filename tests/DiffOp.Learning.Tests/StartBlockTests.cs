using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>
/// Start blocks (<see cref="TrainingOptions.RolloutsPerStart"/>): how the trainer lays out the requests, that the baselines
/// use only the other pairs of the same start, that the jackknife leaves whole blocks out, the validation, and that the
/// estimate stays unbiased in Step mode, where an antithetic pair's scores are not exact negatives.
/// </summary>
public class StartBlockTests
{
    private static TrainingOptions Blocks(int rollouts = 8, int perStart = 4, GradientEstimatorKind estimator = GradientEstimatorKind.RewardToGo) => new()
    {
        Mode = PolicyMode.Step, Rollouts = rollouts, Sigma = 0.3, Beta = double.PositiveInfinity, Antithetic = true, Estimator = estimator,
        RolloutsPerStart = perStart, Seed = 11, LearningRate = 0.1, Optimizer = OptimizerKind.Adam,
    };

    [Test]
    public void Requests_BlocksShareAStart_PairsShareNoise_AndBlocksDiffer()
    {
        var requests = TrainingBatch.ExploringRequests(Blocks(), iteration: 3, needsMetric: false);
        Assert.That(requests, Has.Count.EqualTo(8));
        Assert.That(requests.Take(4).Select(r => r.Seed).Distinct().Count(), Is.EqualTo(1), "the first block shares one start");
        Assert.That(requests.Skip(4).Select(r => r.Seed).Distinct().Count(), Is.EqualTo(1), "so does the second");
        Assert.That(requests[4].Seed, Is.Not.EqualTo(requests[0].Seed), "each block has its own start");
        Assert.That(requests.Select(r => r.NoiseSeed).Distinct().Count(), Is.EqualTo(4), "one noise stream per antithetic pair");
        for (int k = 0; k < 8; k += 2)
        {
            Assert.That(requests[k + 1].NoiseSeed, Is.EqualTo(requests[k].NoiseSeed), $"pair {k / 2} shares its noise");
            Assert.That((requests[k].Mirror, requests[k + 1].Mirror), Is.EqualTo((false, true)), $"pair {k / 2}: the odd rollout mirrors");
        }
        Assert.That(requests.All(r => r.Detail.HasFlag(RolloutDetail.StageScores)), "reward-to-go asks for the per-step scores");
        var next = TrainingBatch.ExploringRequests(Blocks(), iteration: 4, needsMetric: false);
        Assert.That(next[0].Seed, Is.Not.EqualTo(requests[0].Seed), "fresh starts every iteration");
    }

    private static RolloutResult Result(double cost, double score, double[]? stageCosts = null, double[]? stageScores = null) => new()
    {
        Seed = 0, Cost = cost, Score = [score], Steps = stageCosts?.Length ?? 1, Dropped = false,
        StageCosts = stageCosts ?? [cost], StageScores = stageScores ?? [score],
    };

    [Test]
    public void Baseline_UsesOnlyTheOtherPairsOfTheSameStart()
    {
        double[] costs = [1, 2, 3, 5, 40, 41, 43, 47], scores = [0.5, -0.4, 0.3, -0.2, 0.7, -0.6, 0.1, -0.3];
        var results = costs.Select((c, i) => Result(c, scores[i])).ToArray();
        // Rollout i's baseline: the mean cost of the other pair in its block of 4 (never its own pair, never the other block).
        double expected = 0;
        for (int i = 0; i < 8; i++)
        {
            int otherPair = (i / 2 % 2 == 0) ? i - (i % 4) + 2 : i - (i % 4);
            double baseline = (costs[otherPair] + costs[otherPair + 1]) / 2;
            expected += (costs[i] - baseline) * scores[i] / 8;
        }
        var blocked = GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, results, 1, groupSize: 2, startBlock: 4);
        Assert.That(blocked[0], Is.EqualTo(expected).Within(1e-12));
        var unblocked = GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, results, 1, groupSize: 2);
        Assert.That(unblocked[0], Is.Not.EqualTo(expected).Within(1e-3), "without blocks the other start's costs enter the baseline");
    }

    [Test]
    public void RewardToGo_PerStepBaseline_IsTheOtherPairsCostToGoFromTheSameStart()
    {
        // Two steps per rollout; rollout i's cost at step t is c[i][t] and its step score s[i][t].
        double[][] c = [[1, 2], [2, 1], [4, 0], [3, 3], [10, 20], [11, 19], [12, 25], [9, 21]];
        double[][] s = [[0.5, 0.1], [-0.5, 0.2], [0.3, -0.1], [-0.3, 0.4], [0.2, 0.2], [-0.2, -0.3], [0.6, 0.1], [-0.6, 0.5]];
        var results = c.Select((costs, i) => Result(costs.Sum(), s[i].Sum(), costs, s[i])).ToArray();
        double expected = 0;
        for (int i = 0; i < 8; i++)
        {
            int other = (i / 2 % 2 == 0) ? i - (i % 4) + 2 : i - (i % 4);
            for (int t = 0; t < 2; t++)
            {
                double ToGo(int k) => c[k].Skip(t).Sum();
                expected += (ToGo(i) - ((ToGo(other) + ToGo(other + 1)) / 2)) * s[i][t] / 8;
            }
        }
        var g = GradientEstimator.Estimate(GradientEstimatorKind.RewardToGo, results, 1, groupSize: 2, startBlock: 4);
        Assert.That(g[0], Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Jackknife_LeavesOutWholeStartBlocks()
    {
        var options = Blocks(estimator: GradientEstimatorKind.ReinforceWithBaseline);
        double[] costs = [1, 2, 3, 5, 40, 41, 43, 47], scores = [0.5, -0.4, 0.3, -0.2, 0.7, -0.6, 0.1, -0.3];
        var results = costs.Select((c, i) => Result(c, scores[i])).ToArray();
        var jackknife = TrainingBatch.LeaveOneGroupOut(options, results, 1);
        Assert.That(jackknife, Has.Count.EqualTo(2), "one estimate per start block");
        Assert.That(jackknife[0][0], Is.EqualTo(TrainingBatch.Estimate(options with { Rollouts = 4 }, results[4..], 1)[0]).Within(1e-12),
            "leaving the first block out leaves the second block's estimate");
        Assert.That(jackknife[1][0], Is.EqualTo(TrainingBatch.Estimate(options with { Rollouts = 4 }, results[..4], 1)[0]).Within(1e-12));
    }

    [TestCase(10, 4, true, false, "must divide")]
    [TestCase(6, 3, true, false, "even")]
    [TestCase(8, 2, true, false, "no other pair")]
    [TestCase(8, 4, true, true, "choose one")]
    [TestCase(8, -1, true, false, "≥ 0")]
    public void Validation_NamesTheProblem(int rollouts, int perStart, bool antithetic, bool shared, string named)
    {
        var options = Blocks(rollouts, perStart) with { Antithetic = antithetic, SharedInitialState = shared };
        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains(named));
    }

    [Test]
    public void Validation_AcceptsBlocksOfTwoWithPlainReinforce_AndBlocksOfSingleRollouts()
    {
        Assert.That((Blocks(8, 2) with { Estimator = GradientEstimatorKind.Reinforce }).Validate, Throws.Nothing, "REINFORCE needs no baseline");
        Assert.That((Blocks(9, 3) with { Antithetic = false }).Validate, Throws.Nothing, "without pairs a block is any number of rollouts ≥ 2");
    }

    [Test]
    [Category("Native")]
    public void StepMode_StartBlocks_RewardToGo_MatchesThePathwiseGradientOfTheExpectedCost()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // Random starts (the scalar integrator from x₀ ~ U(−1, 1)) and closed-loop re-planning: the pairs' scores are not
        // exact negatives, so only a baseline from the other pair of the same start keeps the estimate unbiased.
        double[] theta = [1.0, 0.2];
        var worker = new RolloutWorker(new ScalarEnvironment(5, fixedStart: null, controlWeight: 0.2),
            new OptimizationPolicy(ScalarPolicy.Build(3, theta[0], theta[1]), PolicyMode.Step), new TruncatedGaussianExploration(0.3, double.PositiveInfinity));
        var pathwise = PathwiseReference.Gradients(worker, theta, paths: 600);
        var options = Blocks();
        var estimates = Enumerable.Range(0, 300).Select(k =>
        {
            var results = TrainingBatch.ExploringRequests(options, k, needsMetric: false).Select(r => worker.Run(theta, r)).ToArray();
            return TrainingBatch.Estimate(options, results, 2);
        }).ToArray();
        PathwiseReference.AssertMatches(estimates, pathwise, "start blocks");
    }
}
