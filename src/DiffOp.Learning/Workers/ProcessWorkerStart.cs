using System.Diagnostics;
using System.Reflection;

namespace DiffOp.Learning.Workers;

/// <summary>How <see cref="ProcessRolloutExecutor"/> starts one worker process: a program and its arguments.</summary>
/// <param name="FileName">The program (an executable, or the dotnet host).</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record ProcessWorkerStart(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// This program again, with <paramref name="arguments"/> and <see cref="RolloutWorkerHost.WorkerArgument"/>: the usual
    /// choice, since the program that trains is the one that knows how to build its environment and policy. Works for an
    /// apphost executable and for <c>dotnet app.dll</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The running program cannot be determined.</exception>
    public static ProcessWorkerStart ThisProgram(params string[] arguments)
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running program is unknown, so it cannot be started as a worker: use ProcessWorkerStart.DotnetAssembly.");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            string entry = Assembly.GetEntryAssembly()?.Location is { Length: > 0 } location
                ? location
                : throw new InvalidOperationException("The entry assembly of this dotnet process is unknown: use ProcessWorkerStart.DotnetAssembly.");
            return new ProcessWorkerStart(process, [entry, .. arguments, RolloutWorkerHost.WorkerArgument]);
        }
        return new ProcessWorkerStart(process, [.. arguments, RolloutWorkerHost.WorkerArgument]);
    }

    /// <summary>A .NET assembly run by the dotnet host (the one running this process, if it is dotnet) with <paramref name="arguments"/>.</summary>
    public static ProcessWorkerStart DotnetAssembly(string assemblyPath, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyPath);
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return new ProcessWorkerStart(host, [assemblyPath, .. arguments]);
    }

    internal ProcessStartInfo ToStartInfo()
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string argument in Arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
