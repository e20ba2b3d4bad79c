using System.CommandLine;
using System.Globalization;
using System.Net;
using DiffOp.Cli.Training;
using DiffOp.Cluster;
using DiffOp.Learning.Training;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop silo [--port P] [--gateway-port G] [--primary HOST:PORT] [--address A] [--slots N]</c>: a rollout silo in the
/// foreground (development clustering: the first silo is the primary, the others name its silo port with --primary). It
/// prints a ready line and a line per membership change on stdout, and stops on Ctrl+C / SIGTERM. docs/cluster.md.
/// </summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Silo-to-silo port (other silos' --primary names the primary's).", DefaultValueFactory = _ => RolloutSiloOptions.DefaultSiloPort };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Gateway port that trainers connect to ('train --cluster HOST:G').", DefaultValueFactory = _ => RolloutSiloOptions.DefaultGatewayPort };
        var primary = new Option<string?>("--primary") { Description = "HOST:PORT of the primary silo's silo port; omit on the primary itself." };
        var address = new Option<string>("--address") { Description = "IP address to listen on and advertise (default 127.0.0.1: loopback only; never expose the ports publicly).", DefaultValueFactory = _ => "127.0.0.1" };
        var slots = new Option<int>("--slots") { Description = "Rollouts this silo runs at once (default 1: Ipopt is not thread-safe in one process; run one silo per core instead).", DefaultValueFactory = _ => 1 };
        var probeTimeout = new Option<double>("--probe-timeout") { Description = "Seconds a membership probe may take before it counts as missed (Orleans' default 5).", DefaultValueFactory = _ => 5 };
        var missedProbes = new Option<int>("--missed-probes") { Description = "Missed probes before a silo votes another dead (Orleans' default 3).", DefaultValueFactory = _ => 3 };
        var tls = new Option<string?>("--tls-certificate") { Description = $"Mutual TLS with this shared cluster certificate (PKCS#12 with its key; password in {ClusterTls.PasswordVariable}); every silo and trainer must give the same file." };
        var command = new Command("silo", "Run a rollout silo of an Orleans cluster in the foreground, for 'diffop train --cluster' (docs/cluster.md).")
        {
            port, gatewayPort, primary, address, slots, probeTimeout, missedProbes, tls,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(address), out var ip))
                throw new ArgumentException($"--address must be an IP address (e.g. 127.0.0.1 or 10.0.0.5), got '{parse.GetValue(address)}'.");
            double probe = parse.GetValue(probeTimeout);
            if (!(probe > 0) || !double.IsFinite(probe)) throw new ArgumentException($"--probe-timeout must be a positive number of seconds, got {probe.ToString(CultureInfo.InvariantCulture)}.");
            var options = new RolloutSiloOptions
            {
                Address = ip, SiloPort = parse.GetValue(port), GatewayPort = parse.GetValue(gatewayPort),
                Primary = parse.GetValue(primary) is { } p ? ClusterAddress.Parse(p, "--primary") : null,
                Slots = parse.GetValue(slots), ProbeTimeout = TimeSpan.FromSeconds(probe), MissedProbesLimit = parse.GetValue(missedProbes),
                TlsCertificate = parse.GetValue(tls) is { } certificate ? ClusterTls.Load(certificate) : null,
            };
            options.Validate();
            var output = parse.InvocationConfiguration.Output;
            DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded();   // a silo without Ipopt would fail every rollout: say so now (exit 3)
            RolloutWorker CreateWorker(string description)
            {
                var worker = CliCluster.CreateWorker(description, out var config);
                lock (output)
                {
                    output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} built a rollout worker: {config.Environment} ({config.Mode}, H = {config.Horizon}), seed {config.Seed}");
                    output.Flush();
                }
                return worker;
            }
            using var host = RolloutSilo.Build(options, CreateWorker, output, CommandErrors.IsVerbose(parse) ? LogLevel.Information : LogLevel.Warning);
            try
            {
                host.StartAsync().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not ArgumentException)
            {
                throw new IOException($"The silo could not start on {ip} (silo port {options.SiloPort}, gateway port {options.GatewayPort}): {ex.GetBaseException().Message.TrimEnd('.')}. " +
                                      "Is another silo using these ports? Choose others with --port and --gateway-port" +
                                      (options.Primary is null ? "." : $", and check that the primary runs at {options.Primary}."), ex);
            }
            lock (output)
            {
                output.WriteLine($"silo ready: {ip}:{options.SiloPort}, gateway {ip}:{options.GatewayPort}, " +
                                 (options.Primary is null ? "primary (other silos: --primary " + $"{ip}:{options.SiloPort})" : $"joined the primary at {options.Primary}") +
                                 $", {options.Slots} slot(s), " + (options.TlsCertificate is null ? "plain TCP" : "mutual TLS") + $"; trainers: diffop train … --cluster {ip}:{options.GatewayPort}");
                output.Flush();
            }
            host.WaitForShutdownAsync().GetAwaiter().GetResult();
            return DiffOpCli.Success;
        }));
        return command;
    }
}
