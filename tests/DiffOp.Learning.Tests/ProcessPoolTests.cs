using System.Diagnostics;
using DiffOp.Learning.Training;
using DiffOp.Learning.Workers;
using DiffOp.Samples.DampedCart;

namespace DiffOp.Learning.Tests;

/// <summary>
/// The library's worker-process pool on a system that is not one of the built-in tasks (samples/DampedCart): the same θ
/// as the sequential executor, and the sample program itself trains with it.
/// </summary>
[Category("Native")]
public class ProcessPoolTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    private static string SampleAssembly => typeof(DampedCartSample).Assembly.Location;

    [Test]
    public void ProcessPool_OnACustomSystem_GivesTheSequentialExecutorsThetaBitForBit()
    {
        var options = DampedCartSample.Options(iterations: 4);
        var theta0 = DampedCartSample.BuildPolicyOcp().InitialParameters();

        var sequential = new Trainer(options, new SequentialRolloutExecutor(DampedCartSample.CreateWorker()), theta0);
        sequential.Train();

        using var pool = new ProcessRolloutExecutor(ProcessWorkerStart.DotnetAssembly(SampleAssembly, RolloutWorkerHost.WorkerArgument), workers: 2);
        var parallel = new Trainer(options, pool, theta0);
        parallel.Train();

        Assert.That(parallel.Theta, Is.EqualTo(sequential.Theta), "worker processes give exactly the sequential result");
        Assert.That(parallel.Theta, Is.Not.EqualTo(theta0), "θ moved");
        Assert.That(pool.WorkerCount, Is.EqualTo(2));
        Assert.That(pool.Restarts, Is.Zero);
    }

    [Test]
    public void ASlowStart_IsNotTakenForAHang_TheReplyTimeoutCountsFromReady()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("uses sh to delay the worker's start");
        // The worker starts 3 s late (a busy machine: runtime, native libraries, compiling the OCP) while a rollout itself
        // takes milliseconds: a 1 s reply timeout must not count the start.
        var start = new ProcessWorkerStart("sh", ["-c", $"sleep 3; exec dotnet '{SampleAssembly}' {RolloutWorkerHost.WorkerArgument}"]);
        using var pool = new ProcessRolloutExecutor(start, workers: 1, replyTimeout: TimeSpan.FromSeconds(1), maxRestarts: 0);
        var theta0 = DampedCartSample.BuildPolicyOcp().InitialParameters();
        var results = pool.Run(theta0, [new RolloutRequest(1, Explore: false)]);
        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(double.IsFinite(results[0].Cost), Is.True);
        Assert.That(pool.Restarts, Is.Zero);

        // …but a worker that never becomes ready is still caught, by the startup timeout.
        var never = new ProcessWorkerStart("sh", ["-c", "sleep 30"]);
        using var stuck = new ProcessRolloutExecutor(never, workers: 1, replyTimeout: TimeSpan.FromSeconds(1), maxRestarts: 0, startupTimeout: TimeSpan.FromSeconds(2));
        Assert.That(() => stuck.Run(theta0, [new RolloutRequest(1, Explore: false)]),
            Throws.InstanceOf<RolloutWorkerException>().With.Message.Contains("not ready within 2 s"));
    }

    [Test]
    public void AWorkerProgramThatIsNotAWorker_FailsWithItsErrorOutput()
    {
        // The sample started without the worker argument trains instead of answering: its replies are not results.
        using var pool = new ProcessRolloutExecutor(ProcessWorkerStart.DotnetAssembly(SampleAssembly, "--iterations", "abc"), workers: 1,
            replyTimeout: TimeSpan.FromSeconds(20), maxRestarts: 1);
        var theta0 = DampedCartSample.BuildPolicyOcp().InitialParameters();
        Assert.That(() => pool.Run(theta0, [new RolloutRequest(1, Explore: false)]),
            Throws.InstanceOf<RolloutWorkerException>().With.Message.Contains("--iterations needs a positive whole number"));
    }

    [Test]
    public void TheSampleProgram_TrainsWithWorkerProcesses_AndImproves()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { SampleAssembly, "--iterations", "30", "--workers", "2" }) start.ArgumentList.Add(a);
        using var sample = Process.Start(start)!;
        var error = sample.StandardError.ReadToEndAsync();
        string output = sample.StandardOutput.ReadToEnd();
        Assert.That(sample.WaitForExit(120_000), Is.True);
        TestContext.Progress.WriteLine(output);
        Assert.That(sample.ExitCode, Is.Zero, output + error.Result);
        Assert.That(output, Does.Contain("on 2 worker processes: cost"));
    }

    [Test]
    public void BadSettings_AreRejected()
    {
        var start = ProcessWorkerStart.DotnetAssembly(SampleAssembly, RolloutWorkerHost.WorkerArgument);
        Assert.That(() => new ProcessRolloutExecutor(start, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("At least one"));
        Assert.That(() => new ProcessRolloutExecutor(start, 1, TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("timeout"));
        Assert.That(RolloutWorkerHost.IsWorker(["a", RolloutWorkerHost.WorkerArgument]), Is.True);
        Assert.That(RolloutWorkerHost.IsWorker(["a"]), Is.False);
    }
}
