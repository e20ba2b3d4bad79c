using System.Diagnostics;
using System.Text.Json;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>
/// Runs rollouts in worker processes (<c>diffop rollout-worker</c>), because Debian's Ipopt/MUMPS is not thread-safe
/// (docs/ipopt-thread-safety.md). Each worker rebuilds the environment and the policy from the run config, then
/// answers one JSON request line with one JSON result line. Requests are dealt round-robin and results are put
/// back in request order, so the outcome does not depend on the worker count.
/// </summary>
internal sealed class ProcessRolloutExecutor : IRolloutExecutor
{
    private readonly List<Process> _workers = [];
    private readonly List<System.Text.StringBuilder> _stderr = [];

    public ProcessRolloutExecutor(RunConfig config, int workers)
    {
        string configPath = Path.Combine(Path.GetTempPath(), $"diffop-worker-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        config.Save(configPath);
        for (int i = 0; i < workers; i++)
        {
            var start = WorkerStartInfo(configPath);
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a rollout worker process.");
            // Drain stderr continuously (a full pipe would block the worker) and keep its tail for error messages.
            var log = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (log)
                {
                    if (log.Length > 16_384) log.Remove(0, log.Length - 8_192);
                    log.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            _workers.Add(process);
            _stderr.Add(log);
        }
        // The workers read the config at start-up; it is deleted once the first batch proves they are running.
        _configPath = configPath;
    }

    private string? _configPath;

    public int WorkerCount => _workers.Count;

    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        var results = new RolloutResult[requests.Count];
        var tasks = _workers.Select((worker, w) => Task.Run(() =>
        {
            var mine = Enumerable.Range(0, requests.Count).Where(i => i % _workers.Count == w).ToArray();
            foreach (int i in mine)
                worker.StandardInput.WriteLine(JsonSerializer.Serialize(new WorkerRequest(theta, requests[i].Seed, requests[i].Explore, requests[i].NoiseSeed, requests[i].Mirror, requests[i].Detail, requests[i].Tangent), RunConfig.JsonOptions.WithoutIndent()));
            worker.StandardInput.Flush();
            foreach (int i in mine)
            {
                string? line = worker.StandardOutput.ReadLine();
                if (line is null)
                {
                    // WaitForExit() without a timeout also waits until the stderr handler has seen end of stream.
                    string exit = worker.WaitForExit(5000) ? $"exit code {worker.ExitCode}" : "still running";
                    if (worker.HasExited) worker.WaitForExit();
                    string tail;
                    lock (_stderr[w]) tail = _stderr[w].ToString().Trim();
                    throw new IOException($"Rollout worker {w} (pid {worker.Id}) stopped answering ({exit}). Its last error output:{Environment.NewLine}{(tail.Length > 0 ? tail : "(none)")}");
                }
                results[i] = JsonSerializer.Deserialize<RolloutResult>(line, RunConfig.JsonOptions)
                             ?? throw new InvalidDataException($"Rollout worker {w} sent an empty result.");
            }
        })).ToArray();
        Task.WaitAll(tasks);
        if (_configPath is not null) { File.Delete(_configPath); _configPath = null; }
        return results;
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            try
            {
                worker.StandardInput.Close();   // the worker exits at end of input
                if (!worker.WaitForExit(5000)) worker.Kill();
            }
            catch (InvalidOperationException) { /* already exited */ }
            worker.Dispose();
        }
        _workers.Clear();
        if (_configPath is not null) File.Delete(_configPath);
    }

    private static ProcessStartInfo WorkerStartInfo(string configPath)
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
        return start;
    }
}

/// <summary>One request line to a rollout worker.</summary>
internal sealed record WorkerRequest(double[] Theta, int Seed, bool Explore, int? NoiseSeed, bool Mirror = false, RolloutDetail Detail = RolloutDetail.None, bool Tangent = false);

internal static class JsonOptionsExtensions
{
    public static JsonSerializerOptions WithoutIndent(this JsonSerializerOptions options) => new(options) { WriteIndented = false };
}
