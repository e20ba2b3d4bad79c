using System.Globalization;
using System.Text.Json;

namespace DiffOp.Cli.Tests;

/// <summary><c>diffop plot --run</c>: the pictures of a run folder for every environment, and the θ history behind them.</summary>
[Category("Native")]
public class RunPlotTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"run-plots-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static void AssertPng(string path)
    {
        Assert.That(File.Exists(path), Is.True, path);
        Assert.That(File.ReadAllBytes(path).Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), path);
    }

    private static double[] Flat(JsonElement theta) =>
        [.. theta.EnumerateObject().SelectMany(block => block.Value.EnumerateArray().Select(v => v.GetDouble()))];

    [TestCase("cartpole", "traj", new[] { "--set", "T=4" }, new[] { "rollout.png" })]
    [TestCase("robotarm", "step", new[] { "--set", "T=4" }, new[] { "rollout.png" })]
    [TestCase("quadrotor", "traj", new[] { "--set", "T=4" }, new[] { "rollout.png" })]
    [TestCase("rocket", "step", new[] { "--set", "T=4" }, new[] { "rollout.png" })]
    [TestCase("voltage", "traj", new string[0], new[] { "rollout-low-voltage.png", "rollout-high-voltage.png" })]
    public void PlotRun_WritesEveryPanel_AndThetaCsvFollowsTheRun(string environment, string mode, string[] settings, string[] rollouts)
    {
        string dir = Path.Combine(_root, environment);
        var (code, _, err) = CliRunner.Run(["train", environment, "--mode", mode, "--iterations", "3", "--rollouts", "2", "--eval-episodes", "0", "--quiet", "--out", dir, .. settings]);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);

        // theta.csv: the initial θ, then θ after each iteration; its last row is params.json's θ.
        var lines = File.ReadAllLines(Path.Combine(dir, "theta.csv"));
        Assert.That(lines, Has.Length.EqualTo(1 + 4), "header, iteration 0 (initial θ) and iterations 1..3");
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "0", "1", "2", "3" }));
        var last = lines[^1].Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var saved = Flat(JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json"))).RootElement.GetProperty("theta"));
        Assert.That(last, Is.EqualTo(saved), "the last row of theta.csv is the checkpoint's θ, bit for bit");
        Assert.That(lines[1], Is.Not.EqualTo(lines[^1]), "θ moved");

        string pictures = Path.Combine(_root, environment + "-pictures");
        (code, var output, err) = CliRunner.Run("plot", "--run", dir, "--out", pictures);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        foreach (string name in new[] { "learning-curve.png", "theta.png" }.Concat(rollouts))
        {
            AssertPng(Path.Combine(pictures, name));
            Assert.That(output, Does.Contain(Path.Combine(pictures, name) + ": "), "each picture is named with what it shows");
        }
    }

    [Test]
    public void Resume_TrimsThetaCsvToTheCheckpoint_AndContinuesIt()
    {
        string dir = Path.Combine(_root, "resume");
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--iterations", "2", "--rollouts", "2", "--eval-episodes", "0", "--set", "T=4", "--quiet", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        string theta = Path.Combine(dir, "theta.csv");
        // A row written after the last checkpoint (as a kill between the two writes leaves it) and a torn one.
        File.AppendAllText(theta, "3,1,2,3\n4,1");
        (code, _, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "3", "--quiet");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(File.ReadAllLines(theta).Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "0", "1", "2", "3" }));
        Assert.That(File.ReadAllLines(theta)[^1].Split(',').Length, Is.EqualTo(File.ReadAllLines(theta)[0].Split(',').Length), "a whole row");
    }

    [Test]
    public void BadUse_IsAUsageError()
    {
        var (code, _, err) = CliRunner.Run("plot", "--run", Path.Combine(_root, "missing"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("does not exist"));
        (code, _, err) = CliRunner.Run("plot", "cartpole", "--run", _root);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("drop 'cartpole'"));
        (code, _, err) = CliRunner.Run("plot");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--run"));
        (code, _, err) = CliRunner.Run("plot", "cartpole");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--out"));
    }
}
