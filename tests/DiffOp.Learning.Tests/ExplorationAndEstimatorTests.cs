using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

public class ExplorationAndEstimatorTests
{
    [Test]
    public void TruncatedGaussian_StaysInWindow_AndMatchesTruncatedVariance()
    {
        foreach (var (sigma, beta) in new[] { (1.0, 0.01), (0.5, 4.0), (2.0, 1.0) })
        {
            var e = new TruncatedGaussianExploration(sigma, beta);
            var rng = new Random(3);
            const int count = 200_000;
            double sum = 0, sumSq = 0;
            for (int i = 0; i < count; i++)
            {
                double x = e.SampleDeviation(rng);
                Assert.That(Math.Abs(x), Is.LessThanOrEqualTo(e.HalfWidth));
                sum += x; sumSq += x * x;
            }
            double mean = sum / count, variance = sumSq / count - mean * mean;
            double expected = e.DeviationVariance();
            Assert.That(mean, Is.EqualTo(0).Within(5 * Math.Sqrt(expected / count)), $"mean for σ={sigma}, β={beta}");
            Assert.That(variance, Is.EqualTo(expected).Within(0.02 * expected), $"variance for σ={sigma}, β={beta}");
        }
        // The paper's regime (w ≪ σ): nearly uniform on ±w, so Var ≈ w²/3.
        var narrow = new TruncatedGaussianExploration(1.0, 0.01);
        Assert.That(narrow.DeviationVariance(), Is.EqualTo(narrow.HalfWidth * narrow.HalfWidth / 3).Within(1e-3 * narrow.HalfWidth * narrow.HalfWidth));
    }

    [Test]
    public void TruncatedGaussian_BadSettings_Throw()
    {
        Assert.That(() => new TruncatedGaussianExploration(0, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sigma"));
        Assert.That(() => new TruncatedGaussianExploration(1, -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("beta"));
        Assert.That(new TruncatedGaussianExploration(1, double.PositiveInfinity).DeviationVariance(), Is.EqualTo(1.0));
    }

    [TestCase(GradientEstimatorKind.Reinforce)]
    [TestCase(GradientEstimatorKind.ReinforceWithBaseline)]
    [Category("Native")]
    public void Estimator_MeanMatchesClosedFormGradient_WithinThreeStandardErrors(GradientEstimatorKind kind)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // One step from x₀ = 0.5: u* = (g − x₀)/(1 + r); E[L] = (x₀ + u* − 1)² + σ² under N(0, σ²) (β = ∞),
        // so ∇E[L] = 2(x₀ + u* − 1)·(∂u*/∂r, ∂u*/∂g) = 2(x₀ + u* − 1)·(−(g − x₀)/(1 + r)², 1/(1 + r)).
        const double x0 = 0.5, r = 1.0, g = 0.2, sigma = 0.3;
        var worker = new RolloutWorker(new ScalarEnvironment(1, x0), new OptimizationPolicy(ScalarPolicy.Build(1, r, g), PolicyMode.Step),
            new TruncatedGaussianExploration(sigma, double.PositiveInfinity));
        double uStar = (g - x0) / (1 + r);
        double[] exact = [2 * (x0 + uStar - 1) * -(g - x0) / ((1 + r) * (1 + r)), 2 * (x0 + uStar - 1) / (1 + r)];

        const int batches = 400, batchSize = 10;
        var estimates = new double[batches][];
        double[] theta = [r, g];
        for (int k = 0; k < batches; k++)
        {
            var results = Enumerable.Range(0, batchSize).Select(i => worker.Run(theta, new RolloutRequest(SeedSequence.Rollout(11, k, i), true))).ToArray();
            estimates[k] = GradientEstimator.Estimate(kind, results, 2);
        }
        for (int i = 0; i < 2; i++)
        {
            double mean = estimates.Average(e => e[i]);
            double se = Math.Sqrt(estimates.Sum(e => (e[i] - mean) * (e[i] - mean)) / (batches - 1) / batches);
            Assert.That(Math.Abs(mean - exact[i]), Is.LessThan(3 * se), $"component {i}: mean {mean}, exact {exact[i]}, s.e. {se}");
            Assert.That(se, Is.LessThan(0.25 * Math.Abs(exact[i])), "enough samples for the comparison to mean something");
        }
    }

    [Test]
    [Category("Native")]
    public void Baseline_ReducesVarianceOfTheEstimate()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var worker = new RolloutWorker(new ScalarEnvironment(1, 0.5), new OptimizationPolicy(ScalarPolicy.Build(1, 1.0, 0.2), PolicyMode.Step),
            new TruncatedGaussianExploration(0.3, double.PositiveInfinity));
        double[] theta = [1.0, 0.2];
        var plain = new List<double>();
        var baseline = new List<double>();
        for (int k = 0; k < 200; k++)
        {
            var results = Enumerable.Range(0, 10).Select(i => worker.Run(theta, new RolloutRequest(SeedSequence.Rollout(5, k, i), true))).ToArray();
            plain.Add(GradientEstimator.Estimate(GradientEstimatorKind.Reinforce, results, 2)[1]);
            baseline.Add(GradientEstimator.Estimate(GradientEstimatorKind.ReinforceWithBaseline, results, 2)[1]);
        }
        static double Variance(List<double> v) { double m = v.Average(); return v.Sum(x => (x - m) * (x - m)) / (v.Count - 1); }
        Assert.That(Variance(baseline), Is.LessThan(0.5 * Variance(plain)));
    }

    [Test]
    public void Estimator_IgnoresDroppedRollouts_AndReturnsZeroWhenAllDropped()
    {
        RolloutResult R(double cost, double s, bool dropped) => new() { Seed = 0, Cost = cost, Score = [s], Steps = 1, Dropped = dropped };
        var g = GradientEstimator.Estimate(GradientEstimatorKind.Reinforce, [R(2, 1, false), R(double.NaN, 5, true), R(4, -1, false)], 1);
        Assert.That(g[0], Is.EqualTo((2 * 1 + 4 * -1) / 2.0));
        var none = GradientEstimator.Estimate(GradientEstimatorKind.Reinforce, [R(double.NaN, 1, true)], 1);
        Assert.That(none[0], Is.Zero);
    }
}
