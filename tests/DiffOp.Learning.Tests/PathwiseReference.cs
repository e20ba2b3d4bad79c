using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>
/// The reference gradient of a closed-loop expected cost: per noise path (seed), the central difference in θ of the
/// exploring episode's cost with common random numbers (for β = ∞ the noise does not depend on θ), and the mean and
/// standard error over paths.
/// </summary>
internal static class PathwiseReference
{
    /// <summary>One pathwise gradient per path p = 0..paths−1, each episode seeded by SeedSequence.Rollout(seedBase, 0, p).</summary>
    public static double[][] Gradients(RolloutWorker worker, double[] theta, int paths, int seedBase = 5) =>
        Enumerable.Range(0, paths).Select(p => CentralDifference(worker, theta, new RolloutRequest(SeedSequence.Rollout(seedBase, 0, p), Explore: true))).ToArray();

    /// <summary>The central difference (step h) in θ of the cost of the episode <paramref name="request"/> describes.</summary>
    public static double[] CentralDifference(RolloutWorker worker, double[] theta, RolloutRequest request, double h = 1e-4)
    {
        var g = new double[theta.Length];
        for (int i = 0; i < g.Length; i++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[i] += h;
            minus[i] -= h;
            g[i] = (worker.Run(plus, request).Cost - worker.Run(minus, request).Cost) / (2 * h);
        }
        return g;
    }

    /// <summary>
    /// Asserts that the mean of <paramref name="estimates"/> matches the mean of <paramref name="pathwise"/> within three
    /// combined standard errors, and that the samples are enough for that to mean something (error below 20%).
    /// </summary>
    public static void AssertMatches(IReadOnlyList<double[]> estimates, IReadOnlyList<double[]> pathwise, string what)
    {
        var (reference, referenceSe) = Statistics(pathwise);
        var (mean, se) = Statistics(estimates);
        for (int i = 0; i < reference.Length; i++)
        {
            double combined = Math.Sqrt((se[i] * se[i]) + (referenceSe[i] * referenceSe[i]));
            Assert.That(Math.Abs(mean[i] - reference[i]), Is.LessThan(3 * combined), $"component {i}: {what} {mean[i]}, pathwise {reference[i]}, s.e. {combined}");
            Assert.That(combined, Is.LessThan(0.2 * Math.Abs(reference[i])), "enough samples for the comparison to mean something");
        }
    }

    /// <summary>Per component: the mean of the samples and its standard error.</summary>
    public static (double[] Mean, double[] StandardError) Statistics(IReadOnlyList<double[]> samples)
    {
        int d = samples[0].Length, n = samples.Count;
        var mean = new double[d];
        var se = new double[d];
        for (int i = 0; i < d; i++)
        {
            mean[i] = samples.Average(e => e[i]);
            se[i] = Math.Sqrt(samples.Sum(e => (e[i] - mean[i]) * (e[i] - mean[i])) / (n - 1) / n);
        }
        return (mean, se);
    }
}
