namespace DiffOp.Cli.Training;

/// <summary>
/// Draws learning-curve.png (ScottPlot): the evaluation cost of the deterministic policy on fixed episodes prominently
/// (the curve that shows learning), the exploring rollouts' mean cost faintly with its rolling mean, and the untrained
/// policy's evaluation cost as a reference line.
/// </summary>
internal static class LearningCurvePlot
{
    /// <summary>Window of the exploring cost's rolling mean (iterations).</summary>
    public const int RollingWindow = 10;

    public static void Save(string path, string title, IReadOnlyList<(int Iteration, double MeanCost)> points,
                            IReadOnlyList<(int Iteration, double Value)>? evaluation = null)
    {
        var finite = points.Where(p => double.IsFinite(p.MeanCost)).ToArray();
        var evaluated = (evaluation ?? []).Where(p => double.IsFinite(p.Value)).ToArray();
        var plot = new ScottPlot.Plot();
        if (finite.Length > 0)
        {
            double[] xs = finite.Select(p => (double)p.Iteration).ToArray(), ys = finite.Select(p => p.MeanCost).ToArray();
            var raw = plot.Add.Scatter(xs, ys);
            raw.LegendText = "exploring rollouts, mean cost";
            raw.Color = ScottPlot.Colors.Gray.WithAlpha(evaluated.Length > 0 ? 0.25 : 0.6);
            raw.MarkerSize = 0;
            if (finite.Length >= RollingWindow)
            {
                var rolling = plot.Add.Scatter(xs, RollingMean(ys, RollingWindow));
                rolling.LegendText = $"exploring rollouts, rolling mean over {RollingWindow}";
                rolling.Color = ScottPlot.Colors.Gray.WithAlpha(evaluated.Length > 0 ? 0.6 : 1.0);
                rolling.MarkerSize = 0;
                rolling.LineWidth = 2;
            }
        }
        if (evaluated.Length > 0)
        {
            var line = plot.Add.Scatter(evaluated.Select(p => (double)p.Iteration).ToArray(), evaluated.Select(p => p.Value).ToArray());
            line.LegendText = "evaluation: deterministic policy u = u* on fixed episodes";
            line.Color = ScottPlot.Colors.Blue;
            line.LineWidth = 3;
            line.MarkerSize = 6;
            var untrained = plot.Add.HorizontalLine(evaluated[0].Value);
            untrained.LegendText = $"untrained policy (evaluation at iteration {evaluated[0].Iteration})";
            untrained.Color = ScottPlot.Colors.Black;
            untrained.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel("episode cost L(τ) (lower is better)");
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;   // costs fall: the upper right is where the curves are not
        plot.SavePng(path, 900, 540);
    }

    /// <summary>Mean of the last <paramref name="window"/> values at each point (fewer at the start).</summary>
    public static double[] RollingMean(IReadOnlyList<double> values, int window)
    {
        var result = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
