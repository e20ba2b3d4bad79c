using System.Net;

namespace DiffOp.Cluster;

/// <summary>
/// Where a rollout silo listens, whom it joins and how fast it declares a silent silo dead. Development (static) clustering:
/// the primary silo keeps the membership table; every other silo names it in <see cref="Primary"/>.
/// </summary>
public sealed record RolloutSiloOptions
{
    /// <summary>The default silo-to-silo port.</summary>
    public const int DefaultSiloPort = 11111;
    /// <summary>The default gateway (client) port.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The address the silo listens on and advertises (loopback unless told otherwise: never expose the ports publicly).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    /// <summary>The silo-to-silo port (the primary's is what other silos name in <see cref="Primary"/>).</summary>
    public int SiloPort { get; init; } = DefaultSiloPort;
    /// <summary>The gateway port trainers connect to (<c>diffop train --cluster HOST:GATEWAYPORT</c>).</summary>
    public int GatewayPort { get; init; } = DefaultGatewayPort;
    /// <summary>The primary silo's silo-to-silo endpoint; null: this silo is the primary.</summary>
    public IPEndPoint? Primary { get; init; }
    /// <summary>Rollouts this silo runs at once (1: Ipopt is not thread-safe in one process).</summary>
    public int Slots { get; init; } = 1;
    /// <summary>How long a membership probe may take before it counts as missed (Orleans' default 5 s).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Missed probes after which a silo votes another one dead (Orleans' default 3).</summary>
    public int MissedProbesLimit { get; init; } = 3;
    /// <summary>The shared cluster certificate for mutual TLS (<see cref="ClusterTls"/>); null: plain TCP (loopback or a private network only).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; init; }
    /// <summary>The cluster's identity; trainers and silos must agree.</summary>
    public string ClusterId { get; init; } = ClusterNames.ClusterId;

    /// <summary>Checks the settings; the message names the setting and the fix.</summary>
    /// <exception cref="ArgumentException">A port is outside 1..65535, the ports coincide, or a count or time is not positive.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Address, nameof(Address));
        if (SiloPort is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(SiloPort), SiloPort, $"The silo port must be in 1..65535, got {SiloPort}.");
        if (GatewayPort is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(GatewayPort), GatewayPort, $"The gateway port must be in 1..65535, got {GatewayPort}.");
        if (SiloPort == GatewayPort) throw new ArgumentException($"The silo port and the gateway port are both {SiloPort}: give them different numbers.", nameof(GatewayPort));
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, $"A silo needs at least one rollout slot, got {Slots}.");
        if (ProbeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ProbeTimeout), ProbeTimeout, "The probe timeout must be positive.");
        if (MissedProbesLimit < 1) throw new ArgumentOutOfRangeException(nameof(MissedProbesLimit), MissedProbesLimit, "At least one missed probe must be allowed.");
        if (string.IsNullOrWhiteSpace(ClusterId)) throw new ArgumentException("The cluster id cannot be empty.", nameof(ClusterId));
    }
}
