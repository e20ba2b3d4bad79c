using DiffOp.Learning.Training;

namespace DiffOp.Cluster;

/// <summary>
/// A rollout slot of one silo. Its key is <c>SILO/SLOT</c> (the silo's address in Orleans' parsable form, a slot number):
/// <see cref="SiloPinnedPlacementAttribute"/> activates it on exactly that silo, so that the client decides where each rollout
/// runs. Calls to one slot run one at a time (the grain is not reentrant).
/// </summary>
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Runs one rollout; a failure of the rollout itself comes back in <see cref="RolloutReply.Error"/>, not as an exception.</summary>
    Task<RolloutReply> Run(RolloutCall call);

    /// <summary>How many rollouts this grain's silo runs at once (its slots; 1 unless the silo was started with more).</summary>
    Task<int> GetSlots();

    /// <summary>Rollouts this grain's silo has run since it started (answered even while a rollout runs).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<long> GetCompletedRollouts();
}
