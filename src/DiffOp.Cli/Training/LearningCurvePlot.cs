namespace DiffOp.Cli.Training;

/// <summary>Draws learning-curve.png: mean episode cost per iteration (ScottPlot).</summary>
internal static class LearningCurvePlot
{
    public static void Save(string path, string title, IReadOnlyList<(int Iteration, double MeanCost)> points,
                            IReadOnlyList<(int Iteration, double Value)>? evaluation = null)
    {
        var finite = points.Where(p => double.IsFinite(p.MeanCost)).ToArray();
        var plot = new ScottPlot.Plot();
        if (finite.Length > 0)
        {
            var line = plot.Add.Scatter(finite.Select(p => (double)p.Iteration).ToArray(), finite.Select(p => p.MeanCost).ToArray());
            line.LegendText = "mean episode cost (exploring rollouts)";
        }
        var evaluated = (evaluation ?? []).Where(p => double.IsFinite(p.Value)).ToArray();
        if (evaluated.Length > 0)
        {
            var line = plot.Add.Scatter(evaluated.Select(p => (double)p.Iteration).ToArray(), evaluated.Select(p => p.Value).ToArray());
            line.LegendText = "evaluation cost (fixed episodes, u = u*)";
        }
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel("episode cost L(τ)");
        plot.ShowLegend();
        plot.SavePng(path, 900, 540);
    }
}
