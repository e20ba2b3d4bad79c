namespace DiffOp.Results;

/// <summary>One point of a learning-curve band: the mean over seeds and the 20th and 80th percentiles (paper Figure 2).</summary>
internal readonly record struct BandPoint(int Iteration, double Mean, double Low, double High, int Seeds);

/// <summary>Summarizes several seeds' learning curves per iteration.</summary>
internal static class CurveStatistics
{
    /// <summary>Lower and upper percentile of the band.</summary>
    public const double LowPercentile = 0.2, HighPercentile = 0.8;

    /// <summary>
    /// For every iteration present in any curve: the mean, 20th and 80th percentiles over the seeds with a finite
    /// value there (linear interpolation between order statistics). Iterations without a finite value are left out.
    /// </summary>
    public static IReadOnlyList<BandPoint> Band(IReadOnlyList<IReadOnlyList<(int Iteration, double Value)>> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return curves.SelectMany(c => c).Where(p => double.IsFinite(p.Value)).GroupBy(p => p.Iteration).OrderBy(g => g.Key)
            .Select(g =>
            {
                var values = g.Select(p => p.Value).Order().ToArray();
                return new BandPoint(g.Key, values.Average(), Percentile(values, LowPercentile), Percentile(values, HighPercentile), values.Length);
            }).ToArray();
    }

    /// <summary>The p-quantile of sorted values by linear interpolation (numpy's default rule).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values to take a percentile of.", nameof(sorted));
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "The percentile must be in [0, 1].");
        double index = p * (sorted.Count - 1);
        int lo = (int)Math.Floor(index), hi = (int)Math.Ceiling(index);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (index - lo);
    }
}
