using Orleans.Runtime;

namespace DiffOp.Cluster;

/// <summary>
/// Placement on the silo named in the grain's key (<c>SILO/SLOT</c>, SILO in <see cref="SiloAddress.ToParsableString"/> form):
/// the executor, not Orleans, decides which silo runs which rollout, so that each silo has one request in flight per slot.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("diffop-silo-pinned")]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static SiloPinnedPlacement Instance { get; } = new();

    /// <summary>The grain key of slot <paramref name="slot"/> on <paramref name="silo"/>.</summary>
    public static string Key(SiloAddress silo, int slot) => $"{silo.ToParsableString()}/{slot}";

    /// <summary>The silo a key names.</summary>
    /// <exception cref="FormatException">The key is not of the form SILO/SLOT.</exception>
    public static SiloAddress SiloOf(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0) throw new FormatException($"Rollout grain key '{key}' is not of the form SILO/SLOT.");
        return SiloAddress.FromParsableString(key[..slash]);
    }
}
