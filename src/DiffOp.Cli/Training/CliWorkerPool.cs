using System.Diagnostics;
using System.Globalization;
using DiffOp.Learning.Training;
using DiffOp.Learning.Workers;

namespace DiffOp.Cli.Training;

/// <summary>
/// The CLI's parallel rollouts: the library's <see cref="ProcessRolloutExecutor"/> with <c>diffop rollout-worker CONFIG</c>
/// as the worker program. The run configuration goes to a file in the temp folder that lives as long as the pool (workers
/// may be restarted), is removed on dispose or process exit, and is cleaned up by the next pool if a trainer was killed.
/// The reply timeout is DIFFOP_WORKER_TIMEOUT seconds (300 by default).
/// </summary>
internal sealed class CliWorkerPool : IRolloutExecutor
{
    /// <summary>Environment variable: the reply timeout in seconds.</summary>
    public const string TimeoutVariable = "DIFFOP_WORKER_TIMEOUT";

    private const string FilePrefix = "diffop-worker-";
    private readonly string _configPath;
    private readonly ProcessRolloutExecutor _executor;

    public CliWorkerPool(RunConfig config, int workers)
    {
        RemoveStaleConfigs();
        var timeout = ReplyTimeout();
        _configPath = Path.Combine(Path.GetTempPath(), $"{FilePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        config.Save(_configPath);
        AppDomain.CurrentDomain.ProcessExit += DeleteConfig;
        try
        {
            _executor = new ProcessRolloutExecutor(
                ProcessWorkerStart.DotnetAssembly(typeof(DiffOpCli).Assembly.Location, "rollout-worker", _configPath), workers, timeout);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int WorkerCount => _executor.WorkerCount;

    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        try
        {
            return _executor.Run(theta, requests);
        }
        catch (RolloutWorkerException ex)
        {
            throw new RolloutWorkerException($"{ex.Message}{Environment.NewLine}Training stopped; the last checkpoint is intact.");
        }
    }

    public void Dispose()
    {
        _executor?.Dispose();
        DeleteConfig(null, EventArgs.Empty);
        AppDomain.CurrentDomain.ProcessExit -= DeleteConfig;
    }

    private void DeleteConfig(object? sender, EventArgs e)
    {
        try { File.Delete(_configPath); }
        catch (IOException) { /* best effort on the way out */ }
        catch (UnauthorizedAccessException) { }
    }

    private static TimeSpan ReplyTimeout()
    {
        string? text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(300);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{TimeoutVariable} must be a positive number of seconds, got '{text}'.");
    }

    /// <summary>Deletes config files that trainers which no longer run left in the temp folder (e.g. after a kill -9).</summary>
    private static void RemoveStaleConfigs()
    {
        try
        {
            foreach (string file in Directory.EnumerateFiles(Path.GetTempPath(), FilePrefix + "*.json"))
            {
                var parts = Path.GetFileName(file)[FilePrefix.Length..].Split('-');
                if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid)) continue;
                if (pid != Environment.ProcessId && !IsRunning(pid)) File.Delete(file);
            }
        }
        catch (IOException) { /* another trainer is cleaning up too */ }
        catch (UnauthorizedAccessException) { }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
