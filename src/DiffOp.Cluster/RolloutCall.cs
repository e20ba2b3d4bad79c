using DiffOp.Learning.Training;

namespace DiffOp.Cluster;

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
