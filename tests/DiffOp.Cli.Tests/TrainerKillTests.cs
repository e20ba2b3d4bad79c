using System.Diagnostics;
using System.Text.Json;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>
/// The trainer killed (SIGKILL) at random moments — before its first checkpoint, between a metrics row and its checkpoint,
/// anywhere — and resumed each time ends with the θ and the metrics of an uninterrupted run.
/// </summary>
[Category("Native")]
[NonParallelizable]
public class TrainerKillTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(Path.GetTempPath(), $"diffop-kills-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private const int Iterations = 40;

    private static string[] Fresh(string dir) =>
        ["train", "cartpole", "--mode", "traj", "--iterations", Iterations.ToString(), "--rollouts", "4", "--seed", "6", "--workers", "2", "--out", dir];

    private static double[] Theta(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json")));
        return doc.RootElement.GetProperty("theta").EnumerateObject().SelectMany(b => b.Value.EnumerateArray().Select(v => v.GetDouble())).ToArray();
    }

    /// <summary>Starts the CLI as its own process (so that it can be killed) with its output drained.</summary>
    private static Process Start(string[] args)
    {
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DiffOpCli).Assembly.Location);
        foreach (string a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [Test]
    public void IpoptMissing_WithWorkerProcesses_IsExitThreeWithTheInstallAdvice()
    {
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DiffOpCli).Assembly.Location);
        foreach (string a in new[] { "train", "cartpole", "--workers", "2", "--iterations", "1", "--out", Path.Combine(_root, "no-ipopt") }) start.ArgumentList.Add(a);
        start.Environment["DIFFOP_IPOPT_PATH"] = "/nonexistent/libipopt.so";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(60_000), Is.True);
        string err = stderr.Result;
        Assert.That(process.ExitCode, Is.EqualTo(DiffOpCli.MissingDependency), err);
        Assert.That(err, Does.Contain("DIFFOP_IPOPT_PATH").And.Contain("coinor-libipopt1v5"));
        Assert.That(err, Does.Not.Contain("AggregateException").And.Not.Contain("   at "));
        Assert.That(Directory.Exists(Path.Combine(_root, "no-ipopt")), Is.False, "nothing is started, nothing is left");
    }

    [Test]
    public void KilledAtRandomMoments_ResumesToTheUninterruptedTheta()
    {
        string quiet = Path.Combine(_root, "quiet"), killed = Path.Combine(_root, "killed");
        var (code, _, err) = CliRunner.Run(Fresh(quiet));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);

        // One round here; `./build.sh soak` runs 20 (DIFFOP_FAULT_ROUNDS), each with other random kill times.
        for (int round = 0; round < WorkerFaultTests.FaultRounds(); round++)
        {
            if (Directory.Exists(killed)) Directory.Delete(killed, recursive: true);
            KilledRun(quiet, killed, new Random(11 + round));
        }
    }

    private static void KilledRun(string quiet, string killed, Random random)
    {
        var pids = new List<int>();
        int kills = 0, finished = -1;
        // Early kills land before the first checkpoint (start-up takes about a second), later ones anywhere in the run.
        int[] delays = [300, 900, random.Next(1200, 2500), random.Next(1200, 2500), random.Next(1200, 2500)];
        for (int attempt = 0; attempt < delays.Length + 1 && finished < 0; attempt++)
        {
            bool hasConfig = File.Exists(Path.Combine(killed, "config.json"));
            string[] args = hasConfig ? ["train", "--resume", killed, "--iterations", Iterations.ToString(), "--workers", "2"] : Fresh(killed);
            using var process = Start(args);
            pids.Add(process.Id);
            if (attempt < delays.Length && !process.WaitForExit(delays[attempt]))
            {
                process.Kill(entireProcessTree: false);   // the trainer alone: its workers see their input end and exit
                process.WaitForExit();
                kills++;
                continue;
            }
            Assert.That(process.WaitForExit(120_000), Is.True, "the last attempt finishes");
            finished = process.ExitCode;
        }
        TestContext.Progress.WriteLine($"{kills} kills");
        Assert.That(kills, Is.GreaterThanOrEqualTo(3), "most attempts were killed mid-run");
        Assert.That(finished, Is.EqualTo(DiffOpCli.Success));
        Assert.That(Theta(killed), Is.EqualTo(Theta(quiet)), "the same θ as the uninterrupted run");
        var rows = File.ReadAllLines(Path.Combine(killed, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.That(rows, Is.EqualTo(Enumerable.Range(1, Iterations).Select(i => i.ToString()).ToArray()), "one metrics row per iteration");
        foreach (int pid in pids)
            Assert.That(Directory.EnumerateFiles(Path.GetTempPath(), $"diffop-worker-{pid}-*.json"), Is.Empty, $"no worker config of trainer {pid} is left");
    }
}
