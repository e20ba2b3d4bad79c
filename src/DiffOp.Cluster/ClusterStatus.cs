using Orleans.Runtime;

namespace DiffOp.Cluster;

/// <summary>Reads the state of a rollout cluster through Orleans' management grain.</summary>
public static class ClusterStatus
{
    /// <summary>
    /// Every silo the membership table lists (dead ones included, newest first per endpoint), with activation counts and CPU
    /// usage from the runtime statistics and the rollout counts from the rollout grains; a silo that does not answer
    /// within <paramref name="timeout"/> has nulls there.
    /// </summary>
    public static async Task<IReadOnlyList<SiloReport>> QueryAsync(IClusterClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        var management = client.GetGrain<IManagementGrain>(0);
        var entries = await management.GetDetailedHosts(onlyActive: false).WaitAsync(timeout).ConfigureAwait(false);
        var active = entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.SiloAddress).ToArray();
        var statistics = new Dictionary<SiloAddress, SiloRuntimeStatistics>();
        try
        {
            var stats = await management.GetRuntimeStatistics(active).WaitAsync(timeout).ConfigureAwait(false);
            for (int i = 0; i < active.Length && i < stats.Length; i++) statistics[active[i]] = stats[i];
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // A silo that does not answer: its statistics stay unknown.
        }
        var reports = new List<SiloReport>();
        foreach (var entry in entries.OrderBy(e => e.SiloAddress.Endpoint.ToString(), StringComparer.Ordinal).ThenByDescending(e => e.SiloAddress.Generation))
        {
            int? slots = null;
            long? run = null;
            if (entry.Status == SiloStatus.Active)
            {
                try
                {
                    var grain = client.GetGrain<IRolloutGrain>(SiloPinnedPlacement.Key(entry.SiloAddress, 0));
                    slots = await grain.GetSlots().WaitAsync(timeout).ConfigureAwait(false);
                    run = await grain.GetCompletedRollouts().WaitAsync(timeout).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    // Busy beyond the timeout or gone: unknown.
                }
            }
            statistics.TryGetValue(entry.SiloAddress, out var s);
            reports.Add(new SiloReport(entry.SiloAddress.Endpoint.ToString(), entry.SiloAddress.Generation, entry.Status.ToString(), entry.StartTime,
                s?.ActivationCount, s is null ? null : (double?)s.EnvironmentStatistics.FilteredCpuUsagePercentage, slots, run));
        }
        return reports;
    }
}
