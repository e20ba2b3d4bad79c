using DiffOp.Results.Benchmarking;
using DiffOp.Learning.Policies;
using ScottPlot;

namespace DiffOp.Results;

/// <summary>The pictures of docs/RESULTS.md (ScottPlot): learning-curve bands and the backward-time scaling plot.</summary>
internal static class ResultsPlots
{
    private static readonly (PolicyMode Mode, Color Color)[] Modes = [(PolicyMode.Step, Colors.C0), (PolicyMode.Traj, Colors.C1)];

    /// <summary>
    /// Evaluation cost against iteration for Step and Traj: the mean over seeds as a line and the 20–80 percentile
    /// band shaded (paper Figure 2), with the cost of the true θ as a dashed line per mode.
    /// </summary>
    public static void LearningCurves(string path, string environment, IReadOnlyList<TrainingRunSummary> runs, IReadOnlyDictionary<string, double> trueCost,
                                      IReadOnlyList<BaselineRunSummary>? baselines = null)
    {
        var plot = new Plot();
        int seeds = 0;
        foreach (var (mode, color) in Modes)
        {
            var selected = runs.Where(r => r.Environment == environment && r.Mode == mode && r.Label == "tuned").ToArray();
            var band = CurveStatistics.Band([.. selected.Select(r => r.Evaluation)]);
            if (band.Count == 0) continue;
            seeds = Math.Max(seeds, selected.Length);
            // x = iteration × the recipe's N (the same for every seed)
            AddBand(plot, band, selected[0].Rollouts, color, 0.25, 2, $"DiffOP {mode} (mean; 20–80 %)");
            if (trueCost.TryGetValue(ResultsData.Key(environment, mode), out double reference) && double.IsFinite(reference))
            {
                var h = plot.Add.HorizontalLine(reference, 1.5f, color, LinePattern.Dashed);
                h.LegendText = $"true θ, {mode}";
            }
        }
        AddBaselines(plot, environment, baselines ?? []);
        plot.Title($"{environment}: evaluation cost over {seeds} seeds");
        plot.XLabel("iteration × N (exploring trajectories; the trust-region rule's second batches not counted)");
        plot.YLabel("episode cost (fixed evaluation episodes, u = u*)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 540);
    }

    /// <summary>The voltage update rules compared (<see cref="ResultsPlan.VoltageVariants"/>): label, legend and color.</summary>
    public static readonly (string Label, string Name, Color Color)[] VoltageRules =
    [
        ("tuned", "default recipe (trust-region quasi-Newton, N = 100)", Colors.C0),
        ("adam", "Adam recipe (N = 10, cosine decay)", Colors.C1),
        ("paper", "paper's settings (σ = 1, β = 0.01, SGD η = 0.1)", Colors.C2),
    ];

    /// <summary>
    /// Voltage in one mode: the evaluation-cost bands of every update rule against the exploring trajectories used before
    /// each evaluated iteration (the trust-region rule's second batches counted), so that rules with different N compare on
    /// the same budget.
    /// </summary>
    public static void VoltageVariants(string path, PolicyMode mode, IReadOnlyList<TrainingRunSummary> runs)
    {
        var plot = new Plot();
        int seeds = 0;
        foreach (var (label, name, color) in VoltageRules)
        {
            var selected = runs.Where(r => r.Environment == "voltage" && r.Mode == mode && r.Label == label).ToArray();
            var band = CurveStatistics.Band([.. selected.Select(r => r.Evaluation)]);
            if (band.Count == 0) continue;
            seeds = Math.Max(seeds, selected.Length);
            double[] xs = [.. band.Select(b => selected.Average(r => TrajectoriesBefore(r, b.Iteration)))];
            AddBand(plot, band, xs, color, 0.2, 2, name);
        }
        plot.Title($"voltage, {mode} mode: the update rules on the same budget ({seeds} seeds; mean and 20–80 %)");
        plot.XLabel("exploring trajectories used (the trust-region rule's second batches counted)");
        plot.YLabel("episode cost (fixed evaluation episodes, u = u*)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 540);
    }

    /// <summary>Trajectories a run had used before iteration <paramref name="iteration"/> (whose evaluation ran at the θ they produced).</summary>
    public static double TrajectoriesBefore(TrainingRunSummary run, int iteration) =>
        iteration <= 1 ? 0 : run.Trajectories.Count >= iteration - 1 ? run.Trajectories[iteration - 2] : (double)(iteration - 1) * run.Rollouts;

    /// <summary>The RL-MPC methods' curves as bands like DiffOP's; the fits (imitation, system identification) as dotted levels.</summary>
    private static void AddBaselines(Plot plot, string environment, IReadOnlyList<BaselineRunSummary> baselines)
    {
        var colors = new Dictionary<string, Color> { ["rlmpc-td"] = Colors.C2, ["rlmpc-dpg"] = Colors.C3, ["imitation"] = Colors.C4, ["sysid"] = Colors.C5 };
        foreach (var group in baselines.Where(b => b.Environment == environment).GroupBy(b => b.Algorithm))
        {
            var color = colors.GetValueOrDefault(group.Key, Colors.Gray);
            string name = ResultsReport.MethodName(group.Key);
            var band = CurveStatistics.Band([.. group.Select(b => b.Evaluation)]);
            if (band.Count > 0)
            {
                AddBand(plot, band, ResultsPlan.Rollouts, color, 0.15, 1.5f, $"{name}, {group.First().Mode}");
                continue;
            }
            var finals = group.Select(b => b.FinalCost).Where(double.IsFinite).ToArray();
            if (finals.Length == 0) continue;
            var level = plot.Add.HorizontalLine(finals.Average(), 1.5f, color, LinePattern.Dotted);
            level.LegendText = $"{name}, {group.First().Mode} (final θ, mean)";
        }
    }

    /// <summary>A learning-curve band: the 20–80 percentile range shaded, the mean as a line, against iteration × N.</summary>
    private static void AddBand(Plot plot, IReadOnlyList<BandPoint> band, int rollouts, Color color, double alpha, float width, string legend) =>
        AddBand(plot, band, [.. band.Select(b => (double)b.Iteration * rollouts)], color, alpha, width, legend);

    /// <summary>A learning-curve band against the given x values (one per band point).</summary>
    private static void AddBand(Plot plot, IReadOnlyList<BandPoint> band, double[] xs, Color color, double alpha, float width, string legend)
    {
        var fill = plot.Add.FillY(xs, [.. band.Select(b => b.Low)], [.. band.Select(b => b.High)]);
        fill.FillColor = color.WithAlpha(alpha);
        fill.LineColor = Colors.Transparent;
        var line = plot.Add.Scatter(xs, [.. band.Select(b => b.Mean)]);
        line.Color = color;
        line.MarkerSize = 0;
        line.LineWidth = width;
        line.LegendText = legend;
    }

    /// <summary>Backward time (dense, structured Jacobian, structured VJP) and forward time against H on log-log axes.</summary>
    public static void BackwardScaling(string path, IReadOnlyList<BenchmarkRow> rows)
    {
        var plot = new Plot();
        var sweep = rows.Where(r => r.Case == "voltage-sweep").ToArray();
        foreach (var (phase, label, color) in new[]
                 {
                     ("backward_dense", "backward, dense LU", Colors.C3), ("backward_structured", "backward, structured (full Jacobian)", Colors.C0),
                     ("backward_vjp", "backward, structured VJP", Colors.C2), ("forward", "forward (structured QP)", Colors.Gray),
                 })
        {
            var points = sweep.Where(r => r.Phase == phase && r.MedianMs > 0).OrderBy(r => r.Horizon).ToArray();
            if (points.Length == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => Math.Log10(p.Horizon)).ToArray(), points.Select(p => Math.Log10(p.MedianMs)).ToArray());
            line.Color = color;
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            if (phase == "forward") line.LinePattern = LinePattern.Dashed;
        }
        plot.Axes.Bottom.TickGenerator = LogTicks(v => $"{v:G4}");
        plot.Axes.Left.TickGenerator = LogTicks(v => v >= 1 ? $"{v:G4} ms" : $"{v * 1000:G3} µs");
        plot.Title("Voltage OCP: time per call against horizon H (log-log)");
        plot.XLabel("horizon H");
        plot.YLabel("median time per call");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 540);
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(Func<double, string> label) => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = y => label(Math.Pow(10, y)),
    };
}
