using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace DiffOp.Cluster;

/// <summary>
/// Builds a silo that runs rollouts: the rollout grain, its placement, the worker cache with the host program's factory, and a
/// line on <c>log</c> for every membership change. Run it with <see cref="IHost"/>'s <c>RunAsync</c>/<c>StartAsync</c>.
/// </summary>
public static class RolloutSilo
{
    /// <summary>Builds (does not start) a silo host.</summary>
    /// <param name="options">Endpoints, primary, slots and failure-detection times (validated).</param>
    /// <param name="createWorker">Builds a <see cref="Learning.Training.RolloutWorker"/> from a run description (the CLI: config.json text).</param>
    /// <param name="log">Receives one line per membership change (and the ready line).</param>
    /// <param name="orleansLogLevel">Orleans' own log level (warnings by default); its logs go to stderr.</param>
    public static IHost Build(RolloutSiloOptions options, Func<string, Learning.Training.RolloutWorker> createWorker, TextWriter log, LogLevel orleansLogLevel = LogLevel.Warning)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createWorker);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(orleansLogLevel);
        // The watchdog's first check after start reports a bogus delay of hours: only its errors count.
        if (orleansLogLevel >= LogLevel.Warning)
        {
            builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);   // a failed start is the host program's one message
        }
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(new RolloutWorkerCache(createWorker, options.Slots));
        builder.Services.AddSingleton(new MembershipLog(log));
        builder.Services.AddHostedService<MembershipWatcher>();
        builder.UseOrleans(silo =>
        {
            var own = new IPEndPoint(options.Address, options.SiloPort);
            silo.UseDevelopmentClustering(options.Primary ?? own);
            silo.ConfigureEndpoints(options.Address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = options.ClusterId;
                c.ServiceId = options.ClusterId;
            });
            silo.Configure<ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = options.ProbeTimeout;
                m.NumMissedProbesLimit = options.MissedProbesLimit;
                m.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(Math.Max(1, options.ProbeTimeout.TotalSeconds));
                m.TableRefreshTimeout = TimeSpan.FromSeconds(Math.Max(1, options.ProbeTimeout.TotalSeconds));
                m.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(Math.Max(5, 4 * options.ProbeTimeout.TotalSeconds));
            });
            silo.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
            if (options.TlsCertificate is { } certificate) silo.UseTls(tls => ClusterTls.Configure(tls, certificate));
        });
        return builder.Build();
    }

    /// <summary>The writer membership lines go to.</summary>
    internal sealed record MembershipLog(TextWriter Writer);

    /// <summary>Writes a line per membership change: "membership: 127.0.0.1:11112 Active (3 active: …)".</summary>
    private sealed class MembershipWatcher(IClusterMembershipService membership, ILocalSiloDetails local, MembershipLog log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var known = new Dictionary<SiloAddress, SiloStatus>();
            try
            {
                await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
                {
                    foreach (var (address, member) in snapshot.Members)
                    {
                        if (known.TryGetValue(address, out var status) && status == member.Status) continue;
                        known[address] = member.Status;
                        if (member.Status == SiloStatus.None) continue;
                        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress.Endpoint.ToString()).Order().ToArray();
                        string self = address.Equals(local.SiloAddress) ? " (this silo)" : "";
                        lock (log.Writer)
                        {
                            log.Writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss} membership: {address.Endpoint} {member.Status}{self}; {active.Length} active: {string.Join(", ", active)}");
                            log.Writer.Flush();
                        }
                    }
                }
            }
            catch (OperationCanceledException) { /* the silo is stopping */ }
        }
    }
}
