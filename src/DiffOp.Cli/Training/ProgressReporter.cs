using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>One progress line per iteration: redrawn in place with a bar and ETA on a terminal, plain lines otherwise.</summary>
internal sealed class ProgressReporter(TextWriter output, int totalIterations, bool interactive)
{
    private readonly DateTime _start = DateTime.UtcNow;
    private int _done;

    public void Report(IterationMetrics m)
    {
        _done++;
        var elapsed = DateTime.UtcNow - _start;
        var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / _done * (totalIterations - m.Iteration));
        string flags = (m.DroppedRollouts > 0 ? $" dropped {m.DroppedRollouts}" : "") + (m.SimulatorFailures > 0 ? $" sim-failures {m.SimulatorFailures}" : "")
                       + (m.UpdateSkipped ? " (θ unchanged)" : "");
        string text = $"iteration {m.Iteration,5}/{totalIterations}  mean cost {m.MeanCost,12:G6}  |ĝ| {m.GradientNorm,10:G4}{flags}";
        if (interactive)
        {
            const int width = 24;
            int filled = (int)Math.Round(width * (double)m.Iteration / totalIterations);
            output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {text}  ETA {eta:hh\\:mm\\:ss}   ");
            if (m.Iteration == totalIterations) output.WriteLine();
        }
        else output.WriteLine(text);
    }
}
