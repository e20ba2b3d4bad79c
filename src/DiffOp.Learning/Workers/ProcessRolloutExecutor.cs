using System.Diagnostics;
using System.Text.Json;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Workers;

/// <summary>A rollout worker process kept failing (crashed or stopped answering) after restarts.</summary>
public sealed class RolloutWorkerException(string message) : Exception(message);

/// <summary>
/// Runs rollouts in worker processes, so that rollouts run in parallel although Ipopt is not thread-safe in one process.
/// Each worker is a program (usually this one, see <see cref="ProcessWorkerStart.ThisProgram"/>) that builds the same
/// environment and policy and answers requests with <see cref="RolloutWorkerHost.Serve(Func{RolloutWorker})"/>.
/// Requests are dealt round-robin and results returned in request order; a rollout depends only on (θ, request), so the
/// results equal the <see cref="SequentialRolloutExecutor"/>'s whatever the worker count.
/// <para>
/// Faults: a worker that exits or does not answer within the reply timeout is killed and replaced, and its request sent
/// again (the result is the one an undisturbed worker would have given). After <see cref="MaxRestarts"/> replacements of
/// one worker within one batch, <see cref="Run"/> throws <see cref="RolloutWorkerException"/> with the worker's last
/// error output.
/// </para>
/// </summary>
public sealed class ProcessRolloutExecutor : IRolloutExecutor
{
    private readonly ProcessWorkerStart _start;
    private readonly Worker?[] _workers;
    private readonly TimeSpan _timeout, _startupTimeout;

    /// <summary>Starts <paramref name="workers"/> worker processes.</summary>
    /// <param name="start">How to start one worker.</param>
    /// <param name="workers">Number of worker processes (≥ 1).</param>
    /// <param name="replyTimeout">Longest wait for one rollout's result before the worker counts as stuck (default 300 s).</param>
    /// <param name="maxRestarts">Replacements of one worker within one batch before giving up (default 3).</param>
    /// <param name="startupTimeout">
    /// Longest wait for a new worker to say it is ready (its environment and policy built) before it counts as stuck; the reply
    /// timeout counts from then. Default: 30 s, or the reply timeout if that is longer.
    /// </param>
    public ProcessRolloutExecutor(ProcessWorkerStart start, int workers, TimeSpan? replyTimeout = null, int maxRestarts = 3, TimeSpan? startupTimeout = null)
    {
        _start = start ?? throw new ArgumentNullException(nameof(start));
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "At least one worker process is needed.");
        _timeout = replyTimeout ?? TimeSpan.FromSeconds(300);
        if (_timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(replyTimeout), replyTimeout, "The reply timeout must be positive.");
        _startupTimeout = startupTimeout ?? (_timeout > TimeSpan.FromSeconds(30) ? _timeout : TimeSpan.FromSeconds(30));
        if (_startupTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(startupTimeout), startupTimeout, "The startup timeout must be positive.");
        if (maxRestarts < 0) throw new ArgumentOutOfRangeException(nameof(maxRestarts), maxRestarts, "The number of restarts cannot be negative.");
        MaxRestarts = maxRestarts;
        _workers = new Worker?[workers];
        for (int i = 0; i < workers; i++) _workers[i] = Worker.Start(_start);
    }

    /// <inheritdoc />
    public int WorkerCount => _workers.Length;

    /// <summary>Replacements of one worker within one batch before <see cref="Run"/> gives up.</summary>
    public int MaxRestarts { get; }

    /// <summary>Workers replaced so far (after a crash or a timeout).</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    private int _restarts;

    /// <inheritdoc />
    /// <exception cref="RolloutWorkerException">A worker failed more than <see cref="MaxRestarts"/> times in this batch.</exception>
    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(requests);
        var results = new RolloutResult[requests.Count];
        var tasks = Enumerable.Range(0, _workers.Length).Select(w => Task.Run(() =>
        {
            int restarts = 0;
            for (int i = w; i < requests.Count; i += _workers.Length)
            {
                string line = JsonSerializer.Serialize(WorkerRequest.From(theta, requests[i]), WorkerProtocol.Json);
                while (true)
                {
                    var worker = _workers[w] ??= Worker.Start(_start);
                    string? reply = worker.Ask(line, _timeout, _startupTimeout, out string failure);
                    if (reply is not null)
                    {
                        results[i] = JsonSerializer.Deserialize<RolloutResult>(reply, WorkerProtocol.Json)
                                     ?? throw new InvalidDataException($"Rollout worker {w} sent an empty result.");
                        break;
                    }
                    string tail = worker.Stop();
                    _workers[w] = null;
                    if (++restarts > MaxRestarts)
                        throw new RolloutWorkerException(
                            $"Rollout worker {w} failed {restarts} times in one batch (last: {failure}). Its last error output:{Environment.NewLine}{(tail.Length > 0 ? tail : "(none)")}");
                    Interlocked.Increment(ref _restarts);
                }
            }
        })).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return results;
    }

    /// <summary>Ends every worker (end of input; killed if it does not exit within 5 s).</summary>
    public void Dispose()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i]?.Close();
            _workers[i] = null;
        }
    }

    /// <summary>One worker process, its pipes and the tail of its error output.</summary>
    private sealed class Worker
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _stderr = new();
        private bool _ready;

        private Worker(Process process) => _process = process;

        public static Worker Start(ProcessWorkerStart start)
        {
            var process = Process.Start(start.ToStartInfo()) ?? throw new RolloutWorkerException($"Could not start the rollout worker '{start.FileName}'.");
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

        /// <summary>
        /// Waits for the ready line (first call only), sends one request and waits for its reply; null (and why) when the
        /// worker died or did not answer in time.
        /// </summary>
        public string? Ask(string request, TimeSpan timeout, TimeSpan startupTimeout, out string failure)
        {
            try
            {
                if (!_ready)
                {
                    var first = _process.StandardOutput.ReadLineAsync();
                    if (!first.Wait(startupTimeout))
                    {
                        failure = $"not ready within {startupTimeout.TotalSeconds:G4} s of its start";
                        return null;
                    }
                    if (first.Result != WorkerProtocol.ReadyLine)
                    {
                        failure = first.Result is null ? "the process ended before it was ready" : $"its first line was not the ready line: {Truncate(first.Result)}";
                        return null;
                    }
                    _ready = true;
                }
                _process.StandardInput.WriteLine(request);
                _process.StandardInput.Flush();
                var read = _process.StandardOutput.ReadLineAsync();
                if (!read.Wait(timeout))
                {
                    failure = $"no reply within {timeout.TotalSeconds:G4} s";
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

        private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "…";

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
