using System.Text.Json;
using System.Text.Json.Serialization;
using DiffOp.Learning.Training;

namespace DiffOp.Cluster;

/// <summary>
/// The JSON form of requests and results on the cluster path. Doubles are written in their shortest round-trip form, so a
/// result read back is bit-identical to the one written (NaN and ±∞ included, as named literals); enums travel by name.
/// </summary>
public static class RolloutJson
{
    /// <summary>Compact JSON; NaN and ±∞ allowed (a dropped rollout's cost is NaN); enums by name.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The request as JSON.</summary>
    public static string Write(RolloutRequest request) => JsonSerializer.Serialize(request, Options);

    /// <summary>The result as JSON.</summary>
    public static string Write(RolloutResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Reads a request written by <see cref="Write(RolloutRequest)"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a rollout request.</exception>
    public static RolloutRequest ReadRequest(string json) => Read<RolloutRequest>(json, "rollout request");

    /// <summary>Reads a result written by <see cref="Write(RolloutResult)"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a rollout result.</exception>
    public static RolloutResult ReadResult(string json) => Read<RolloutResult>(json, "rollout result");

    private static T Read<T>(string json, string what) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Empty {what} (null).");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Not a {what}: {ex.Message} (do the trainer and the silo run the same diffop version?)", ex);
        }
    }
}
