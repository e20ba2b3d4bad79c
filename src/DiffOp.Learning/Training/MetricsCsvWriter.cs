using System.Globalization;

namespace DiffOp.Learning.Training;

/// <summary>Appends <see cref="IterationMetrics"/> rows to metrics.csv (header written once; invariant culture).</summary>
public static class MetricsCsvWriter
{
    /// <summary>The header line.</summary>
    public const string Header =
        "iteration,mean_cost,min_cost,max_cost,gradient_norm,dropped_rollouts,simulator_failures,update_skipped,forward_s,backward_s,wall_s,clamped_parameters,eval_cost,eval_dropped,trust_ratio,trust_radius,fallback_steps,gradient_rollouts";

    /// <summary>Appends one row, writing the header first when the file is new.</summary>
    public static void Append(string path, IterationMetrics m)
    {
        bool fresh = !File.Exists(path);
        using var writer = new StreamWriter(path, append: true);
        if (fresh) writer.WriteLine(Header);
        writer.WriteLine(string.Join(",",
            m.Iteration.ToString(CultureInfo.InvariantCulture), F(m.MeanCost), F(m.MinCost), F(m.MaxCost), F(m.GradientNorm),
            m.DroppedRollouts.ToString(CultureInfo.InvariantCulture), m.SimulatorFailures.ToString(CultureInfo.InvariantCulture),
            m.UpdateSkipped ? "1" : "0", F(m.ForwardSeconds), F(m.BackwardSeconds), F(m.WallSeconds),
            m.ClampedParameters.ToString(CultureInfo.InvariantCulture), F(m.EvaluationCost), m.EvaluationDropped.ToString(CultureInfo.InvariantCulture),
            F(m.TrustRatio), F(m.TrustRadius), m.FallbackSteps.ToString(CultureInfo.InvariantCulture), m.GradientRollouts.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Reads (iteration, mean cost) pairs back, e.g. for plotting a resumed run's whole curve.</summary>
    public static IReadOnlyList<(int Iteration, double MeanCost)> ReadMeanCosts(string path) => ReadColumn(path, "mean_cost");

    /// <summary>
    /// Reads one column by its header name as (iteration, value) pairs; a file written before the column existed gives
    /// NaN values. Missing file → empty list.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has no iteration column or a row that does not parse.</exception>
    public static IReadOnlyList<(int Iteration, double Value)> ReadColumn(string path, string column)
    {
        if (!File.Exists(path)) return [];
        using var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext()) return [];
        var header = lines.Current.Split(',');
        int iterationIndex = Array.IndexOf(header, "iteration"), valueIndex = Array.IndexOf(header, column);
        if (iterationIndex < 0) throw new InvalidDataException($"{path} is not a metrics file: its header has no 'iteration' column.");
        var rows = new List<(int, double)>();
        int lineNumber = 1;
        while (lines.MoveNext())
        {
            lineNumber++;
            if (lines.Current.Length == 0) continue;
            var fields = lines.Current.Split(',');
            if (!int.TryParse(fields[iterationIndex], NumberStyles.Integer, CultureInfo.InvariantCulture, out int iteration))
                throw new InvalidDataException($"{path}, line {lineNumber}: '{fields[iterationIndex]}' is not an iteration number.");
            double value = double.NaN;
            if (valueIndex >= 0 && valueIndex < fields.Length && !double.TryParse(fields[valueIndex], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw new InvalidDataException($"{path}, line {lineNumber}: '{fields[valueIndex]}' in column '{column}' is not a number.");
            rows.Add((iteration, value));
        }
        return rows;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
