using System.Text.Json;
using System.Text.Json.Serialization;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Workers;

/// <summary>One request line to a rollout worker process: θ and the <see cref="RolloutRequest"/>.</summary>
internal sealed record WorkerRequest(double[] Theta, int Seed, bool Explore, int? NoiseSeed, bool Mirror = false, RolloutDetail Detail = RolloutDetail.None, bool Tangent = false)
{
    public static WorkerRequest From(double[] theta, RolloutRequest r) => new(theta, r.Seed, r.Explore, r.NoiseSeed, r.Mirror, r.Detail, r.Tangent);

    public RolloutRequest ToRequest() => new(Seed, Explore, NoiseSeed) { Mirror = Mirror, Detail = Detail, Tangent = Tangent };
}

/// <summary>The line protocol between <see cref="ProcessRolloutExecutor"/> and <see cref="RolloutWorkerHost"/>: one JSON object per line.</summary>
internal static class WorkerProtocol
{
    /// <summary>
    /// The first line a worker writes, once its environment and policy are built: the reply timeout of requests counts from
    /// then, so that a slow start (runtime, native libraries, compiling the OCP) on a busy machine is not taken for a hang.
    /// </summary>
    public const string ReadyLine = "{\"ready\":true}";

    /// <summary>Compact JSON; NaN and ±∞ allowed (a dropped rollout's cost is NaN); enums by name.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
