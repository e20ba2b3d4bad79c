using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using DiffOp.Cli;

namespace DiffOp.Results;

/// <summary>One voltage training timed with one rollout executor.</summary>
/// <param name="Executor">What ran the rollouts.</param>
/// <param name="Seconds">Wall time of the whole <c>diffop train</c> command.</param>
/// <param name="OverheadMilliseconds">The cluster path's overhead per rollout that the trainer printed (cluster only).</param>
/// <param name="SameParameters">Whether params.json is byte-identical to the first executor's.</param>
internal sealed record ExecutorThroughputRow(string Executor, double Seconds, double? OverheadMilliseconds, bool SameParameters);

/// <summary>
/// Times the same voltage Traj training (seed 0) with worker processes, threads and a two-silo Orleans cluster on
/// loopback that this stage starts and stops: the executors' throughput on this machine, and a check that they give the
/// same θ. The silos are warmed up by a short untimed run first (a silo keeps its workers between runs).
/// </summary>
internal static partial class ExecutorThroughput
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    public static IReadOnlyList<ExecutorThroughputRow> Measure(int iterations, string work, TextWriter progress)
    {
        string root = Path.Combine(work, "executors");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        string[] Train(string dir, int k, string[] executor) =>
            ["train", "voltage", "--mode", "traj", "--iterations", k.ToString(CultureInfo.InvariantCulture), "--optimizer", "adam", "--rollouts", "10", "--seed", "0", "--quiet", .. executor, "--out", dir];

        using var primary = Silo.Start(null, Path.Combine(root, "silo-1.log"));
        using var second = Silo.Start(primary, Path.Combine(root, "silo-2.log"));
        primary.WaitFor("2 active", ReadyTimeout);
        ChildCommand.RunOrThrow(Train(Path.Combine(root, "warm-up"), 2, ["--cluster", primary.Gateway]), Path.Combine(root, "warm-up.log"), captureOutput: true);

        (string Name, string[] Arguments)[] executors =
        [
            ("worker processes (`--workers 2`)", ["--workers", "2"]),
            ("threads of one process (`--threads 2`)", ["--threads", "2"]),
            ("Orleans cluster, 2 silos on loopback (`--cluster`)", ["--cluster", primary.Gateway]),
        ];
        var rows = new List<ExecutorThroughputRow>();
        byte[]? first = null;
        for (int i = 0; i < executors.Length; i++)
        {
            string dir = Path.Combine(root, $"run-{i}");
            progress.WriteLine($"    time {executors[i].Name}");
            var clock = Stopwatch.StartNew();
            string output = ChildCommand.RunOrThrow(Train(dir, iterations, executors[i].Arguments), dir + ".log", captureOutput: true);
            double seconds = clock.Elapsed.TotalSeconds;
            byte[] parameters = File.ReadAllBytes(Path.Combine(dir, "params.json"));
            first ??= parameters;
            var overhead = OverheadLine().Match(output);
            rows.Add(new(executors[i].Name, seconds,
                overhead.Success ? double.Parse(overhead.Groups[1].Value, CultureInfo.InvariantCulture) : null, parameters.AsSpan().SequenceEqual(first)));
        }
        return rows;
    }

    [GeneratedRegex(@"overhead of the cluster path ([0-9.]+) ms per rollout")]
    private static partial Regex OverheadLine();

    /// <summary>A <c>diffop silo</c> process on loopback with free ports, its output kept for <see cref="WaitFor"/>.</summary>
    private sealed class Silo : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StreamWriter _log;

        private Silo(Process process, string gateway, int siloPort, StreamWriter log)
        {
            _process = process;
            Gateway = gateway;
            SiloPort = siloPort;
            _log = log;
        }

        public string Gateway { get; }

        public int SiloPort { get; }

        public static Silo Start(Silo? primary, string logPath)
        {
            int siloPort = FreePort(), gatewayPort = FreePort();
            while (gatewayPort == siloPort) gatewayPort = FreePort();
            string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { typeof(DiffOpCli).Assembly.Location, "silo", "--port", Invariant(siloPort), "--gateway-port", Invariant(gatewayPort) })
                start.ArgumentList.Add(a);
            if (primary is not null)
            {
                start.ArgumentList.Add("--primary");
                start.ArgumentList.Add($"127.0.0.1:{Invariant(primary.SiloPort)}");
            }
            var log = new StreamWriter(logPath) { AutoFlush = true };
            var process = Process.Start(start) ?? throw new ResultsStageException("Could not start 'diffop silo'.");
            var silo = new Silo(process, $"127.0.0.1:{Invariant(gatewayPort)}", siloPort, log);
            process.OutputDataReceived += (_, e) => silo.Append(e.Data);
            process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            silo.WaitFor("silo ready", ReadyTimeout);
            return silo;
        }

        public void WaitFor(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                lock (_output)
                {
                    if (_output.ToString().Contains(text, StringComparison.Ordinal)) return;
                }
                if (_process.HasExited || clock.Elapsed > timeout)
                    throw new ResultsStageException($"The silo with gateway {Gateway} did not print '{text}' within {timeout.TotalSeconds:F0} s (exited: {_process.HasExited}); its output is in the work folder's executors/ logs.");
                Thread.Sleep(100);
            }
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output)
            {
                _output.AppendLine(line);
                _log.WriteLine(line);
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException) { /* already gone */ }
            _process.Dispose();
            lock (_output) _log.Dispose();
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
