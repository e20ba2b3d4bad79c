using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>
/// Training through an Orleans cluster of <c>diffop silo</c> processes on loopback: the same params.json as one local worker,
/// undisturbed, with one silo killed (SIGKILL) or paused (SIGSTOP) during the run, and a clear stop when every silo is gone.
/// Every process is started here and killed in teardown. The silos use short failure detection (--probe-timeout 2
/// --missed-probes 2) and the trainer a short per-rollout timeout (DIFFOP_CLUSTER_TIMEOUT=12) so each test takes well under a minute.
/// </summary>
[Category("Native")]
[NonParallelizable]
public class ClusterTests
{
    private const int Iterations = 6;
    private const string TlsPasswordVariable = "DIFFOP_TLS_PASSWORD";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60), RunTimeout = TimeSpan.FromSeconds(90);

    private string _root = "";
    private readonly List<Node> _processes = [];
    private static readonly Dictionary<int, byte[]> References = [];

    [SetUp]
    public void SetUp()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(Path.GetTempPath(), $"diffop-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var node in _processes) node.Kill();
        _processes.Clear();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static string[] Train(int iterations, string dir, params string[] executor) =>
        ["train", "voltage", "--mode", "traj", "--iterations", iterations.ToString(), "--optimizer", "adam", "--rollouts", "10", "--seed", "3", .. executor, "--out", dir];

    /// <summary>params.json of the same run with one local worker (computed once per iteration count).</summary>
    private byte[] Reference(int iterations)
    {
        lock (References)
        {
            if (References.TryGetValue(iterations, out var bytes)) return bytes;
            string dir = Path.Combine(_root, $"reference-{iterations}");
            var (code, _, err) = CliRunner.Run(Train(iterations, dir, "--workers", "1"));
            Assert.That(code, Is.Zero, err);
            return References[iterations] = File.ReadAllBytes(Path.Combine(dir, "params.json"));
        }
    }

    [Test]
    public void ThreeSilos_TrainVoltage_ParamsByteIdenticalToOneWorker()
    {
        var silos = StartCluster(3);
        string dir = Path.Combine(_root, "cluster");
        var trainer = Start(Train(3, dir, "--cluster", silos[0].Gateway));
        Assert.That(trainer.WaitForExit(RunTimeout), Is.True, "the trainer did not finish in time");
        Assert.That(trainer.ExitCode, Is.Zero, trainer.Error);
        Assert.That(trainer.Output, Does.Contain($"on the cluster at {silos[0].Gateway}"));
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "params.json")), Is.EqualTo(Reference(3)), "params.json differs from --workers 1");
        Assert.That(trainer.Error, Does.Not.Contain("re-run"), "no fault, no retry");
        Assert.That(trainer.Output, Does.Contain("cluster: 35 rollouts, 0 re-run after a fault; overhead of the cluster path"));
        // Every silo took part (one request in flight per silo spreads the batch).
        foreach (var silo in silos) Assert.That(silo.Output, Does.Contain("built a rollout worker: voltage (Traj, H = 30), seed 3"), $"silo {silo.Gateway} ran no rollout");

        // cluster status: three active silos that ran 3 × 10 exploring rollouts and 5 evaluation episodes (iteration 1) between them.
        var (code, output, err) = CliRunner.Run("cluster", "status", "--cluster", silos[0].Gateway, "--json");
        Assert.That(code, Is.Zero, err);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.That(rows.Count(r => r.GetProperty("status").GetString() == "Active"), Is.EqualTo(3), output);
        Assert.That(rows.Select(r => r.GetProperty("address").GetString()), Is.EquivalentTo(silos.Select(s => $"127.0.0.1:{s.SiloPort}")));
        Assert.That(rows.Sum(r => r.GetProperty("rollouts_run").GetInt64()), Is.EqualTo(3 * 10 + 5), output);
        Assert.That(rows.All(r => r.GetProperty("rollouts_run").GetInt64() > 0), Is.True, "every silo ran rollouts: " + output);
    }

    [Test]
    public void SiloKilledMidRun_RolloutsRerunElsewhere_SameParams()
    {
        var silos = StartCluster(3);
        string dir = Path.Combine(_root, "killed");
        var trainer = Start(Train(Iterations, dir, "--cluster", silos[0].Gateway));
        trainer.WaitForOutput($"iteration     2/{Iterations}", RunTimeout);
        silos[2].Kill();   // not the primary: in development clustering the primary holds the membership table
        Assert.That(trainer.WaitForExit(RunTimeout), Is.True, "the trainer did not finish in time");
        Assert.That(trainer.ExitCode, Is.Zero, trainer.Error);
        Assert.That(trainer.Error, Does.Contain($"silo 127.0.0.1:{silos[2].SiloPort}"), "the trainer says which silo it lost");
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "params.json")), Is.EqualTo(Reference(Iterations)));
    }

    [Test]
    public void SiloPausedMidRun_TimesOutAndRerunsElsewhere_SameParams()
    {
        var silos = StartCluster(3);
        string dir = Path.Combine(_root, "paused");
        var trainer = Start(Train(Iterations, dir, "--cluster", silos[0].Gateway));
        trainer.WaitForOutput($"iteration     2/{Iterations}", RunTimeout);
        silos[1].Pause();
        Assert.That(trainer.WaitForExit(RunTimeout), Is.True, "the trainer did not finish in time");
        Assert.That(trainer.ExitCode, Is.Zero, trainer.Error);
        Assert.That(trainer.Error, Does.Contain($"silo 127.0.0.1:{silos[1].SiloPort}"), "the trainer says which silo stopped answering");
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "params.json")), Is.EqualTo(Reference(Iterations)));
    }

    [Test]
    public void EverySiloGone_StopsWithExitOneAndAValidCheckpoint_ThatResumesOnANewCluster()
    {
        var silos = StartCluster(1);
        string dir = Path.Combine(_root, "gone");
        var trainer = Start(Train(Iterations, dir, "--cluster", silos[0].Gateway));
        trainer.WaitForOutput($"iteration     2/{Iterations}", RunTimeout);
        silos[0].Kill();
        Assert.That(trainer.WaitForExit(RunTimeout), Is.True, "the trainer did not stop in time");
        Assert.That(trainer.ExitCode, Is.EqualTo(DiffOpCli.ComputationFailed), trainer.Error);
        Assert.That(trainer.Error, Does.Contain("Training stopped; the last checkpoint is intact"));
        Assert.That(trainer.Error, Does.Not.Contain("   at "), "one message, no stack trace");
        using var checkpoint = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json")));
        int iteration = checkpoint.RootElement.GetProperty("iteration").GetInt32();
        Assert.That(iteration, Is.InRange(2, Iterations - 1), "the checkpoint of the last finished iteration");

        // A new cluster, and the run resumes from that checkpoint to the uninterrupted run's θ.
        var fresh = StartCluster(1);
        var resumed = Start(["train", "--resume", dir, "--iterations", Iterations.ToString(), "--cluster", fresh[0].Gateway]);
        Assert.That(resumed.WaitForExit(RunTimeout), Is.True, "the resumed run did not finish in time");
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Error);
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "params.json")), Is.EqualTo(Reference(Iterations)));
    }

    [Test]
    public void TwoSilosWithTls_TrainIdentical_AndATrainerWithoutTheCertificateIsRefused()
    {
        string certificate = Path.Combine(_root, "cluster.pfx");
        WriteClusterCertificate(certificate, "test-password");
        var tls = new[] { "--tls-certificate", certificate };
        var silos = StartCluster(2, tls);
        Assert.That(silos[0].Output, Does.Contain("mutual TLS"));
        string dir = Path.Combine(_root, "tls");
        var trainer = Start(Train(3, dir, ["--cluster", silos[0].Gateway, .. tls]));
        Assert.That(trainer.WaitForExit(RunTimeout), Is.True, "the trainer did not finish in time");
        Assert.That(trainer.ExitCode, Is.Zero, trainer.Error);
        Assert.That(File.ReadAllBytes(Path.Combine(dir, "params.json")), Is.EqualTo(Reference(3)));

        var plain = Start(Train(3, Path.Combine(_root, "plain"), "--cluster", silos[0].Gateway));
        Assert.That(plain.WaitForExit(RunTimeout), Is.True, "the trainer without the certificate did not stop in time");
        Assert.That(plain.ExitCode, Is.EqualTo(DiffOpCli.ComputationFailed), plain.Error);
        Assert.That(plain.Error, Does.Contain("--tls-certificate"));
    }

    /// <summary>A self-signed certificate for server and client authentication, as PKCS#12 with its key.</summary>
    private static void WriteClusterCertificate(string path, string password)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=diffop-test-cluster", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension(
            [new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"), new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, password));
    }

    [Test]
    public void TlsCertificateWithoutCluster_IsAUsageError()
    {
        var (code, _, err) = CliRunner.Run(Train(1, Path.Combine(_root, "tls-only"), "--tls-certificate", "x.pfx"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--cluster"));
    }

    [Test]
    public void ClusterWithWorkers_IsAUsageError()
    {
        var (code, _, err) = CliRunner.Run(Train(1, Path.Combine(_root, "both"), "--cluster", "127.0.0.1:30000", "--workers", "2"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--cluster").And.Contain("--workers").And.Contain("not both"));
        Assert.That(Directory.Exists(Path.Combine(_root, "both")), Is.False);

        (code, _, err) = CliRunner.Run(Train(1, Path.Combine(_root, "threads"), "--cluster", "127.0.0.1:30000", "--threads", "2"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--cluster").And.Contain("--threads").And.Contain("not both"));
        Assert.That(Directory.Exists(Path.Combine(_root, "threads")), Is.False);
    }

    [Test]
    public void MalformedClusterAddress_IsAUsageErrorNamingTheForm()
    {
        var (code, _, err) = CliRunner.Run(Train(1, Path.Combine(_root, "bad"), "--cluster", "127.0.0.1"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("HOST:PORT"));
        Assert.That(Directory.Exists(Path.Combine(_root, "bad")), Is.False);
    }

    [Test]
    public void NoSiloAtTheAddress_IsExitOneSayingToStartOne()
    {
        int port = FreePort();
        string dir = Path.Combine(_root, "nobody");
        var (code, _, err) = CliRunner.Run(Train(1, dir, "--cluster", $"127.0.0.1:{port}"));
        Assert.That(code, Is.EqualTo(DiffOpCli.ComputationFailed), err);
        Assert.That(err, Does.Contain("diffop silo"));
        Assert.That(Directory.Exists(dir), Is.False, "a run that never started leaves no folder, so the same command works once a silo runs");
    }

    // ---- processes ----

    private Silo[] StartCluster(int count, params string[] extra)
    {
        var silos = new Silo[count];
        silos[0] = StartSilo(null, extra);
        silos[0].WaitForOutput("silo ready", ReadyTimeout);
        for (int i = 1; i < count; i++) silos[i] = StartSilo(silos[0], extra);
        for (int i = 1; i < count; i++) silos[i].WaitForOutput("silo ready", ReadyTimeout);
        // Every silo active in the primary's view before training starts.
        silos[0].WaitForOutput($"{count} active", ReadyTimeout);
        return silos;
    }

    private Silo StartSilo(Silo? primary, string[] extra)
    {
        int siloPort = FreePort(), gatewayPort = FreePort();
        while (gatewayPort == siloPort) gatewayPort = FreePort();
        List<string> args = ["silo", "--port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString(), "--probe-timeout", "2", "--missed-probes", "2"];
        if (primary is not null) args.AddRange(["--primary", $"127.0.0.1:{primary.SiloPort}"]);
        args.AddRange(extra);
        var silo = new Silo(Launch(args, (TlsPasswordVariable, "test-password")), siloPort, gatewayPort);
        _processes.Add(silo);
        return silo;
    }

    private Node Start(string[] args)
    {
        var node = new Node(Launch(args, ("DIFFOP_CLUSTER_TIMEOUT", "12"), (TlsPasswordVariable, "test-password")));
        _processes.Add(node);
        return node;
    }

    private static Process Launch(IEnumerable<string> args, params (string Name, string Value)[] environment)
    {
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DiffOpCli).Assembly.Location);
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>A free TCP port on loopback (bound and released; the silo binds it moments later).</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A started process with its output collected; killed (and continued first, if paused) in teardown.</summary>
    private class Node
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _out = new(), _err = new();

        public Node(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output { get { lock (_out) return _out.ToString(); } }
        public string Error { get { lock (_err) return _err.ToString(); } }
        public int ExitCode => _process.ExitCode;

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) return false;
            _process.WaitForExit();   // drains the output readers
            return true;
        }

        public void WaitForOutput(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
                    Assert.Fail($"The process ended (exit {_process.ExitCode}) before it printed '{text}'.{Environment.NewLine}{Output}{Error}");
                if (clock.Elapsed > timeout) Assert.Fail($"No '{text}' within {timeout.TotalSeconds} s.{Environment.NewLine}{Output}{Error}");
                Thread.Sleep(50);
            }
        }

        public void Pause()
        {
            _paused = true;
            Assert.That(Signal(_process.Id, SigStop), Is.Zero, "SIGSTOP failed");
        }

        private bool _paused;

        public void Kill()
        {
            try
            {
                if (_paused) Signal(_process.Id, SigCont);
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException) { /* never started or already gone */ }
        }

        private const int SigStop = 19, SigCont = 18;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Signal(int pid, int signal);
    }

    private sealed class Silo(Process process, int siloPort, int gatewayPort) : Node(process)
    {
        public int SiloPort { get; } = siloPort;
        public string Gateway { get; } = $"127.0.0.1:{gatewayPort}";
    }
}
