using DiffOp.Learning.Training;

namespace DiffOp.Cluster;

/// <summary>
/// The silo side: builds a <see cref="RolloutWorker"/> per run description with the host program's factory, keeps the workers of
/// the last few descriptions, and runs at most <see cref="Slots"/> rollouts at once (1 by default: Ipopt is not thread-safe in
/// one process). A worker runs one rollout at a time; with several slots each slot gets a worker of its own.
/// </summary>
public sealed class RolloutWorkerCache : IDisposable
{
    /// <summary>Run descriptions whose workers are kept (a silo serving several trainers builds each run's workers once).</summary>
    public const int KeptDescriptions = 4;

    private readonly Func<string, RolloutWorker> _createWorker;
    private readonly SemaphoreSlim _gate;
    private readonly object _lock = new();
    private readonly LinkedList<(string Description, Stack<RolloutWorker> Idle)> _runs = new();
    private bool _disposed;

    /// <summary>A cache that builds workers with <paramref name="createWorker"/> and runs <paramref name="slots"/> rollouts at once.</summary>
    /// <param name="createWorker">Builds the worker a run description describes (the CLI: config.json text → environment, policy, exploration).</param>
    /// <param name="slots">Rollouts run at once (≥ 1); more than 1 only for policies whose solver is thread-safe (not Ipopt).</param>
    public RolloutWorkerCache(Func<string, RolloutWorker> createWorker, int slots = 1)
    {
        _createWorker = createWorker ?? throw new ArgumentNullException(nameof(createWorker));
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), slots, "A silo needs at least one rollout slot.");
        Slots = slots;
        _gate = new SemaphoreSlim(slots, slots);
    }

    /// <summary>Rollouts run at once.</summary>
    public int Slots { get; }

    /// <summary>Rollouts run so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    private long _completed;

    /// <summary>Runs one rollout (waiting for a free slot); exceptions of the factory or the rollout propagate.</summary>
    public async Task<RolloutResult> RunAsync(double[] theta, RolloutRequest request, string runDescription)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runDescription);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Off the Orleans scheduler: a rollout is seconds of CPU in native code.
            return await Task.Run(() =>
            {
                var worker = Take(runDescription);
                try
                {
                    var result = worker.Run(theta, request);
                    Interlocked.Increment(ref _completed);
                    return result;
                }
                finally
                {
                    Return(runDescription, worker);
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private RolloutWorker Take(string description)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var node = _runs.First; node is not null; node = node.Next)
            {
                if (node.Value.Description != description) continue;
                _runs.Remove(node);
                _runs.AddFirst(node);   // most recently used first
                if (node.Value.Idle.TryPop(out var idle)) return idle;
                break;
            }
        }
        return _createWorker(description) ?? throw new InvalidOperationException("The worker factory returned null.");
    }

    private void Return(string description, RolloutWorker worker)
    {
        List<RolloutWorker> evicted = [];
        lock (_lock)
        {
            if (_disposed)
            {
                evicted.Add(worker);
            }
            else
            {
                var node = _runs.First;
                while (node is not null && node.Value.Description != description) node = node.Next;
                if (node is null) node = _runs.AddFirst((description, new Stack<RolloutWorker>()));
                node.Value.Idle.Push(worker);
                while (_runs.Count > KeptDescriptions)
                {
                    evicted.AddRange(_runs.Last!.Value.Idle);
                    _runs.RemoveLast();
                }
            }
        }
        foreach (var old in evicted) old.Dispose();
    }

    /// <summary>Disposes every idle worker (a worker still running is disposed when it returns).</summary>
    public void Dispose()
    {
        List<RolloutWorker> idle = [];
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var run in _runs) idle.AddRange(run.Idle);
            _runs.Clear();
        }
        foreach (var worker in idle) worker.Dispose();
    }
}
