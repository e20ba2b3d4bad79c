using DiffOp.Learning.Training;

namespace DiffOp.Cluster;

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
    /// <summary>Seconds the silo spent on the call (building the worker if needed, and the rollout): the round trip minus this is the cluster's overhead.</summary>
    [Id(3)] public double SiloSeconds { get; init; }
}
