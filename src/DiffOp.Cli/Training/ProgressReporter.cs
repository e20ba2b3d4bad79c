using System.Globalization;
using System.Text.Json;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>What <c>diffop train</c> prints per iteration.</summary>
internal enum ProgressStyle
{
    /// <summary>One line per iteration; on a terminal, one live line redrawn in place with a bar, rates and ETA.</summary>
    Lines,
    /// <summary>Nothing per iteration.</summary>
    Quiet,
    /// <summary>One JSON object per iteration.</summary>
    JsonLines,
}

/// <summary>
/// Training progress: on a terminal one live line (iteration k/K, bar, mean cost, evaluation cost, |ĝ|, iterations and
/// solves per second, ETA); redirected, one plain line per iteration with no terminal escape codes; or JSON lines.
/// </summary>
internal sealed class ProgressReporter(TextWriter output, int totalIterations, bool interactive, ProgressStyle style = ProgressStyle.Lines)
{
    private readonly DateTime _start = DateTime.UtcNow;
    private int _done;
    private long _solves;
    private double _lastEvaluation = double.NaN;

    public void Report(IterationMetrics m)
    {
        _done++;
        _solves += m.Solves;
        if (double.IsFinite(m.EvaluationCost)) _lastEvaluation = m.EvaluationCost;
        var elapsed = DateTime.UtcNow - _start;
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds(seconds / _done * (totalIterations - m.Iteration));
        switch (style)
        {
            case ProgressStyle.Quiet:
                return;
            case ProgressStyle.JsonLines:
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    iteration = m.Iteration, iterations = totalIterations, mean_cost = Finite(m.MeanCost), eval_cost = Finite(m.EvaluationCost),
                    gradient_norm = Finite(m.GradientNorm), dropped = m.DroppedRollouts, update_skipped = m.UpdateSkipped,
                    iterations_per_second = _done / seconds, solves_per_second = _solves / seconds, eta_seconds = eta.TotalSeconds,
                }));
                return;
        }
        string flags = (m.DroppedRollouts > 0 ? $" dropped {m.DroppedRollouts}" : "") + (m.SimulatorFailures > 0 ? $" sim-failures {m.SimulatorFailures}" : "")
                       + (m.UpdateSkipped ? " (θ unchanged)" : "");
        string evaluation = double.IsFinite(_lastEvaluation) ? $"  eval {_lastEvaluation,10:G5}" : "";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"iteration {m.Iteration,5}/{totalIterations}  mean cost {m.MeanCost,12:G6}{evaluation}  |ĝ| {m.GradientNorm,10:G4}{flags}");
        if (interactive)
        {
            const int width = 24;
            int filled = (int)Math.Round(width * (double)m.Iteration / totalIterations);
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('.', width - filled)}] {text}  {_done / seconds:F1} it/s  {_solves / seconds:F0} solves/s  ETA {eta:hh\\:mm\\:ss}   "));
            if (m.Iteration == totalIterations) output.WriteLine();
        }
        else output.WriteLine(text);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
