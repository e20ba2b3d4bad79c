using System.Diagnostics;
using System.Text.Json;
using DiffOp.Cli.Commands;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>What training prints: plain lines when redirected, JSON lines, quiet, a live line on a terminal; and the default evaluation.</summary>
[Category("Native")]
public class ProgressOutputTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(Path.GetTempPath(), $"diffop-progress-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private (int Code, string Out, string Err) Train(string name, params string[] extra) =>
        CliRunner.Run(["train", "cartpole", "--iterations", "3", "--rollouts", "2", "--set", "T=4", "--out", Path.Combine(_root, name), .. extra]);

    [Test]
    public void Redirected_OneLinePerIteration_NoEscapeCodes()
    {
        var (code, output, err) = Train("plain");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        int at = output.IndexOfAny(['\r', '\u001b']);
        Assert.That(at, Is.EqualTo(-1), at >= 0 ? $"control character at {at}: …{output[Math.Max(0, at - 40)..Math.Min(output.Length, at + 40)]}…" : "");
        var lines = output.Split('\n').Where(l => l.StartsWith("iteration", StringComparison.Ordinal)).ToArray();
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(output, Does.Contain("learning curve: ").And.Contain("learning-curve.png"));
    }

    [Test]
    public void JsonLines_StdoutIsOneObjectPerIteration()
    {
        var (code, output, err) = Train("json", "--json-lines");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), "nothing but the objects on stdout");
        for (int k = 0; k < 3; k++)
        {
            var json = JsonDocument.Parse(lines[k]).RootElement;
            Assert.That(json.GetProperty("iteration").GetInt32(), Is.EqualTo(k + 1));
            Assert.That(json.GetProperty("iterations").GetInt32(), Is.EqualTo(3));
            Assert.That(json.GetProperty("solves_per_second").GetDouble(), Is.GreaterThan(0));
        }
        Assert.That(err, Does.Contain("training cartpole"), "the run's messages go to stderr");
    }

    [Test]
    public void Quiet_PrintsNoIterationLines()
    {
        var (code, output, err) = Train("quiet", "--quiet");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Not.Contain("iteration     1/"));
        Assert.That(output, Does.Contain("done:"));
    }

    [Test]
    public void ByDefault_FixedEpisodesAreEvaluated_AtAPeriodKeepingThemUnderTenPercent()
    {
        string dir = Path.Combine(_root, "eval");
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--iterations", "6", "--set", "T=4", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
        Assert.That(config.GetProperty("eval_episodes").GetInt32(), Is.EqualTo(TrainCommand.DefaultEvaluationEpisodes));
        int every = config.GetProperty("eval_every").GetInt32();
        Assert.That(every, Is.EqualTo(5), "5 episodes against 10 rollouts per iteration: every 5th iteration is 10%");
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        int column = Array.IndexOf(lines[0].Split(','), "eval_cost");
        var evaluated = lines.Skip(1).Select(l => l.Split(',')).Where(f => f[column] != "NaN").Select(f => int.Parse(f[0])).ToArray();
        Assert.That(evaluated, Is.EqualTo(new[] { 1, 6 }), "iterations 1, 1 + k, …");
        Assert.That(TrainCommand.DefaultEvaluationPeriod(5, 10), Is.EqualTo(5));
        Assert.That(TrainCommand.DefaultEvaluationPeriod(5, 100), Is.EqualTo(1));
        Assert.That(TrainCommand.DefaultEvaluationPeriod(0, 10), Is.EqualTo(1));
    }

    [Test]
    public void OnATerminal_ALiveLineWithBarAndEta()
    {
        if (!File.Exists("/usr/bin/script")) Assert.Ignore("util-linux 'script' (a pseudo-terminal) is not installed.");
        string dir = Path.Combine(_root, "pty");
        string command = $"dotnet '{typeof(DiffOpCli).Assembly.Location}' train cartpole --iterations 3 --rollouts 2 --set T=4 --out '{dir}'";
        var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-qec", command, "/dev/null" }) start.ArgumentList.Add(a);
        using var script = Process.Start(start)!;
        string output = script.StandardOutput.ReadToEnd();
        Assert.That(script.WaitForExit(60_000), Is.True);
        Assert.That(script.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("\r[").And.Contain("ETA").And.Contain("it/s"), "the line is redrawn in place");
    }

    [Test]
    public void Evaluate_OnATerminal_CountsTheScenarios_AndRedirectedPrintsNothingExtra()
    {
        if (!File.Exists("/usr/bin/script")) Assert.Ignore("util-linux 'script' (a pseudo-terminal) is not installed.");
        string dir = Path.Combine(_root, "evaluate");
        var (code, _, err) = CliRunner.Run("train", "voltage", "--mode", "traj", "--iterations", "1", "--rollouts", "2", "--optimizer", "adam", "--eval-episodes", "0", "--quiet", "--out", dir);
        Assert.That(code, Is.Zero, err);
        string command = $"dotnet '{typeof(DiffOpCli).Assembly.Location}' evaluate '{dir}' --scenarios 12";
        var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-qec", command, "/dev/null" }) start.ArgumentList.Add(a);
        using var script = Process.Start(start)!;
        string output = script.StandardOutput.ReadToEnd();
        Assert.That(script.WaitForExit(60_000), Is.True);
        Assert.That(script.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("\revaluating the trained θ: scenario 12/12"), "the counter is redrawn in place and reaches the end");
        Assert.That(output, Does.Contain("evaluating the initial θ: scenario"));

        (code, var redirected, err) = CliRunner.Run("evaluate", dir, "--scenarios", "12");
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Is.Empty, "no counter when stderr is not a terminal");
        Assert.That(redirected, Does.Not.Contain("\r"));
    }
}
