using System.Diagnostics;
using DiffOp.Learning.Training;
using DiffOp.Learning.Workers;
using Orleans.Runtime;

namespace DiffOp.Cluster;

/// <summary>
/// Runs rollouts on the silos of an Orleans cluster (an <see cref="IRolloutExecutor"/> for the trainer). Each batch is spread
/// over the active silos with one request in flight per silo slot, so a fast silo takes more of the batch; results come back in
/// request order. Every call carries θ, the request and the run description, and a rollout depends only on (θ, request), so the
/// results are bit-identical to the <see cref="SequentialRolloutExecutor"/>'s whatever the silos (doubles travel as
/// round-trip JSON).
/// <para>
/// Faults: a call that fails in transport (the silo died, the connection broke) or does not answer within
/// <see cref="RequestTimeout"/> makes that silo excluded for the rest of the run, and the same request (same seeds) runs on
/// another silo; a line on the log says so. Silos that join later are used from the next batch on. When no silo is left,
/// <see cref="Run"/> throws <see cref="RolloutWorkerException"/>. A rollout that fails on the silo itself (an exception in the
/// worker) is not retried: it would fail the same way elsewhere; <see cref="Run"/> throws with the silo's message.
/// </para>
/// </summary>
public sealed class OrleansRolloutExecutor : IRolloutExecutor
{
    private readonly IClusterClient _client;
    private readonly string _runDescription, _clusterName;
    private readonly Action<string> _log;
    private readonly HashSet<SiloAddress> _excluded = [];
    private readonly Dictionary<SiloAddress, int> _slots = [];
    private readonly IDisposable? _owned;

    /// <summary>An executor over <paramref name="client"/>.</summary>
    /// <param name="client">A started Orleans client of a rollout cluster.</param>
    /// <param name="runDescription">What every silo's worker factory receives (the CLI: the run's config.json text).</param>
    /// <param name="requestTimeout">Longest wait for one rollout before its silo counts as stuck (must exceed the slowest rollout).</param>
    /// <param name="log">Receives a line for every fault and how it was handled (null: none).</param>
    /// <param name="clusterName">How messages name the cluster (e.g. its gateway HOST:PORT).</param>
    /// <param name="owned">Disposed with the executor (e.g. the <see cref="ClusterConnection"/> that owns the client).</param>
    public OrleansRolloutExecutor(IClusterClient client, string runDescription, TimeSpan requestTimeout, Action<string>? log = null, string clusterName = "the cluster", IDisposable? owned = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _runDescription = runDescription ?? throw new ArgumentNullException(nameof(runDescription));
        if (requestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(requestTimeout), requestTimeout, "The request timeout must be positive.");
        RequestTimeout = requestTimeout;
        _log = log ?? (_ => { });
        _clusterName = clusterName;
        _owned = owned;
    }

    /// <summary>Longest wait for one rollout's result before its silo counts as stuck.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>Longest wait for the cluster's list of silos.</summary>
    public static TimeSpan MembershipTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <summary>Rollout slots of the silos in use at the last batch (the trainer's view of the parallelism).</summary>
    public int WorkerCount => Math.Max(1, _slots.Where(s => !_excluded.Contains(s.Key)).Sum(s => s.Value));

    /// <summary>Requests run again on another silo after a fault, so far.</summary>
    public int Retries { get; private set; }

    /// <summary>Rollouts that came back from a silo, so far.</summary>
    public long CompletedRollouts { get; private set; }

    /// <summary>
    /// Σ (round trip seen by the client − time the silo spent on the call) over <see cref="CompletedRollouts"/>: the cost of the
    /// cluster path itself (serialization, the network, Orleans' messaging and scheduling), in seconds.
    /// </summary>
    public double OverheadSeconds { get; private set; }

    /// <summary>The silos excluded after a fault (address, generation), so far.</summary>
    public IReadOnlyCollection<string> ExcludedSilos => _excluded.Select(s => s.ToString()).ToArray();

    /// <inheritdoc />
    /// <exception cref="RolloutWorkerException">No silo is left, or a rollout failed on a silo.</exception>
    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(requests);
        return RunAsync(theta, requests).GetAwaiter().GetResult();
    }

    private async Task<RolloutResult[]> RunAsync(double[] theta, IReadOnlyList<RolloutRequest> requests)
    {
        var results = new RolloutResult[requests.Count];
        if (requests.Count == 0) return results;
        var calls = new RolloutCall[requests.Count];
        for (int i = 0; i < calls.Length; i++) calls[i] = new RolloutCall { Theta = theta, Request = RolloutJson.Write(requests[i]), RunDescription = _runDescription };

        var pending = new Queue<int>(Enumerable.Range(0, requests.Count));
        var idle = new Queue<(SiloAddress Silo, int Slot)>(await FreeSlotsAsync());
        var inFlight = new Dictionary<Task<RolloutReply>, (SiloAddress Silo, int Slot, int Index, long Started)>();
        while (pending.Count > 0 || inFlight.Count > 0)
        {
            while (pending.Count > 0 && idle.Count > 0)
            {
                var (silo, slot) = idle.Dequeue();
                if (_excluded.Contains(silo)) continue;
                int index = pending.Dequeue();
                var grain = _client.GetGrain<IRolloutGrain>(SiloPinnedPlacement.Key(silo, slot));
                inFlight.Add(grain.Run(calls[index]).WaitAsync(RequestTimeout), (silo, slot, index, Stopwatch.GetTimestamp()));
            }
            if (inFlight.Count == 0)
            {
                // Every silo we knew failed: ask the cluster again (a silo may have joined), else give up.
                foreach (var free in await FreeSlotsAsync()) idle.Enqueue(free);
                continue;
            }
            var done = await Task.WhenAny(inFlight.Keys).ConfigureAwait(false);
            var (doneSilo, doneSlot, doneIndex, started) = inFlight[done];
            inFlight.Remove(done);
            RolloutReply reply;
            try
            {
                reply = await done.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not RolloutWorkerException)
            {
                pending.Enqueue(doneIndex);
                Retries++;
                if (_excluded.Add(doneSilo))
                {
                    int stranded = 1 + inFlight.Values.Count(v => v.Silo.Equals(doneSilo));
                    string what = ex is TimeoutException && Stopwatch.GetElapsedTime(started) >= RequestTimeout
                        ? $"did not answer within {RequestTimeout.TotalSeconds:G4} s"
                        : $"failed after {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s ({Describe(ex)})";
                    _log($"silo {doneSilo.Endpoint} {what}: its {stranded} rollout(s) of this batch re-run on the other silos; it is not used again in this run.");
                }
                continue;
            }
            if (reply.Error is not null)
                throw new RolloutWorkerException($"A rollout failed on silo {reply.Silo}: {reply.Error}");
            results[doneIndex] = RolloutJson.ReadResult(reply.Result ?? throw new RolloutWorkerException($"Silo {reply.Silo} sent an empty result."));
            CompletedRollouts++;
            OverheadSeconds += Math.Max(0, Stopwatch.GetElapsedTime(started).TotalSeconds - reply.SiloSeconds);
            idle.Enqueue((doneSilo, doneSlot));
        }
        return results;
    }

    /// <summary>The slots of every active silo not excluded; throws when there are none.</summary>
    private async Task<List<(SiloAddress Silo, int Slot)>> FreeSlotsAsync()
    {
        Dictionary<SiloAddress, SiloStatus> hosts;
        try
        {
            hosts = await _client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(MembershipTimeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw new RolloutWorkerException($"The cluster at {_clusterName} did not say which silos are active ({Describe(ex)}). " +
                                             "Is its primary silo running? Training stopped; the last checkpoint is intact.");
        }
        var usable = hosts.Where(h => h.Value == SiloStatus.Active && !_excluded.Contains(h.Key)).Select(h => h.Key).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();
        foreach (var known in _slots.Keys)
        {
            // A silo that ran rollouts before and left the cluster between batches (died, or was declared dead): say so once.
            if (_excluded.Contains(known) || usable.Contains(known)) continue;
            _excluded.Add(known);
            _log($"silo {known.Endpoint} is no longer an active member of the cluster: the rollouts go to the {usable.Count} other silo(s).");
        }
        var free = new List<(SiloAddress, int)>();
        foreach (var silo in usable)
        {
            if (!_slots.TryGetValue(silo, out int slots))
            {
                try
                {
                    slots = await _client.GetGrain<IRolloutGrain>(SiloPinnedPlacement.Key(silo, 0)).GetSlots().WaitAsync(RequestTimeout).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _excluded.Add(silo);
                    _log($"silo {silo.Endpoint} did not say how many rollouts it runs ({Describe(ex)}): it is not used in this run.");
                    continue;
                }
                _slots[silo] = slots;
            }
            for (int slot = 0; slot < slots; slot++) free.Add((silo, slot));
        }
        if (free.Count == 0)
        {
            string gone = _excluded.Count == 0 ? "" : $" (excluded after faults: {string.Join(", ", _excluded.Select(s => s.Endpoint.ToString()))})";
            throw new RolloutWorkerException($"No silo of the cluster at {_clusterName} can run rollouts{gone}: every silo is gone or stopped answering. " +
                                             "Training stopped; the last checkpoint is intact: start silos ('diffop silo') and continue with 'diffop train --resume DIR --cluster …'.");
        }
        return free;
    }

    private static string Describe(Exception ex) => $"{ex.GetBaseException().GetType().Name}: {ex.GetBaseException().Message}";

    /// <summary>Disposes what the executor owns (the client connection, if given).</summary>
    public void Dispose() => _owned?.Dispose();
}
