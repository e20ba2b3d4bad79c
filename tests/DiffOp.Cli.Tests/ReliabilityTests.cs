using System.Text.Json;
using DiffOp.Cli.Commands;
using DiffOp.Cli.Training;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>
/// Bad input and damaged run folders get one clear message and the documented exit code, never a stack trace
/// (unless --verbose); limits fail fast; resumes survive interrupted runs.
/// </summary>
public class ReliabilityTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), $"diffop-reliability-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static void AssertNoStackTrace(string err) =>
        Assert.That(err, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"), "no stack trace without --verbose");

    [TestCase("solve", "voltage", "--horizon", "abc")]
    [TestCase("solve", "voltage", "--horizon", "1e3")]
    [TestCase("solve", "voltage", "--horizon", "99999999999")]
    [TestCase("evaluate-baseline", "--controller", "sgf", "--scenarios", "abc")]
    [TestCase("evaluate-baseline", "--controller", "sgf", "--steps", "abc")]
    public void TextThatIsNotAWholeNumber_IsAUsageError(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("whole number"));
        AssertNoStackTrace(err);
    }

    [TestCase("solve", "voltage", "--horizon", "1000000000")]
    [TestCase("solve", "quadrotor", "--horizon", "100000")]
    [TestCase("solve", "lqr", "--horizon", "2000000")]
    [TestCase("gradcheck", "voltage", "--horizon", "20000000")]
    public void HorizonsBeyondTheSizeLimit_FailFastWithTheOverride(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain(ProblemLimits.Variable));
        AssertNoStackTrace(err);
    }

    [Test]
    public void SettingAHugeHorizon_InTraining_FailsBeforeTheRunFolderIsMade()
    {
        string dir = Path.Combine(_root, "huge");
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--set", "H=1e9", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("unknowns"));
        Assert.That(Directory.Exists(dir), Is.False, "nothing is left behind");
    }

    [Test]
    public void Verbose_AddsTheStackTrace()
    {
        var (code, _, err) = CliRunner.Run("solve", "voltage", "--horizon", "1000000000", "--verbose");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("   at "));
    }

    [Test]
    public void ErrorBoundary_UnwrapsAggregates_AndMapsEachKindToItsExitCode()
    {
        int Code(Exception ex, out string message)
        {
            var writer = new StringWriter();
            int code = CommandErrors.Report(ex, writer, verbose: false);
            message = writer.ToString();
            return code;
        }
        // Ipopt missing seen through the parallel executor's aggregate.
        Assert.That(Code(new AggregateException(new NativeLibraryException("install coinor-libipopt1v5")), out string m), Is.EqualTo(DiffOpCli.MissingDependency));
        Assert.That(m, Does.Contain("coinor-libipopt1v5").And.Not.Contain("AggregateException"));
        Assert.That(Code(new EntryPointNotFoundException("CreateIpoptProblem"), out _), Is.EqualTo(DiffOpCli.MissingDependency));
        Assert.That(Code(new ArgumentOutOfRangeException("TimeStep", 0.0, "dt must be positive."), out m), Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(m, Does.Not.Contain("(Parameter").And.Not.Contain("Actual value"), "no .NET wording");
        Assert.That(Code(new OverflowException(), out m), Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(m, Does.Contain("too large"));
        Assert.That(Code(new InvalidOperationException("boom"), out m), Is.EqualTo(DiffOpCli.ComputationFailed));
        Assert.That(m, Does.Contain("--verbose"));
    }

    [Test]
    public void GradCheck_OnAProblemTooLargeForTheDenseOracle_SkipsItAndStillChecksFiniteDifferences()
    {
        var (code, output, err) = CliRunner.Run("gradcheck", "lqr", "--horizon", "500", "--json");
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.That(json.GetProperty("dense_checked").GetBoolean(), Is.False, "2,503 unknowns: above the dense oracle's 2,000");
        Assert.That(json.GetProperty("fd_directions_checked").GetInt32(), Is.GreaterThan(0));
    }

    /// <summary>A finished 2-iteration run to damage.</summary>
    private string SmallRun(string name, int iterations = 2)
    {
        string dir = Path.Combine(_root, name);
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--iterations", iterations.ToString(), "--rollouts", "2", "--set", "T=4", "--seed", "4", "--out", dir);
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        return dir;
    }

    [TestCase("", "not a valid checkpoint")]
    [TestCase("{\"format\": \"diffop-params/1\", \"iter", "not a valid checkpoint")]
    [TestCase("NaN", "not a valid checkpoint")]
    [TestCase("[1,2]", "not a valid checkpoint")]
    [TestCase("null", "empty")]
    [Category("Native")]
    public void DamagedCheckpoint_IsAUsageErrorNamingTheFile(string content, string expected)
    {
        string dir = SmallRun("damaged");
        File.WriteAllText(Path.Combine(dir, "params.json"), content);
        var (code, _, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "3");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("params.json").And.Contain(expected));
        AssertNoStackTrace(err);
    }

    [TestCase("\"iteration\": 2", "\"iteration\": -5", "negative")]
    [TestCase("\"format\": \"diffop-params/1\"", "\"format\": \"other/9\"", "format")]
    [Category("Native")]
    public void CheckpointWithImpossibleValues_IsRejected(string from, string to, string expected)
    {
        string dir = SmallRun("impossible");
        string path = Path.Combine(dir, "params.json");
        string text = File.ReadAllText(path);
        Assert.That(text, Does.Contain(from));
        File.WriteAllText(path, text.Replace(from, to));
        var (code, _, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "3");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain(expected));
    }

    [TestCase("\"mode\": \"Step\"", "\"mode\": \"Sideways\"", "not a valid run configuration")]
    [TestCase("\"seed\": 4,", "", "not a valid run configuration")]
    [TestCase("\"horizon\": 6", "\"horizon\": 7", "horizon 7")]
    [TestCase("\"initial_theta\": \"init\"", "\"initial_theta\": \"bogus\"", "initial_theta")]
    [TestCase("\"format\": \"diffop-run/1\"", "\"format\": \"diffop-run/9\"", "format")]
    [TestCase("\"rollouts\": 2", "\"rollouts\": 0", "Rollouts")]
    [Category("Native")]
    public void DamagedRunConfiguration_IsRejectedOnResumeAndEvaluate(string from, string to, string expected)
    {
        string dir = SmallRun("config");
        string path = Path.Combine(dir, "config.json");
        string text = File.ReadAllText(path);
        Assert.That(text, Does.Contain(from), "the test edits a value config.json has");
        File.WriteAllText(path, text.Replace(from, to));
        var (code, _, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "3");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain(expected));
        AssertNoStackTrace(err);
        (code, _, err) = CliRunner.Run("evaluate", dir, "--episodes", "1");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
    }

    [TestCase("--seed", "7")]
    [TestCase("--sigma", "0.1")]
    [TestCase("--mode", "traj")]
    [TestCase("--set", "T=5")]
    [TestCase("--rollouts-per-start", "4")]
    [Category("Native")]
    public void ResumeWithAnOptionThatWouldChangeTheRun_IsRefusedByName(string option, string value)
    {
        string dir = SmallRun("conflict");
        var (code, _, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "3", option, value);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain(option).And.Contain("--resume"));
        (code, _, err) = CliRunner.Run("train", "voltage", "--resume", dir, "--iterations", "3");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
    }

    [Test]
    [Category("Native")]
    public void RunFolderWithoutACheckpoint_ResumesFromIterationZero_ToTheSameTheta()
    {
        string whole = SmallRun("whole", iterations: 2);
        string stopped = SmallRun("stopped", iterations: 2);
        File.Delete(Path.Combine(stopped, "params.json"));
        File.Delete(Path.Combine(stopped, "metrics.csv"));
        var (code, output, err) = CliRunner.Run("train", "--resume", stopped, "--iterations", "2");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("iteration 0"));
        Assert.That(File.ReadAllText(Path.Combine(stopped, "params.json")), Is.EqualTo(File.ReadAllText(Path.Combine(whole, "params.json"))));
    }

    [Test]
    [Category("Native")]
    public void MetricsRowsPastTheCheckpoint_AndATornRow_AreRemovedOnResume()
    {
        // The reference resumes an undamaged 2-iteration run to 3 (the cosine schedule depends on the first run's total).
        string whole = SmallRun("reference", iterations: 2);
        Assert.That(CliRunner.Run("train", "--resume", whole, "--iterations", "3").Code, Is.EqualTo(DiffOpCli.Success));
        string dir = SmallRun("torn", iterations: 2);
        string metrics = Path.Combine(dir, "metrics.csv");
        var lines = File.ReadAllLines(metrics);
        // A row for iteration 3 written before a kill that came before its checkpoint, then half a row with no newline.
        File.AppendAllText(metrics, lines[2].Replace("2,", "3,") + Environment.NewLine + "4,12.5,1");
        var (code, output, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "3");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("removed 2 row(s)"));
        var rows = File.ReadAllLines(metrics).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.That(rows, Is.EqualTo(new[] { "1", "2", "3" }), "one row per iteration, in order");
        Assert.That(File.ReadAllText(Path.Combine(dir, "params.json")), Is.EqualTo(File.ReadAllText(Path.Combine(whole, "params.json"))));
    }

    [Test]
    [Category("Native")]
    public void FarMoreWorkersThanRollouts_AreCappedAtTheRollouts()
    {
        string dir = Path.Combine(_root, "many");
        var (code, output, err) = CliRunner.Run("train", "cartpole", "--iterations", "1", "--rollouts", "2", "--set", "T=4", "--eval-episodes", "0", "--workers", "1000", "--out", dir);
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("1000 workers for 2 rollouts").And.Contain("using 2"));
    }

    [Test]
    [Category("Native")]
    public void Solve_WithProgress_PrintsOneLinePerIpoptIterationOnStderr_AndOnlyThen()
    {
        var (code, output, err) = CliRunner.Run("solve", "boxlqr", "--progress", "--json", "--solver", "ipopt");
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("method").GetString(), Is.EqualTo("Ipopt"));
        int iterations = JsonDocument.Parse(output).RootElement.GetProperty("iterations").GetInt32();
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(iterations + 1), "iterations 0..k");
        Assert.That(lines, Has.All.StartWith("ipopt iteration"));
        (code, output, err) = CliRunner.Run("solve", "boxlqr", "--json");
        Assert.That(err, Is.Empty, "stderr is not a terminal here: no progress unless asked");
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("method").GetString(), Is.EqualTo("StructuredQp"), "boxlqr is a convex QP");
        (code, _, err) = CliRunner.Run("solve", "boxlqr", "--solver", "sqp");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("sqp"));
    }

    [Test]
    [Category("Native")]
    public void EveryRolloutDropped_EndsWithExitOne_NotWithNaNAndSuccess()
    {
        // A start the policy cannot plan from: |F| ≤ 0.001 and |p| ≤ 0.1 with the cart at p = 1.
        string dir = Path.Combine(_root, "dropped");
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--set", "u_max=0.001", "--set", "x_max=0.1", "--set", "x0=1,0,0,0",
            "--iterations", "4", "--rollouts", "2", "--set", "T=4", "--out", dir);
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.ComputationFailed), err);
        Assert.That(err, Does.Contain("No update was applied").Or.Contain("Every rollout was dropped"));
    }

    [Test]
    [Category("Native")]
    public void Soak_ShortRun_ReportsMemoryFiguresAndNoFailures()
    {
        // The full soak (20,000 solves) is a benchmark; this checks the command and its report.
        var (code, output, err) = CliRunner.Run("soak", "--solves", "50", "--json");
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.That(json.GetProperty("failures").GetInt32(), Is.Zero);
        Assert.That(json.GetProperty("rss_after_solves_mib").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("fresh_solver_solves").GetInt32(), Is.EqualTo(5));
        Assert.That(CliRunner.Run("soak", "--solves", "abc").Code, Is.EqualTo(DiffOpCli.UsageError));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(5)]
    [Category("Native")]
    public void TheDocumentedConstrainedCartPole_Trains(int seed)
    {
        // docs/environments.md: small true weights (0.1) once made the initial θ negative, and a plan that failed mid-episode
        // (|p| ≤ 0.8 cannot always be kept) dropped every rollout.
        string dir = Path.Combine(_root, $"constrained-{seed}");
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--set", "u_max=5", "--set", "x_max=0.8", "--set", "T=35", "--set", "weights=0.1,1,0.1,0.1",
            "--set", "x0=0,0,0,0", "--iterations", "2", "--rollouts", "4", "--seed", seed.ToString(), "--out", dir);
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        var header = lines[0].Split(',');
        int dropped = Array.IndexOf(header, "dropped_rollouts"), fallback = Array.IndexOf(header, "fallback_steps");
        Assert.That(fallback, Is.GreaterThan(0));
        foreach (var row in lines.Skip(1).Select(l => l.Split(',')))
        {
            Assert.That(int.Parse(row[dropped]), Is.LessThan(4), "rollouts are kept");
            Assert.That(int.Parse(row[fallback]), Is.GreaterThan(0), "this task's plans do fail mid-episode: the fallback acted and was counted");
        }
    }

    [Test]
    [Category("Native")]
    public void RunWhereNoUpdateWasEverApplied_ExitsOneAndSaysWhy()
    {
        string dir = Path.Combine(_root, "frozen");
        // η = 1e308 makes every SGD step non-finite, so each update is skipped and θ never moves.
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--iterations", "2", "--rollouts", "2", "--set", "T=4", "--optimizer", "sgd", "--lr", "1e308", "--out", dir);
        if (code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        Assert.That(code, Is.EqualTo(DiffOpCli.ComputationFailed), err);
        Assert.That(err, Does.Contain("No update was applied"));
        Assert.That(File.Exists(Path.Combine(dir, "params.json")), Is.True, "the checkpoint is still written");
    }
}
