using System.Runtime.ExceptionServices;

namespace DiffOp.Learning.Training;

/// <summary>
/// Runs the rollouts of a batch on several threads of this process, one <see cref="RolloutWorker"/> per thread, and returns
/// them in request order. Each result depends only on (θ, request), so θ is the same as with
/// <see cref="SequentialRolloutExecutor"/> bit for bit, whatever the number of threads.
/// </summary>
/// <remarks>
/// Threads pay off when the policy's OCP is a convex QP (the structured QP solver has no global state: voltage control and
/// other linear-quadratic models). Ipopt is not thread-safe, so its solves (nonlinear OCPs, and the QP solver's rare
/// fallbacks) are serialized process-wide; for nonlinear policies use <see cref="Workers.ProcessRolloutExecutor"/>.
/// The workers are created one after another in the constructor (building OCPs is not meant to run concurrently).
/// </remarks>
public sealed class ThreadRolloutExecutor : IRolloutExecutor
{
    private readonly RolloutWorker[] _workers;

    /// <summary>Creates <paramref name="threads"/> workers with <paramref name="createWorker"/>.</summary>
    /// <param name="createWorker">Builds one worker (environment, policy, exploration); called once per thread.</param>
    /// <param name="threads">Number of threads (≥ 1); more than the cores makes no batch faster.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public ThreadRolloutExecutor(Func<RolloutWorker> createWorker, int threads)
    {
        ArgumentNullException.ThrowIfNull(createWorker);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "A thread executor needs at least one thread.");
        _workers = new RolloutWorker[threads];
        try
        {
            for (int i = 0; i < threads; i++)
                _workers[i] = createWorker() ?? throw new InvalidOperationException("createWorker returned null: it must build a new RolloutWorker per call.");
            if (_workers.Distinct().Count() != threads)
                throw new InvalidOperationException("createWorker returned the same RolloutWorker twice: each thread needs its own (a worker is not thread-safe).");
        }
        catch
        {
            foreach (var w in _workers.Distinct()) w?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int WorkerCount => _workers.Length;

    /// <inheritdoc />
    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(requests);
        var results = new RolloutResult[requests.Count];
        int threads = Math.Min(_workers.Length, requests.Count);
        if (threads <= 1)
        {
            for (int i = 0; i < results.Length; i++) results[i] = _workers[0].Run(theta, requests[i]);
            return results;
        }

        int next = -1;
        var failures = new Exception?[threads];
        var running = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int slot = t;
            running[t] = new Thread(() =>
            {
                try
                {
                    for (int i = Interlocked.Increment(ref next); i < results.Length; i = Interlocked.Increment(ref next))
                        results[i] = _workers[slot].Run(theta, requests[i]);
                }
                catch (Exception ex)
                {
                    failures[slot] = ex;
                    Interlocked.Exchange(ref next, results.Length);   // the others stop at their next request
                }
            }) { IsBackground = true, Name = $"diffop-rollout-{slot}" };
            running[t].Start();
        }
        foreach (var thread in running) thread.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
        return results;
    }

    /// <summary>Disposes every worker.</summary>
    public void Dispose()
    {
        foreach (var w in _workers) w?.Dispose();
    }
}
