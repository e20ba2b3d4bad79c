using System.Text.Json;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

[Category("Native")]
public class TrainCommandTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(Path.GetTempPath(), $"diffop-train-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private string[] Train(string dir, int iterations, int workers = 1) =>
        ["train", "cartpole", "--recipe", "paper", "--iterations", iterations.ToString(), "--rollouts", "3", "--set", "T=8", "--sigma", "0.5",
         "--beta", "inf", "--optimizer", "adam", "--lr", "0.02", "--estimator", "baseline", "--seed", "3", "--workers", workers.ToString(), "--out", dir];

    private static double[] Theta(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json")));
        return doc.RootElement.GetProperty("theta").EnumerateObject().SelectMany(b => b.Value.EnumerateArray().Select(v => v.GetDouble())).ToArray();
    }

    [Test]
    public void Train_WritesRunFolder_AndEvaluateReadsIt()
    {
        string dir = Path.Combine(_root, "run");
        var (code, output, err) = Run(Train(dir, 2));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("iteration     2/2"));
        foreach (var f in new[] { "config.json", "params.json", "metrics.csv", "learning-curve.png" })
            Assert.That(File.Exists(Path.Combine(dir, f)), f);
        var png = File.ReadAllBytes(Path.Combine(dir, "learning-curve.png"));
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.That(lines, Has.Length.EqualTo(3), "header + one row per iteration");
        Assert.That(lines[0], Does.StartWith("iteration,mean_cost"));
        Assert.That(Theta(dir), Has.All.Matches<double>(double.IsFinite));
        Assert.That(Theta(dir), Has.Length.EqualTo(11), "cartpole θ = (mc, mp, l), 4 stage and 4 terminal weights");

        var (evalCode, evalOut, evalErr) = Run("evaluate", dir, "--episodes", "2", "--json");
        Assert.That(evalCode, Is.EqualTo(DiffOpCli.Success), evalErr);
        using var doc = JsonDocument.Parse(evalOut);
        Assert.That(doc.RootElement.GetProperty("iterations").GetInt32(), Is.EqualTo(2));
        Assert.That(doc.RootElement.GetProperty("mean_cost").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("initial_mean_cost").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void Train_TwoWorkerProcesses_GiveTheSameThetaAsOne()
    {
        string one = Path.Combine(_root, "one"), two = Path.Combine(_root, "two");
        Assert.That(Run(Train(one, 2, workers: 1)).Code, Is.EqualTo(DiffOpCli.Success));
        var (code, _, err) = Run(Train(two, 2, workers: 2));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Theta(two), Is.EqualTo(Theta(one)));
    }

    [Test]
    public void Train_VoltageOnThreads_GivesTheSameParamsAsOneWorker_ByteForByte()
    {
        string[] Args(string dir, params string[] parallel) =>
            ["train", "voltage", "--mode", "traj", "--iterations", "3", "--seed", "2", "--quiet", .. parallel, "--out", dir];
        string one = Path.Combine(_root, "v-one"), threads = Path.Combine(_root, "v-threads");
        var (code, _, err) = Run(Args(one));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        (code, var output, err) = Run(Args(threads, "--threads", "3"));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("3 threads"));
        Assert.That(File.ReadAllBytes(Path.Combine(threads, "params.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(one, "params.json"))));

        // cart-pole's OCP is not a QP: threads work but are told to take turns in Ipopt.
        (code, output, err) = Run("train", "cartpole", "--iterations", "1", "--rollouts", "2", "--set", "T=8", "--threads", "2", "--quiet", "--out", Path.Combine(_root, "c-threads"));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("not a convex QP").And.Contain("--workers"));
    }

    [TestCase("traj", "adam")]
    [TestCase("step", "natural")]
    [TestCase("traj", "action-adam")]
    public void Train_DefaultRecipeAndMetricOptimizers_TwoWorkerProcessesGiveTheSameThetaAsOne(string mode, string optimizer)
    {
        // The worker protocol carries the mirrored, tangent and per-step requests and the metric back: any loss shows here.
        string[] Args(string dir, int workers) =>
            ["train", "cartpole", "--mode", mode, "--iterations", "2", "--rollouts", "4", "--set", "T=8", "--optimizer", optimizer,
             "--estimator", "reward-to-go", "--trust-radius", "0.1", "--seed", "5", "--workers", workers.ToString(), "--out", dir];
        string one = Path.Combine(_root, $"one-{mode}-{optimizer}"), two = Path.Combine(_root, $"two-{mode}-{optimizer}");
        var (code, _, err) = Run(Args(one, 1));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        (code, _, err) = Run(Args(two, 2));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Theta(two), Is.EqualTo(Theta(one)));
        var rows = File.ReadAllLines(Path.Combine(one, "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.That(rows, Has.Length.EqualTo(2));
        Assert.That(rows.Select(r => r[7]), Is.All.EqualTo("0"), "both updates were applied (update_skipped = 0)");
    }

    [Test]
    public void Train_TrustRegion_WorkersAndResumeGiveTheSameTheta_AndMetricsShowTheRatioTest()
    {
        // Each iteration runs its rollouts twice (at θ and at the candidate, same seeds); both batches go through the workers,
        // and Δ, the model B and the count of pooled batches go through params.json (seed 3 accepts its first candidate and rejects the
        // next two, so the resumed fourth iteration pools two batches that it must run again).
        string[] Args(string dir, int iterations, int workers) =>
            ["train", "cartpole", "--mode", "traj", "--iterations", iterations.ToString(), "--rollouts", "4", "--set", "T=8",
             "--optimizer", "trust-region", "--pool-batches", "3", "--seed", "3", "--workers", workers.ToString(), "--out", dir];
        string one = Path.Combine(_root, "tr-one"), two = Path.Combine(_root, "tr-two"), part = Path.Combine(_root, "tr-part");
        var (code, _, err) = Run(Args(one, 4, 1));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        (code, _, err) = Run(Args(two, 4, 2));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Theta(two), Is.EqualTo(Theta(one)), "two workers");
        (code, _, err) = Run(Args(part, 3, 1));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var carried = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(part, "params.json"))).RootElement.GetProperty("pooled_batches").GetInt32();
        Assert.That(carried, Is.GreaterThan(0), "θ stayed put, so the checkpoint carries batches to pool");
        (code, _, err) = Run("train", "--resume", part, "--iterations", "4");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Theta(part), Is.EqualTo(Theta(one)), "resumed");

        var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(one, "config.json"))).RootElement;
        Assert.That(config.GetProperty("schedule").GetString(), Is.EqualTo("Constant"), "the trust-region rule replaces the recipe's cosine schedule");
        var lines = File.ReadAllLines(Path.Combine(one, "metrics.csv"));
        var header = lines[0].Split(',');
        int radius = Array.IndexOf(header, "trust_radius"), skipped = Array.IndexOf(header, "update_skipped");
        Assert.That(radius, Is.GreaterThan(0), "metrics.csv has the trust_radius column");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.That(rows.Select(r => double.Parse(r[radius], System.Globalization.CultureInfo.InvariantCulture)), Is.All.GreaterThan(0));
        Assert.That(rows.Any(r => r[skipped] == "0"), Is.True, "at least one step was accepted");
        int pooled = Array.IndexOf(header, "gradient_rollouts");
        Assert.That(rows.Select(r => int.Parse(r[pooled], System.Globalization.CultureInfo.InvariantCulture)).Max(), Is.GreaterThan(4), "some ĝ pooled earlier batches");
        Assert.That(File.ReadAllLines(Path.Combine(part, "metrics.csv")).Skip(1).Select(l => l.Split(',')[pooled]), Is.EqualTo(rows.Select(r => r[pooled])),
            "the resumed run pooled as the uninterrupted one did");
    }

    [Test]
    public void Resume_ContinuesToTheSameThetaAsAnUninterruptedRun()
    {
        string full = Path.Combine(_root, "full"), part = Path.Combine(_root, "part");
        Assert.That(Run(Train(full, 3)).Code, Is.EqualTo(DiffOpCli.Success));
        Assert.That(Run(Train(part, 2)).Code, Is.EqualTo(DiffOpCli.Success));
        var (code, _, err) = Run("train", "--resume", part, "--iterations", "3");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Theta(part), Is.EqualTo(Theta(full)));
        Assert.That(File.ReadAllLines(Path.Combine(part, "metrics.csv")), Has.Length.EqualTo(4));
    }

    [Test]
    public void Train_BadInput_IsUsageError()
    {
        string dir = Path.Combine(_root, "busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "something.txt"), "x");
        var (code, _, err) = Run(Train(dir, 1));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--resume"));

        (code, _, err) = Run("train", "cartpole", "--workers", "0", "--out", Path.Combine(_root, "w0"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--workers"));

        (code, _, err) = Run("train", "voltage", "--threads", "0", "--out", Path.Combine(_root, "t0"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--threads must be at least 1"));

        (code, _, err) = Run("train", "voltage", "--threads", "2", "--workers", "2", "--out", Path.Combine(_root, "tw"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("give one of them"));
        Assert.That(Directory.Exists(Path.Combine(_root, "tw")), Is.False);

        (code, _, err) = Run("train", "cartpole", "--beta", "-1", "--out", Path.Combine(_root, "b"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--beta"));

        (code, _, err) = Run("evaluate", Path.Combine(_root, "nothing-here"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("config.json"));
    }
}
