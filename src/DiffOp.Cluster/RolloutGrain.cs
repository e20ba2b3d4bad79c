using Orleans.Runtime;

namespace DiffOp.Cluster;

/// <summary>A rollout slot on the silo its key names: runs each call with the silo's <see cref="RolloutWorkerCache"/>.</summary>
[SiloPinnedPlacement]
internal sealed class RolloutGrain(RolloutWorkerCache cache, ILocalSiloDetails silo) : Grain, IRolloutGrain
{
    public async Task<RolloutReply> Run(RolloutCall call)
    {
        string here = silo.SiloAddress.Endpoint.ToString();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var result = await cache.RunAsync(call.Theta, RolloutJson.ReadRequest(call.Request), call.RunDescription);
            return new RolloutReply { Result = RolloutJson.Write(result), Silo = here, SiloSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds };
        }
        catch (Exception ex)
        {
            // Any failure of the rollout itself (bad run description, a bug) goes back to the trainer as a message: it would
            // fail the same way on every silo, so it is not a silo fault to retry elsewhere.
            return new RolloutReply { Error = $"{ex.GetType().Name}: {ex.Message}", Silo = here };
        }
    }

    public Task<int> GetSlots() => Task.FromResult(cache.Slots);

    public Task<long> GetCompletedRollouts() => Task.FromResult(cache.Completed);
}
