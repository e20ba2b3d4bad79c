using System.Diagnostics;

namespace DiffOp.Cli.Training;

/// <summary>
/// A one-line "label k/N" counter redrawn in place on a terminal (at most about ten times a second) for long loops such
/// as evaluations; silent when the writer is not an interactive terminal, so files and pipes never get escape codes or
/// carriage returns.
/// </summary>
internal sealed class LiveCounter(TextWriter writer, bool interactive, string label, int total)
{
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private int _width;

    /// <summary>True when <paramref name="writer"/> is this process's stderr and stderr is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Reports that item <paramref name="done"/> of N is finished (or starting).</summary>
    public void Tick(int done)
    {
        if (!interactive || (done < total && _sinceDraw.ElapsedMilliseconds < 100)) return;
        string text = $"{label} {done}/{total}";
        writer.Write("\r" + text.PadRight(_width));
        _width = Math.Max(_width, text.Length);
        _sinceDraw.Restart();
    }

    /// <summary>Clears the line.</summary>
    public void Done()
    {
        if (!interactive || _width == 0) return;
        writer.Write("\r" + new string(' ', _width) + "\r");
        writer.Flush();
    }
}
