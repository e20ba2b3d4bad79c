using System.Diagnostics;
using DiffOp.Cli;

namespace DiffOp.Results;

/// <summary>
/// Runs another <c>diffop</c> command in a child process (the same assembly, through the same dotnet host), so that
/// long trainings and evaluations run in processes of their own (Ipopt is not thread-safe; two evaluations can then
/// use both cores). Standard error and, unless captured, standard output go to a log file.
/// </summary>
internal static class ChildCommand
{
    /// <summary>Runs <c>diffop args…</c>; returns its exit code and (when <paramref name="captureOutput"/>) its standard output.</summary>
    public static (int ExitCode, string Output) Run(IReadOnlyList<string> args, string logPath, bool captureOutput)
    {
        string dll = typeof(DiffOpCli).Assembly.Location;
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"$ diffop {string.Join(' ', args)}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start 'diffop {args[0]}'.");
        var output = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (captureOutput) lock (output) output.AppendLine(e.Data);
            else lock (log) log.WriteLine(e.Data);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>Like <see cref="Run"/>, but a non-zero exit code throws with the command and the log's path.</summary>
    public static string RunOrThrow(IReadOnlyList<string> args, string logPath, bool captureOutput)
    {
        var (code, output) = Run(args, logPath, captureOutput);
        if (code != DiffOpCli.Success)
            throw new ResultsStageException($"'diffop {string.Join(' ', args)}' failed with exit code {code}; its output is in {logPath}.");
        return output;
    }
}

/// <summary>A stage of <c>diffop-results run</c> failed; the message names the command and its log.</summary>
internal sealed class ResultsStageException(string message) : Exception(message);
