using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace DiffOp.Cluster;

/// <summary>
/// An Orleans client connected to a rollout cluster through one or more silo gateways (static list). Dispose to disconnect.
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host, IReadOnlyList<IPEndPoint> gateways)
    {
        _host = host;
        Gateways = gateways;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The gateways the client was given.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; }

    /// <summary>The Orleans client.</summary>
    public IClusterClient Client { get; }

    /// <summary>The gateways as the user wrote them, for messages.</summary>
    public string Describe() => string.Join(",", Gateways.Select(g => g.ToString()));

    /// <summary>Connects to the cluster whose gateways are <paramref name="gateways"/>.</summary>
    /// <param name="gateways">Silo gateway endpoints (the silos' <c>--gateway-port</c>).</param>
    /// <param name="responseTimeout">Orleans' own reply timeout for grain calls (set above the executor's request timeout).</param>
    /// <param name="orleansLogLevel">Orleans' own log level (warnings by default), to stderr.</param>
    /// <param name="clusterId">The cluster id the silos were started with.</param>
    /// <param name="connectTimeout">Longest wait for a gateway to accept the client (default 15 s).</param>
    /// <param name="tlsCertificate">The shared cluster certificate when the silos use TLS (<see cref="ClusterTls"/>), else null.</param>
    /// <exception cref="ClusterUnavailableException">No gateway answered within <paramref name="connectTimeout"/>.</exception>
    public static ClusterConnection Connect(IReadOnlyList<IPEndPoint> gateways, TimeSpan responseTimeout, LogLevel orleansLogLevel = LogLevel.Warning,
        string clusterId = ClusterNames.ClusterId, TimeSpan? connectTimeout = null, System.Security.Cryptography.X509Certificates.X509Certificate2? tlsCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        if (gateways.Count == 0) throw new ArgumentException("At least one gateway is needed.", nameof(gateways));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(orleansLogLevel);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);   // a failed start becomes our one message below
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateways.ToArray());
            client.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = clusterId;
                c.ServiceId = clusterId;
            });
            client.Configure<ClientMessagingOptions>(m => m.ResponseTimeout = responseTimeout);
            if (tlsCertificate is not null) client.UseTls(tls => ClusterTls.Configure(tls, tlsCertificate));
        });
        var host = builder.Build();
        var wait = connectTimeout ?? TimeSpan.FromSeconds(15);
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            host.StartAsync(cancel.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not ClusterUnavailableException)
        {
            host.Dispose();
            throw new ClusterUnavailableException(
                $"Could not connect to the cluster at {string.Join(",", gateways)} within {wait.TotalSeconds:G4} s ({ex.GetBaseException().Message}): start a silo there first " +
                "('diffop silo'), and give its gateway port (default 30000), not its silo port" +
                (tlsCertificate is null ? "; if the silos use TLS, give their certificate with --tls-certificate." : "; check that the silos use the same --tls-certificate."), ex);
        }
        return new ClusterConnection(host, gateways.ToArray());
    }

    /// <summary>Stops the client (at most 5 s).</summary>
    public void Dispose()
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            _host.StopAsync(cancel.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or Orleans.Runtime.OrleansException)
        {
            // Best effort on the way out: the cluster may already be gone.
        }
        _host.Dispose();
    }
}
