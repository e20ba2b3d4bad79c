using System.CommandLine;
using System.Globalization;
using DiffOp.Cluster;
using Microsoft.Extensions.Logging;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop cluster status --cluster HOST:PORT [--json]</c>: the silos of a rollout cluster — address, membership status,
/// start time, grain activations, CPU, rollout slots and rollouts run — through Orleans' management grain.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new Option<string>("--cluster") { Description = "HOST:PORT of a silo's gateway (comma-separate several).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per silo instead of a table." };
        var tls = new Option<string?>("--tls-certificate") { Description = $"The silos' shared TLS certificate, if they use one (PKCS#12; password in {ClusterTls.PasswordVariable})." };
        var status = new Command("status", "List the silos of the cluster with their status and load.") { cluster, json, tls };
        status.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var gateways = ClusterAddress.ParseList(parse.GetRequiredValue(cluster), "--cluster");
            using var connection = ClusterConnection.Connect(gateways, TimeSpan.FromSeconds(20), CommandErrors.IsVerbose(parse) ? LogLevel.Information : LogLevel.Error,
                tlsCertificate: parse.GetValue(tls) is { } path ? ClusterTls.Load(path) : null);
            var reports = ClusterStatus.QueryAsync(connection.Client, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                foreach (var r in reports)
                    JsonOutput.Write(output, new Dictionary<string, object?>
                    {
                        ["address"] = r.Address, ["generation"] = r.Generation, ["status"] = r.Status, ["start_time"] = r.StartTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
                        ["activations"] = r.Activations, ["cpu_percent"] = r.CpuPercent, ["slots"] = r.Slots, ["rollouts_run"] = r.RolloutsRun,
                    });
                return DiffOpCli.Success;
            }
            output.WriteLine($"cluster at {connection.Describe()}: {reports.Count(r => r.Status == "Active")} active silo(s)");
            output.WriteLine($"{"silo",-22} {"status",-12} {"started (UTC)",-20} {"activations",11} {"cpu %",6} {"slots",5} {"rollouts run",12}");
            foreach (var r in reports)
                output.WriteLine($"{r.Address,-22} {r.Status,-12} {r.StartTime.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} " +
                                 $"{Show(r.Activations),11} {(r.CpuPercent is { } c ? c.ToString("F0", CultureInfo.InvariantCulture) : "-"),6} {Show(r.Slots),5} {Show(r.RolloutsRun),12}");
            return DiffOpCli.Success;
        }));
        var command = new Command("cluster", "Inspect a rollout cluster of 'diffop silo' processes (docs/cluster.md).") { status };
        return command;
    }

    private static string Show<T>(T? value) where T : struct => value?.ToString() ?? "-";
}
