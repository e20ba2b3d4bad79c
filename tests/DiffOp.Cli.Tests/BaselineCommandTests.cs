using System.Text.Json;

namespace DiffOp.Cli.Tests;

/// <summary><c>diffop train ENV --algorithm sysid|imitation</c>: the baselines in run folders that evaluate and plot read.</summary>
[Category("Native")]
public class BaselineCommandTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _root = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"sysid-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void CartPole_FitsTheTrueMassesAndLength_AndTheRunIsEvaluatedAndPlotted()
    {
        string dir = Path.Combine(_root, "cartpole");
        var (code, output, err) = CliRunner.Run("train", "cartpole", "--algorithm", "sysid", "--iterations", "2", "--rollouts", "2", "--set", "T=6", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("Levenberg–Marquardt").And.Contain("converged"));
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
        Assert.That(config.GetProperty("algorithm").GetString(), Is.EqualTo("sysid"));
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sysid.json"))).RootElement;
        Assert.That(report.GetProperty("transitions").GetInt32(), Is.EqualTo(4 * 6), "2 × 2 episodes of T = 6 steps");
        Assert.That(report.GetProperty("loss").GetDouble(), Is.LessThan(1e-12 * report.GetProperty("initial_loss").GetDouble()),
            "the cart-pole model is exact at the true parameters, so noise-free transitions are fitted exactly");
        // The model's true physical parameters (docs/environments.md: m_c = m_p = l = 1 in the default settings, via `--theta true`).
        (code, var truth, err) = CliRunner.Run("train", "cartpole", "--iterations", "1", "--rollouts", "2", "--set", "T=4", "--theta", "true", "--eval-episodes", "0", "--quiet", "--out", Path.Combine(_root, "true"));
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var fitted = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json"))).RootElement.GetProperty("theta").GetProperty("theta_f").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var trueRow = File.ReadAllLines(Path.Combine(_root, "true", "theta.csv"))[1].Split(',');   // row 0: the true θ
        var header = File.ReadAllLines(Path.Combine(_root, "true", "theta.csv"))[0].Split(',');
        var trueF = header.Select((name, i) => (name, i)).Where(p => p.name.StartsWith("theta_f[")).Select(p => double.Parse(trueRow[p.i], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(fitted, Is.EqualTo(trueF).Within(1e-6));

        (code, output, err) = CliRunner.Run("evaluate", dir, "--episodes", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("mean_cost").GetDouble(), Is.Not.NaN);
        (code, output, err) = CliRunner.Run("plot", "--run", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("theta.png").And.Contain("rollout.png").And.Not.Contain("learning-curve.png"));

        (code, _, err) = CliRunner.Run("train", "--resume", dir, "--iterations", "4");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("nothing to resume"));
    }

    [Test]
    public void PolicyGradientOptions_AreRefusedWithSysid()
    {
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "sysid", "--optimizer", "adam", "--out", Path.Combine(_root, "x"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--optimizer").And.Contain("drop it"));
        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "imitation", "--lr", "0.1", "--out", Path.Combine(_root, "y"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--lr").And.Contain("imitation"));
        (code, _, err) = CliRunner.Run("train", "cartpole", "--demos", "3", "--out", Path.Combine(_root, "z"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--algorithm imitation"));
        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "sysid", "--workers", "2", "--out", Path.Combine(_root, "v"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--workers").And.Contain("does not apply"));
        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "imitation", "--iterations", "5", "--out", Path.Combine(_root, "u"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--iterations"));
        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "reinforce", "--out", Path.Combine(_root, "w"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("reinforce"));
    }

    [TestCase("cartpole", new[] { "--set", "T=6" })]
    [TestCase("voltage", new string[0])]
    public void Imitation_FitsTheDemonstrations_AndTheRunIsEvaluated(string environment, string[] settings)
    {
        string dir = Path.Combine(_root, "imitation-" + environment);
        var (code, output, err) = CliRunner.Run(["train", environment, "--algorithm", "imitation", "--demos", "3", "--mode", "traj", "--out", dir, .. settings]);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "imitation.json"))).RootElement;
        Assert.That(report.GetProperty("demonstrations").GetInt32(), Is.EqualTo(3));
        Assert.That(report.GetProperty("loss").GetDouble(), Is.LessThan(report.GetProperty("initial_loss").GetDouble()), "the fit lowers the trajectory-matching loss");
        Assert.That(report.GetProperty("source").GetString(), Does.Contain(environment == "voltage" ? "safe-gradient-flow" : "true-θ OCP"));
        var theta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json"))).RootElement.GetProperty("theta");
        int fixedEntry = report.GetProperty("fixed_entry").GetInt32();
        var names = File.ReadAllLines(Path.Combine(dir, "theta.csv"))[0].Split(',').Skip(1).ToArray();
        var fittedEntries = report.GetProperty("fitted_entries").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.That(names[fixedEntry], Does.Not.StartWith("theta_f"), "a cost weight fixes the scale, never a dynamics parameter");
        Assert.That(fittedEntries, Is.SupersetOf(Enumerable.Range(0, names.Length).Where(i => names[i].StartsWith("theta_f"))), "every dynamics parameter is fitted");
        Assert.That(fittedEntries, Does.Not.Contain(fixedEntry));
        (code, output, err) = CliRunner.Run("evaluate", dir, "--episodes", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("mean_cost").GetDouble(), Is.Not.NaN);
        Assert.That(theta.EnumerateObject().Count(), Is.GreaterThan(1));
    }

    [Test]
    public void Baselines_OnVoltage_StartFromTheAdamRecipe_NotTheTrustRegionRecipesBatches()
    {
        // Voltage's default recipe is the trust-region rule on batches of 100 with start blocks; a baseline has no update rule
        // of that kind, so its episodes per iteration and starts come from the Adam recipe (N = 10, no start blocks).
        string dir = Path.Combine(_root, "voltage-td");
        var (code, _, err) = CliRunner.Run("train", "voltage", "--algorithm", "rlmpc-td", "--iterations", "1", "--eval-episodes", "0", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
        Assert.That(config.GetProperty("rollouts").GetInt32(), Is.EqualTo(10));
        Assert.That(config.GetProperty("rollouts_per_start").GetInt32(), Is.EqualTo(0));
        (code, _, err) = CliRunner.Run("evaluate", dir, "--scenarios", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
    }

    [Test]
    public void RlmpcTd_RunsAndWritesAnEvaluableRun()
    {
        string dir = Path.Combine(_root, "td");
        var (code, output, err) = CliRunner.Run("train", "cartpole", "--algorithm", "rlmpc-td", "--iterations", "2", "--rollouts", "2", "--set", "T=4", "--lr", "0.01", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("RLMPC-TD").And.Contain("mean TD error"));
        var td = File.ReadAllLines(Path.Combine(dir, "rlmpc.csv"));
        Assert.That(td, Has.Length.EqualTo(1 + 2), "a header and one row per iteration");
        Assert.That(td[1].Split(',')[3], Is.EqualTo((2 * 4).ToString()), "2 episodes × 4 steps used");
        Assert.That(File.ReadAllLines(Path.Combine(dir, "theta.csv")), Has.Length.EqualTo(1 + 3));
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
        Assert.That(config.GetProperty("mode").GetString(), Is.EqualTo("Step"), "RLMPC-TD runs the Step policy");
        (code, output, err) = CliRunner.Run("evaluate", dir, "--episodes", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);

        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "rlmpc-td", "--discount", "1.5", "--out", Path.Combine(_root, "td2"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--discount"));
        (code, _, err) = CliRunner.Run("train", "cartpole", "--discount", "0.9", "--out", Path.Combine(_root, "td3"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--algorithm rlmpc-td"));
    }

    [Test]
    public void RlmpcRuns_EvaluateTheDeterministicPolicyOnTheFixedEpisodes_LikeDiffOpRuns()
    {
        string dir = Path.Combine(_root, "dpg-eval");
        var (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "rlmpc-dpg", "--iterations", "3", "--rollouts", "2", "--set", "T=4", "--lr", "0.001",
                                           "--eval-episodes", "2", "--eval-every", "2", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var log = File.ReadAllLines(Path.Combine(dir, "rlmpc.csv"));
        var header = log[0].Split(',');
        int column = Array.IndexOf(header, "eval_cost");
        Assert.That(column, Is.GreaterThan(0), log[0]);
        double Eval(int row) => double.Parse(log[row].Split(',')[column], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(double.IsNaN(Eval(2)), Is.True, "iteration 2 does not evaluate with --eval-every 2");
        Assert.That(Eval(3), Is.Not.NaN, "iteration 3 evaluates θ after two updates");
        // Iteration 1 evaluates θ₀ on the episodes `evaluate` runs: the same number, to the last bit.
        (code, var output, err) = CliRunner.Run("evaluate", dir, "--episodes", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(Eval(1), Is.EqualTo(JsonDocument.Parse(output).RootElement.GetProperty("initial_mean_cost").GetDouble()));

        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "rlmpc-td", "--eval-every", "0", "--out", Path.Combine(_root, "td-eval0"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--eval-every"));
    }

    [Test]
    public void RlmpcDpg_RunsAndWritesAnEvaluableRun()
    {
        string dir = Path.Combine(_root, "dpg");
        var (code, output, err) = CliRunner.Run("train", "cartpole", "--algorithm", "rlmpc-dpg", "--iterations", "2", "--rollouts", "2", "--set", "T=4", "--lr", "0.001", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        Assert.That(output, Does.Contain("RLMPC-DPG").And.Contain("|ĝ|"));
        var log = File.ReadAllLines(Path.Combine(dir, "rlmpc.csv"));
        Assert.That(log[0], Does.Contain("gradient_norm"));
        Assert.That(log, Has.Length.EqualTo(1 + 2));
        (code, _, err) = CliRunner.Run("evaluate", dir, "--episodes", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        (code, _, err) = CliRunner.Run("train", "cartpole", "--algorithm", "rlmpc-dpg", "--sigma", "0", "--out", Path.Combine(_root, "dpg0"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--sigma"));
    }
}
