using System.Globalization;
using DiffOp.Cluster;
using DiffOp.Learning.Training;
using Microsoft.Extensions.Logging;

namespace DiffOp.Cli.Training;

/// <summary>
/// The CLI's side of the cluster: <c>train --cluster</c> connects an <see cref="OrleansRolloutExecutor"/> whose run description
/// is the run's config.json text, and <c>diffop silo</c> builds workers from that text. The per-rollout timeout is
/// DIFFOP_CLUSTER_TIMEOUT seconds (120 by default).
/// </summary>
internal static class CliCluster
{
    /// <summary>Environment variable: the per-rollout timeout on the cluster, in seconds.</summary>
    public const string TimeoutVariable = "DIFFOP_CLUSTER_TIMEOUT";

    /// <summary>The worker a silo builds from a run description (config.json text).</summary>
    public static RolloutWorker CreateWorker(string runDescription, out RunConfig config)
    {
        config = RunConfig.Parse(runDescription, "the run description a trainer sent");
        return new TrainingSetup(config).CreateWorker();
    }

    /// <summary>Connects to the cluster at <paramref name="gateways"/> and returns the executor (which owns the connection).</summary>
    public static OrleansRolloutExecutor Connect(RunConfig config, string gateways, string? tlsCertificate, TextWriter log, bool verbose)
    {
        var endpoints = ClusterAddress.ParseList(gateways, "--cluster");
        var timeout = RequestTimeout();
        var certificate = tlsCertificate is null ? null : ClusterTls.Load(tlsCertificate);
        var connection = ClusterConnection.Connect(endpoints, timeout + TimeSpan.FromSeconds(10), verbose ? LogLevel.Information : LogLevel.Error, tlsCertificate: certificate);   // the client's warnings are about connections to silos that died: the executor reports those itself
        return new OrleansRolloutExecutor(connection.Client, config.ToJson(), timeout, line =>
        {
            lock (log)
            {
                log.WriteLine(line);
                log.Flush();
            }
        }, connection.Describe(), connection);
    }

    /// <summary>The per-rollout timeout: DIFFOP_CLUSTER_TIMEOUT seconds, 120 by default.</summary>
    public static TimeSpan RequestTimeout()
    {
        string? text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(120);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{TimeoutVariable} must be a positive number of seconds, got '{text}'.");
    }
}
