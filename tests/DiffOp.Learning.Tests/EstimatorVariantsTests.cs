using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>
/// Unbiasedness of the variance-reduced estimators: the mean of many batch estimates must match the exact gradient within
/// three standard errors. The task is the scalar integrator over T = 5 steps with a cost quadratic in the actions, so in
/// Traj mode (open loop from a fixed x₀) E[L(U* + ε)] = L(U*) + const and the exact gradient is the central difference
/// of the deterministic episode's cost.
/// </summary>
[Category("Native")]
public class EstimatorVariantsTests
{
    private const int Steps = 5, Batches = 300, BatchSize = 10;
    private static readonly double[] Theta = [1.0, 0.2];

    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    private static RolloutWorker Worker(PolicyMode mode, double sigma, double beta) =>
        new(new ScalarEnvironment(Steps, fixedStart: 0.5, controlWeight: 0.2),
            new OptimizationPolicy(ScalarPolicy.Build(mode == PolicyMode.Traj ? Steps : 3, Theta[0], Theta[1]), mode),
            new TruncatedGaussianExploration(sigma, beta));

    /// <summary>The rollouts of one batch, made as the trainer makes them (antithetic: pairs share seeds, the odd one mirrored).</summary>
    private static RolloutResult[] Batch(RolloutWorker worker, int batch, bool antithetic, RolloutDetail detail, bool tangent = false) =>
        Enumerable.Range(0, BatchSize).Select(i =>
        {
            int source = antithetic ? i - (i % 2) : i;
            var request = new RolloutRequest(SeedSequence.Rollout(77, batch, source), Explore: true) { Mirror = antithetic && i % 2 == 1, Detail = detail, Tangent = tangent };
            return worker.Run(Theta, request);
        }).ToArray();

    private static double[] DeterministicGradient(RolloutWorker worker) => PathwiseReference.CentralDifference(worker, Theta, new RolloutRequest(0, false));

    private static (double[] Mean, double[] StandardError) Statistics(IReadOnlyList<double[]> estimates) => PathwiseReference.Statistics(estimates);

    private static void AssertUnbiased(IReadOnlyList<double[]> estimates, double[] exact, string what)
    {
        var (mean, se) = Statistics(estimates);
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.That(Math.Abs(mean[i] - exact[i]), Is.LessThan(3 * se[i]), $"{what}, component {i}: mean {mean[i]}, exact {exact[i]}, s.e. {se[i]}");
            Assert.That(se[i], Is.LessThan(0.2 * Math.Abs(exact[i])), $"{what}: enough samples for the comparison to mean something");
        }
    }

    [TestCase(GradientEstimatorKind.RewardToGo, false)]
    [TestCase(GradientEstimatorKind.RewardToGo, true)]
    [TestCase(GradientEstimatorKind.ReinforceWithBaseline, true)]
    [TestCase(GradientEstimatorKind.Reinforce, true)]
    public void TrajMode_MeanMatchesExactGradient(GradientEstimatorKind kind, bool antithetic)
    {
        var worker = Worker(PolicyMode.Traj, 0.3, double.PositiveInfinity);
        var exact = DeterministicGradient(worker);
        var detail = kind == GradientEstimatorKind.RewardToGo ? RolloutDetail.StageScores : RolloutDetail.None;
        var estimates = Enumerable.Range(0, Batches)
            .Select(k => GradientEstimator.Estimate(kind, Batch(worker, k, antithetic, detail), 2, antithetic ? 2 : 1)).ToArray();
        AssertUnbiased(estimates, exact, $"{kind}{(antithetic ? " antithetic" : "")}");
    }

    [Test]
    public void NarrowTruncation_NormalizedByTheNoiseVariance_IsUnbiased_WhilePlainScoreIsScaledDown()
    {
        // σ = 0.3, β = 1: window w = 0.09 = 0.3σ, Var ε ≈ 0.029σ²: the plain estimator's mean is about 3% of the gradient.
        var exploration = new TruncatedGaussianExploration(0.3, 1.0);
        var worker = Worker(PolicyMode.Traj, exploration.Sigma, exploration.Beta);
        var exact = DeterministicGradient(worker);
        double scale = exploration.Sigma * exploration.Sigma / exploration.DeviationVariance();
        var batches = Enumerable.Range(0, Batches).Select(k => Batch(worker, k, antithetic: false, RolloutDetail.None)).ToArray();
        var normalized = batches.Select(b => GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, b, 2, 1, scale)).ToArray();
        AssertUnbiased(normalized, exact, "normalized by Var ε");

        var (plainMean, _) = Statistics(batches.Select(b => GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, b, 2)).ToArray());
        for (int i = 0; i < 2; i++)
            Assert.That(Math.Abs(plainMean[i]), Is.LessThan(0.1 * Math.Abs(exact[i])), "without normalization the mean is (Var ε/σ²)·∇C, far below ∇C");
    }

    [Test]
    public void StepMode_RewardToGo_MatchesThePathwiseGradientOfTheExpectedCost()
    {
        // Closed loop: the expected cost depends on θ through the feedback gain, so the reference is the mean over noise
        // seeds of the pathwise central difference with common random numbers (the noise does not depend on θ for β = ∞).
        var worker = Worker(PolicyMode.Step, 0.3, double.PositiveInfinity);
        var pathwise = PathwiseReference.Gradients(worker, Theta, paths: 400);
        var estimates = Enumerable.Range(0, Batches)
            .Select(k => GradientEstimator.Estimate(GradientEstimatorKind.RewardToGo, Batch(worker, k, false, RolloutDetail.StageScores), 2)).ToArray();
        PathwiseReference.AssertMatches(estimates, pathwise, "reward-to-go");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TangentExploration_MeanMatchesExactGradient(bool antithetic)
    {
        var worker = Worker(PolicyMode.Traj, 0.3, double.PositiveInfinity);
        var exact = DeterministicGradient(worker);
        var tangent = Enumerable.Range(0, Batches)
            .Select(k => GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, Batch(worker, k, antithetic, RolloutDetail.None, tangent: true), 2, antithetic ? 2 : 1)).ToArray();
        AssertUnbiased(tangent, exact, "tangent");
    }

    [Test]
    public void TangentMirror_NegatesTheScore_AndTruncationIsRejected()
    {
        // Open loop from a fixed x₀: the mirrored tangent rollout's score is the exact negative, and it is not zero.
        var worker = Worker(PolicyMode.Traj, 0.3, double.PositiveInfinity);
        var request = new RolloutRequest(31, Explore: true) { Tangent = true };
        var plus = worker.Run(Theta, request);
        var minus = worker.Run(Theta, request with { Mirror = true });
        for (int i = 0; i < 2; i++) Assert.That(minus.Score[i], Is.EqualTo(-plus.Score[i]).Within(1e-12 * (1 + Math.Abs(plus.Score[i]))));
        Assert.That(plus.Score.Sum(Math.Abs), Is.GreaterThan(0));
        Assert.That(() => new TrainingOptions { TangentExploration = true, Beta = 0.01 }.Validate(), Throws.ArgumentException.With.Message.Contains("--beta inf"));
    }

    [Test]
    public void TangentBasis_IsOrthonormal_AndSpansTheColumns()
    {
        // 4 × 3 matrix whose third column is the sum of the first two: rank 2.
        double[] j = [1, 0, 1, 2, 1, 3, 0, 1, 1, -1, 2, 1];
        var basis = new double[12];
        int rank = TangentBasis.Orthonormalize(j, 4, 3, basis);
        Assert.That(rank, Is.EqualTo(2));
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
            {
                double dot = Enumerable.Range(0, 4).Sum(r => basis[a * 4 + r] * basis[b * 4 + r]);
                Assert.That(dot, Is.EqualTo(a == b ? 1.0 : 0.0).Within(1e-12));
            }
        for (int c = 0; c < 3; c++)
        {
            var column = Enumerable.Range(0, 4).Select(r => j[r * 3 + c]).ToArray();
            var projected = new double[4];
            for (int k = 0; k < 2; k++)
            {
                double dot = Enumerable.Range(0, 4).Sum(r => basis[k * 4 + r] * column[r]);
                for (int r = 0; r < 4; r++) projected[r] += dot * basis[k * 4 + r];
            }
            for (int r = 0; r < 4; r++) Assert.That(projected[r], Is.EqualTo(column[r]).Within(1e-12), $"column {c} lies in the span");
        }
    }

    [Test]
    public void StageScores_SumToTheScore_AndMatchTheVectorJacobianPath()
    {
        var worker = Worker(PolicyMode.Traj, 0.3, double.PositiveInfinity);
        var request = new RolloutRequest(123, Explore: true);
        var plain = worker.Run(Theta, request);
        var detailed = worker.Run(Theta, request with { Detail = RolloutDetail.StageScores | RolloutDetail.Metric });
        Assert.That(detailed.Cost, Is.EqualTo(plain.Cost), "the same episode");
        Assert.That(plain.StageScores, Is.Null);
        Assert.That(detailed.StageScores, Has.Length.EqualTo(Steps * 2));
        for (int i = 0; i < 2; i++)
        {
            double sum = Enumerable.Range(0, Steps).Sum(t => detailed.StageScores![t * 2 + i]);
            Assert.That(sum, Is.EqualTo(detailed.Score[i]).Within(1e-12 * (1 + Math.Abs(sum))));
            Assert.That(detailed.Score[i], Is.EqualTo(plain.Score[i]).Within(1e-9 * (1 + Math.Abs(plain.Score[i]))), "Jacobian path = VJP path");
        }
        Assert.That(detailed.StageCosts.Sum(), Is.EqualTo(detailed.Cost).Within(1e-12));
    }

    [Test]
    public void Mirror_NegatesTheDeviations()
    {
        // Open loop from a fixed x₀: the plan is the same, so the mirrored rollout's score is exactly the negative.
        var worker = Worker(PolicyMode.Traj, 0.3, double.PositiveInfinity);
        var request = new RolloutRequest(9, Explore: true);
        var plus = worker.Run(Theta, request);
        var minus = worker.Run(Theta, request with { Mirror = true });
        for (int i = 0; i < 2; i++) Assert.That(minus.Score[i], Is.EqualTo(-plus.Score[i]).Within(1e-12 * (1 + Math.Abs(plus.Score[i]))));
        Assert.That(minus.Cost, Is.Not.EqualTo(plus.Cost));
    }

    [Test]
    public void Antithetic_BaselineLeavesThePartnerOut()
    {
        RolloutResult R(double cost, double s) => new() { Seed = 0, Cost = cost, Score = [s], Steps = 1, Dropped = false };
        // Pairs (0,1) and (2,3). Rollout 0's baseline is the mean of 2 and 3 only: (4 + 6)/2 = 5.
        var rollouts = new[] { R(1, 1), R(3, -1), R(4, 2), R(6, -2) };
        var g = GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, rollouts, 1, groupSize: 2);
        double expected = ((1 - 5) * 1 + (3 - 5) * -1 + (4 - 2) * 2 + (6 - 2) * -2) / 4.0;
        Assert.That(g[0], Is.EqualTo(expected).Within(1e-15));
        Assert.That(() => GradientEstimator.Estimate(GradientEstimatorKind.RewardToGo, rollouts, 1), Throws.ArgumentException.With.Message.Contains("StageScores"));
        Assert.That(() => GradientEstimator.Estimate(GradientEstimatorKind.Reinforce, rollouts, 1, groupSize: 3), Throws.ArgumentException);
    }
}
