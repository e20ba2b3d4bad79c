using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>A rollout worker process kept failing (crashed or stopped answering) after restarts.</summary>
internal sealed class RolloutWorkerException(string message) : Exception(message);

/// <summary>
/// Runs rollouts in worker processes (<c>diffop rollout-worker</c>), because Debian's Ipopt/MUMPS is not thread-safe
/// (docs/ipopt-thread-safety.md). Each worker rebuilds the environment and the policy from the run config, then
/// answers one JSON request line with one JSON result line. Requests are dealt round-robin and results are put
/// back in request order, so the outcome does not depend on the worker count.
/// <para>
/// Faults: a worker that exits or does not answer within the reply timeout (DIFFOP_WORKER_TIMEOUT seconds, 300 by
/// default) is killed and replaced, and the request is sent again; a rollout depends only on (θ, request), so the
/// result is the one an undisturbed worker would have given. After <see cref="MaxRestarts"/> replacements in one
/// batch of one slot the executor gives up with the worker's last error output.
/// </para>
/// </summary>
internal sealed class ProcessRolloutExecutor : IRolloutExecutor
{
    /// <summary>Environment variable: the reply timeout in seconds.</summary>
    public const string TimeoutVariable = "DIFFOP_WORKER_TIMEOUT";

    /// <summary>Replacements of one worker slot within one batch before the executor gives up.</summary>
    public const int MaxRestarts = 3;

    private const string FilePrefix = "diffop-worker-";
    private readonly Worker?[] _workers;
    private readonly string _configPath;
    private readonly TimeSpan _timeout;

    public ProcessRolloutExecutor(RunConfig config, int workers)
    {
        RemoveStaleConfigs();
        _timeout = ReplyTimeout();
        _configPath = Path.Combine(Path.GetTempPath(), $"{FilePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        config.Save(_configPath);
        // The config file is needed as long as a worker may have to be restarted; it goes on Dispose or process exit.
        AppDomain.CurrentDomain.ProcessExit += DeleteConfig;
        _workers = new Worker?[workers];
        for (int i = 0; i < workers; i++) _workers[i] = Worker.Start(_configPath);
    }

    public int WorkerCount => _workers.Length;

    /// <summary>Processes started so far, replacements included (for tests and diagnostics).</summary>
    public int Restarts { get; private set; }

    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        var results = new RolloutResult[requests.Count];
        var compact = RunConfig.JsonOptions.WithoutIndent();
        var tasks = Enumerable.Range(0, _workers.Length).Select(w => Task.Run(() =>
        {
            int restarts = 0;
            for (int i = w; i < requests.Count; i += _workers.Length)
            {
                var r = requests[i];
                string line = JsonSerializer.Serialize(new WorkerRequest(theta, r.Seed, r.Explore, r.NoiseSeed, r.Mirror, r.Detail, r.Tangent), compact);
                while (true)
                {
                    var worker = _workers[w] ??= Worker.Start(_configPath);
                    string? reply = worker.Ask(line, _timeout, out string failure);
                    if (reply is not null)
                    {
                        results[i] = JsonSerializer.Deserialize<RolloutResult>(reply, RunConfig.JsonOptions)
                                     ?? throw new InvalidDataException($"Rollout worker {w} sent an empty result.");
                        break;
                    }
                    string tail = worker.Stop();
                    _workers[w] = null;
                    if (++restarts > MaxRestarts)
                        throw new RolloutWorkerException(
                            $"Rollout worker {w} failed {restarts} times in one iteration (last: {failure}); training stopped, and the last checkpoint is intact. " +
                            $"Its last error output:{Environment.NewLine}{(tail.Length > 0 ? tail : "(none)")}");
                    lock (_workers) Restarts++;
                }
            }
        })).ToArray();
        Task.WaitAll(tasks);
        return results;
    }

    public void Dispose()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i]?.Close();
            _workers[i] = null;
        }
        DeleteConfig(null, EventArgs.Empty);
        AppDomain.CurrentDomain.ProcessExit -= DeleteConfig;
    }

    private void DeleteConfig(object? sender, EventArgs e)
    {
        try { File.Delete(_configPath); }
        catch (IOException) { /* best effort on the way out */ }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The reply timeout: DIFFOP_WORKER_TIMEOUT seconds, or 300.</summary>
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

    /// <summary>One worker process, its pipes and the tail of its error output.</summary>
    private sealed class Worker
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _stderr = new();

        private Worker(Process process) => _process = process;

        public static Worker Start(string configPath)
        {
            string dll = typeof(DiffOpCli).Assembly.Location;
            string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
            var start = new ProcessStartInfo(host)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("rollout-worker");
            start.ArgumentList.Add(configPath);
            var process = Process.Start(start) ?? throw new RolloutWorkerException("Could not start a rollout worker process.");
            var worker = new Worker(process);
            // Drain stderr continuously (a full pipe would block the worker) and keep its tail for error messages.
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (worker._stderr)
                {
                    if (worker._stderr.Length > 16_384) worker._stderr.Remove(0, worker._stderr.Length - 8_192);
                    worker._stderr.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            return worker;
        }

        /// <summary>The pid (for tests that inject faults).</summary>
        public int Id => _process.Id;

        /// <summary>Sends one request and waits for its reply; null (and why) when the worker died or did not answer in time.</summary>
        public string? Ask(string request, TimeSpan timeout, out string failure)
        {
            try
            {
                _process.StandardInput.WriteLine(request);
                _process.StandardInput.Flush();
                var read = _process.StandardOutput.ReadLineAsync();
                if (!read.Wait(timeout))
                {
                    failure = $"no reply within {timeout.TotalSeconds:G4} s ({TimeoutVariable})";
                    return null;
                }
                failure = read.Result is null ? "the process ended" : "";
                return read.Result;
            }
            catch (Exception ex) when (ex is IOException or AggregateException or InvalidOperationException)
            {
                failure = $"the pipe broke ({ex.GetBaseException().Message})";
                return null;
            }
        }

        /// <summary>Kills the process and returns the tail of its error output.</summary>
        public string Stop()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { /* already gone */ }
            string tail;
            lock (_stderr) tail = _stderr.ToString().Trim();
            _process.Dispose();
            return tail;
        }

        /// <summary>Ends the worker normally (end of input), killing it if it does not exit.</summary>
        public void Close()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException) { /* already exited */ }
            _process.Dispose();
        }
    }
}

/// <summary>One request line to a rollout worker.</summary>
internal sealed record WorkerRequest(double[] Theta, int Seed, bool Explore, int? NoiseSeed, bool Mirror = false, RolloutDetail Detail = RolloutDetail.None, bool Tangent = false);

internal static class JsonOptionsExtensions
{
    public static JsonSerializerOptions WithoutIndent(this JsonSerializerOptions options) => new(options) { WriteIndented = false };
}
