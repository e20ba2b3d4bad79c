using System.Globalization;

namespace DiffOp.Learning.Training;

/// <summary>Appends <see cref="IterationMetrics"/> rows to metrics.csv (header written once; invariant culture).</summary>
public static class MetricsCsvWriter
{
    /// <summary>The header line.</summary>
    public const string Header =
        "iteration,mean_cost,min_cost,max_cost,gradient_norm,dropped_rollouts,simulator_failures,update_skipped,forward_s,backward_s,wall_s";

    /// <summary>Appends one row, writing the header first when the file is new.</summary>
    public static void Append(string path, IterationMetrics m)
    {
        bool fresh = !File.Exists(path);
        using var writer = new StreamWriter(path, append: true);
        if (fresh) writer.WriteLine(Header);
        writer.WriteLine(string.Join(",",
            m.Iteration.ToString(CultureInfo.InvariantCulture), F(m.MeanCost), F(m.MinCost), F(m.MaxCost), F(m.GradientNorm),
            m.DroppedRollouts.ToString(CultureInfo.InvariantCulture), m.SimulatorFailures.ToString(CultureInfo.InvariantCulture),
            m.UpdateSkipped ? "1" : "0", F(m.ForwardSeconds), F(m.BackwardSeconds), F(m.WallSeconds)));
    }

    /// <summary>Reads (iteration, mean cost) pairs back, e.g. for plotting a resumed run's whole curve.</summary>
    public static IReadOnlyList<(int Iteration, double MeanCost)> ReadMeanCosts(string path)
    {
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Skip(1).Select(line => line.Split(','))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToArray();
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
