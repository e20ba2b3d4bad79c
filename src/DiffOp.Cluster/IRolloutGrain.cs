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

/// <summary>
/// One rollout as it travels to a silo: θ, the <see cref="RolloutRequest"/> (as JSON, so that every field it has travels) and
/// the run description from which the silo builds its <see cref="RolloutWorker"/>; any silo can run any call.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RolloutCall
{
    /// <summary>θ, the policy parameters.</summary>
    [Id(0)] public required double[] Theta { get; init; }
    /// <summary>The <see cref="RolloutRequest"/> in the JSON form of <see cref="RolloutJson"/>.</summary>
    [Id(1)] public required string Request { get; init; }
    /// <summary>The run description (the CLI sends the run's config.json text); the silo's worker factory reads it.</summary>
    [Id(2)] public required string RunDescription { get; init; }
}

/// <summary>A silo's answer: the <see cref="RolloutResult"/> as JSON, or why the rollout could not run.</summary>
[GenerateSerializer, Immutable]
public sealed record RolloutReply
{
    /// <summary>The <see cref="RolloutResult"/> in the JSON form of <see cref="RolloutJson"/>; null when <see cref="Error"/> is set.</summary>
    [Id(0)] public string? Result { get; init; }
    /// <summary>The failure of the rollout or of building its worker on the silo (a message), or null.</summary>
    [Id(1)] public string? Error { get; init; }
    /// <summary>The silo that ran the rollout (its address), for messages.</summary>
    [Id(2)] public string Silo { get; init; } = "";
}
