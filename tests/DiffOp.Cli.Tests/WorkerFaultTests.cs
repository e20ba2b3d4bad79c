using System.Diagnostics;
using System.Text.Json;
using DiffOp.Cli.Training;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>
/// Worker processes that are killed or stop answering are replaced and their rollouts re-run: training ends with the θ of
/// an undisturbed run. (A longer version with many random kills belongs in the benchmarks.)
/// </summary>
[Category("Native")]
[NonParallelizable]
public class WorkerFaultTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The fault injection finds worker processes through /proc.");
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(Path.GetTempPath(), $"diffop-faults-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(CliWorkerPool.TimeoutVariable, null);
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static string[] Train(string dir) =>
        ["train", "cartpole", "--mode", "traj", "--iterations", "30", "--rollouts", "4", "--seed", "2", "--workers", "2", "--out", dir];

    private static double[] Theta(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json")));
        return doc.RootElement.GetProperty("theta").EnumerateObject().SelectMany(b => b.Value.EnumerateArray().Select(v => v.GetDouble())).ToArray();
    }

    /// <summary>This process's rollout-worker children, from /proc.</summary>
    private static int[] Workers()
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) != Environment.ProcessId) continue;
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("rollout-worker")) found.Add(pid);
            }
            catch (IOException) { /* the process ended meanwhile */ }
            catch (UnauthorizedAccessException) { }
        }
        return [.. found];
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()]);
        kill.WaitForExit();
    }

    [Test]
    public void KilledAndStoppedWorkers_AreReplaced_AndTheRunEndsWithTheUndisturbedTheta()
    {
        string quiet = Path.Combine(_root, "quiet"), disturbed = Path.Combine(_root, "disturbed");
        var (code, _, err) = CliRunner.Run(Train(quiet));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);

        Environment.SetEnvironmentVariable(CliWorkerPool.TimeoutVariable, "2");
        // One round here; `./build.sh soak` runs 20 (DIFFOP_FAULT_ROUNDS), each with other random fault times.
        for (int round = 0; round < FaultRounds(); round++)
        {
            if (Directory.Exists(disturbed)) Directory.Delete(disturbed, recursive: true);
            DisturbedRun(quiet, disturbed, new Random(7 + round));
        }
    }

    /// <summary>Rounds of fault injection: DIFFOP_FAULT_ROUNDS, or 1.</summary>
    internal static int FaultRounds() =>
        int.TryParse(Environment.GetEnvironmentVariable("DIFFOP_FAULT_ROUNDS"), out int rounds) && rounds > 0 ? rounds : 1;

    private void DisturbedRun(string quiet, string disturbed, Random random)
    {
        var run = Task.Run(() => CliRunner.Run(Train(disturbed)));
        int faults = 0;
        // Three kills (SIGKILL) and one stop (SIGSTOP: alive but silent until the reply timeout) at random moments.
        foreach (string signal in new[] { "KILL", "STOP", "KILL", "KILL" })
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            int[] workers;
            while ((workers = Workers()).Length == 0 && !run.IsCompleted && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (run.IsCompleted) break;
            Thread.Sleep(random.Next(100, 400));
            workers = Workers();
            if (workers.Length == 0) continue;
            Signal(workers[random.Next(workers.Length)], signal);
            faults++;
            Thread.Sleep(signal == "STOP" ? 2500 : 600);
        }
        Assert.That(run.Wait(TimeSpan.FromMinutes(3)), Is.True, "the disturbed run ends");
        var (code, _, err) = run.Result;
        TestContext.Progress.WriteLine($"{faults} faults injected");
        Assert.That(faults, Is.GreaterThanOrEqualTo(2), "the run lasted long enough for the faults to land");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Theta(disturbed), Is.EqualTo(Theta(quiet)), "re-run rollouts give the same results");
        Assert.That(Workers(), Is.Empty, "no worker outlives the run");
        Assert.That(Directory.EnumerateFiles(Path.GetTempPath(), $"diffop-worker-{Environment.ProcessId}-*.json"), Is.Empty, "the workers' config file is removed");
    }

    [Test]
    public void AWorkerThatAlwaysFails_StopsTrainingWithExitOneAndItsErrorOutput()
    {
        // A reply timeout too short for any rollout: every attempt of every replacement fails.
        Environment.SetEnvironmentVariable(CliWorkerPool.TimeoutVariable, "0.000001");
        string dir = Path.Combine(_root, "failing");
        var (code, _, err) = CliRunner.Run(["train", "cartpole", "--iterations", "2", "--rollouts", "2", "--set", "T=4", "--workers", "2", "--out", dir]);
        Assert.That(code, Is.EqualTo(DiffOpCli.ComputationFailed), err);
        Assert.That(err, Does.Contain("failed 4 times").And.Contain("checkpoint"));
        Assert.That(err, Does.Not.Contain("   at "));
        Assert.That(Workers(), Is.Empty, "no worker outlives the run");
    }
}
