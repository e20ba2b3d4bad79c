namespace DiffOp.Cli.Tests;

/// <summary>The CLI rejects bad training arguments with a usage error (exit 2) and a message naming the problem.</summary>
public class TrainArgumentTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        return (code, err);
    }

    private static string Out() => Path.Combine(Path.GetTempPath(), $"diffop-args-{Guid.NewGuid():N}");

    [TestCase(new[] { "--sigma", "-1" }, "Sigma")]
    [TestCase(new[] { "--rollouts", "0" }, "Rollouts")]
    [TestCase(new[] { "--iterations", "0" }, "Iterations")]
    [TestCase(new[] { "--lr", "0" }, "LearningRate")]
    [TestCase(new[] { "--optimizer", "natural", "--damping", "0" }, "Damping")]
    [TestCase(new[] { "--optimizer", "natural", "--trust-radius", "-1" }, "TrustRadius")]
    [TestCase(new[] { "--optimizer", "trust-region", "--trust-radius", "0" }, "TrustRadius")]
    [TestCase(new[] { "--optimizer", "trust-region", "--schedule", "cosine" }, "constant schedule")]
    [TestCase(new[] { "--antithetic", "--rollouts", "5" }, "even")]
    [TestCase(new[] { "--rollouts", "5" }, "--antithetic false")]
    [TestCase(new[] { "--exploration", "tangent", "--beta", "0.01" }, "--beta inf")]
    [TestCase(new[] { "--recipe", "fastest" }, "fastest")]
    [TestCase(new[] { "--optimizer", "natural", "--log-scale" }, "--log-scale")]
    [TestCase(new[] { "--rollouts-per-start", "4", "--rollouts", "10" }, "must divide")]
    [TestCase(new[] { "--rollouts-per-start", "2" }, "no other pair")]
    [TestCase(new[] { "--rollouts-per-start", "4", "--shared-start", "true" }, "choose one")]
    [TestCase(new[] { "--optimizer", "trust-region", "--test-fraction", "0" }, "CandidateTestFraction must be in (0, 1]")]
    [TestCase(new[] { "--optimizer", "trust-region", "--test-fraction", "1.5" }, "CandidateTestFraction must be in (0, 1]")]
    [TestCase(new[] { "--test-fraction", "0.5" }, "tests no candidate")]
    [TestCase(new[] { "--optimizer", "trust-region", "--pool-batches", "0" }, "PooledBatches must be ≥ 1")]
    [TestCase(new[] { "--pool-batches", "2" }, "moves θ every iteration")]
    public void Train_BadNumbers_AreUsageErrors(string[] extra, string named)
    {
        var (code, err) = Run(["train", "cartpole", "--out", Out(), .. extra]);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain(named));
    }

    [Test]
    [Category("Native")]
    public void Train_Recipes_FillWhatIsNotGiven_AndExplicitOptionsWin()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        System.Text.Json.JsonElement Config(params string[] extra)
        {
            string dir = Out();
            var (code, err) = Run(["train", "cartpole", "--iterations", "1", "--rollouts", "2", "--set", "T=4", "--out", dir, .. extra]);
            Assert.That(code, Is.EqualTo(0), err);
            var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement.Clone();
            Directory.Delete(dir, recursive: true);
            return config;
        }
        var recommended = Config();
        Assert.That(recommended.GetProperty("recipe").GetString(), Is.EqualTo("default"));
        Assert.That(recommended.GetProperty("sigma").GetDouble(), Is.EqualTo(0.5), "cartpole's exploration scale");
        Assert.That(recommended.GetProperty("beta").GetString(), Is.EqualTo("Infinity"));
        Assert.That(recommended.GetProperty("optimizer").GetString(), Is.EqualTo("Adam"));
        Assert.That(recommended.GetProperty("learning_rate").GetDouble(), Is.EqualTo(0.02), "cartpole's recommended step");
        Assert.That(recommended.GetProperty("schedule").GetString(), Is.EqualTo("Cosine"));
        Assert.That(recommended.GetProperty("antithetic").GetBoolean(), Is.True);
        Assert.That(recommended.GetProperty("shared_start").GetBoolean(), Is.True, "Step mode shares the start");
        Assert.That(recommended.GetProperty("tangent_exploration").GetBoolean(), Is.False, "tangent exploration is for Traj mode");
        var traj = Config("--mode", "traj");
        Assert.That(traj.GetProperty("tangent_exploration").GetBoolean(), Is.True);
        Assert.That(traj.GetProperty("shared_start").GetBoolean(), Is.False, "Traj mode: one start per antithetic pair");

        var paper = Config("--recipe", "paper");
        Assert.That(paper.GetProperty("sigma").GetDouble(), Is.EqualTo(1.0));
        Assert.That(paper.GetProperty("beta").GetDouble(), Is.EqualTo(0.01));
        Assert.That(paper.GetProperty("optimizer").GetString(), Is.EqualTo("Sgd"));
        Assert.That(paper.GetProperty("learning_rate").GetDouble(), Is.EqualTo(0.1));
        Assert.That(paper.GetProperty("shared_start").GetBoolean(), Is.False);

        var overridden = Config("--recipe", "paper", "--sigma", "0.3", "--optimizer", "adam");
        Assert.That(overridden.GetProperty("sigma").GetDouble(), Is.EqualTo(0.3));
        Assert.That(overridden.GetProperty("optimizer").GetString(), Is.EqualTo("Adam"));
        Assert.That(overridden.GetProperty("beta").GetDouble(), Is.EqualTo(0.01), "the rest still from the recipe");

        Assert.That(recommended.GetProperty("log_scale").GetBoolean(), Is.False);
        var logScale = Config("--log-scale");
        Assert.That(logScale.GetProperty("log_scale").GetBoolean(), Is.True, "config.json records the log-scale updates");
    }

    [Test]
    public void Train_VoltageDefaultRecipe_IsTheTrustRegionRuleOnBatchesOf100_StepWithStartBlocks()
    {
        System.Text.Json.JsonElement Config(params string[] extra)
        {
            string dir = Out();
            var (code, err) = Run(["train", "voltage", "--iterations", "1", "--eval-episodes", "0", "--out", dir, .. extra]);
            Assert.That(code, Is.EqualTo(0), err);
            var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement.Clone();
            Directory.Delete(dir, recursive: true);
            return config;
        }
        var traj = Config("--mode", "traj");
        Assert.That(traj.GetProperty("optimizer").GetString(), Is.EqualTo("TrustRegion"));
        Assert.That(traj.GetProperty("rollouts").GetInt32(), Is.EqualTo(100));
        Assert.That(traj.GetProperty("schedule").GetString(), Is.EqualTo("Constant"));
        Assert.That(traj.GetProperty("tangent_exploration").GetBoolean(), Is.True, "the exploration of the other recipe");
        Assert.That(traj.GetProperty("rollouts_per_start").GetInt32(), Is.EqualTo(0), "Traj mode: one start per antithetic pair");
        Assert.That(traj.GetProperty("log_scale").GetBoolean(), Is.True, "Traj mode: the trust-region model on ln C_v");
        Assert.That(traj.GetProperty("test_fraction").GetDouble(), Is.EqualTo(0.25), "candidates tested on a quarter of the batch");
        Assert.That(Config("--mode", "traj", "--test-fraction", "1").GetProperty("test_fraction").GetDouble(), Is.EqualTo(1.0), "an explicit fraction wins");
        Assert.That(traj.GetProperty("pool_batches").GetInt32(), Is.EqualTo(8), "ĝ pools up to 8 batches at an unchanged θ");
        Assert.That(Config("--mode", "traj", "--pool-batches", "1").GetProperty("pool_batches").GetInt32(), Is.EqualTo(1), "an explicit pool wins");
        Assert.That(Config("--mode", "traj", "--optimizer", "trust-region").GetProperty("log_scale").GetBoolean(), Is.True, "naming the recipe's rule keeps it");
        Assert.That(Config("--mode", "traj", "--log-scale", "false").GetProperty("log_scale").GetBoolean(), Is.False, "and it can be turned off");
        var step = Config("--mode", "step");
        Assert.That(step.GetProperty("optimizer").GetString(), Is.EqualTo("TrustRegion"));
        Assert.That(step.GetProperty("estimator").GetString(), Is.EqualTo("RewardToGo"));
        Assert.That(step.GetProperty("rollouts_per_start").GetInt32(), Is.EqualTo(4), "two antithetic pairs per start");
        Assert.That(step.GetProperty("shared_start").GetBoolean(), Is.False);
        Assert.That(step.GetProperty("log_scale").GetBoolean(), Is.False, "Step mode measured worse with it");
        Assert.That(step.GetProperty("test_fraction").GetDouble(), Is.EqualTo(0.25));
        Assert.That(step.GetProperty("pool_batches").GetInt32(), Is.EqualTo(8));
        var shared = Config("--mode", "step", "--shared-start", "true");
        Assert.That((shared.GetProperty("shared_start").GetBoolean(), shared.GetProperty("rollouts_per_start").GetInt32()), Is.EqualTo((true, 0)),
            "an explicit --shared-start replaces the recipe's start blocks");
        var adam = Config("--mode", "traj", "--optimizer", "adam");
        Assert.That(adam.GetProperty("optimizer").GetString(), Is.EqualTo("Adam"));
        Assert.That(adam.GetProperty("schedule").GetString(), Is.EqualTo("Cosine"), "leaving the trust-region recipe restores Adam's recommended schedule");
        Assert.That(adam.GetProperty("rollouts").GetInt32(), Is.EqualTo(10), "… and its N");
        Assert.That(adam.GetProperty("log_scale").GetBoolean(), Is.False, "… and its plain scale");
        Assert.That(adam.GetProperty("test_fraction").GetDouble(), Is.EqualTo(1.0), "… and no candidate test");
        Assert.That(adam.GetProperty("pool_batches").GetInt32(), Is.EqualTo(1), "… and no pooling");
        var adamStep = Config("--mode", "step", "--optimizer", "adam");
        Assert.That((adamStep.GetProperty("estimator").GetString(), adamStep.GetProperty("shared_start").GetBoolean(), adamStep.GetProperty("rollouts_per_start").GetInt32()),
            Is.EqualTo(("ReinforceWithBaseline", true, 0)), "Step mode: the Adam recipe's estimator and shared start");
    }

    [Test]
    public void Train_IterationsDefaultToTheRecipes_AndResumeDefaultsToTheRunsOwn()
    {
        (int Iterations, int Rows) Trained(string dir, params string[] extra)
        {
            var (code, err) = Run(["train", "voltage", "--mode", "traj", "--rollouts", "4", "--eval-episodes", "0", "--out", dir, .. extra]);
            Assert.That(code, Is.EqualTo(0), err);
            var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
            return (config.GetProperty("iterations").GetInt32(), File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Length - 1);
        }
        string recipe = Out(), adam = Out(), part = Out();
        Assert.That(Trained(recipe), Is.EqualTo((80, 80)), "voltage's default recipe: 80 iterations, the paper's 10,000 trajectories at N = 100");
        Assert.That(Trained(adam, "--optimizer", "adam"), Is.EqualTo((100, 100)), "another rule starts from the Adam recipe and its 100");
        Assert.That(Trained(part, "--iterations", "3"), Is.EqualTo((3, 3)));
        var (code, err) = Run(["train", "--resume", part]);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(File.ReadAllLines(Path.Combine(part, "metrics.csv")), Has.Length.EqualTo(4), "--resume without --iterations keeps the run's own 3");
        foreach (var dir in new[] { recipe, adam, part }) Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void Train_UnknownEnvironment_ListsTheKnownOnes()
    {
        var (code, err) = Run("train", "pendulum", "--out", Out());
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("pendulum"));
        Assert.That(err, Does.Contain("cartpole"));
    }

    [Test]
    public void Train_UnwritableOut_IsUsageError()
    {
        // A path below a regular file can never be created, whoever runs the test (root included).
        string file = Path.Combine(Path.GetTempPath(), $"diffop-file-{Guid.NewGuid():N}");
        File.WriteAllText(file, "not a folder");
        try
        {
            var (code, err) = Run("train", "cartpole", "--out", Path.Combine(file, "run"));
            Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
            Assert.That(err, Is.Not.Empty);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void Evaluate_ScenariosOnANonVoltageRun_IsUsageError()
    {
        string dir = Out();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"),
            """{"environment":"cartpole","settings":[],"mode":"Step","horizon":6,"iterations":1,"rollouts":1,"sigma":1,"beta":0.01,"learning_rate":0.1,"optimizer":"Sgd","estimator":"Reinforce","seed":0,"initial_theta":"init"}""");
        File.WriteAllText(Path.Combine(dir, "params.json"),
            """{"iteration":1,"seed":0,"theta":{},"optimizer_m":[],"optimizer_v":[],"optimizer_steps":0}""");
        var (code, err) = Run("evaluate", dir, "--scenarios", "5");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--episodes"));
        Directory.Delete(dir, true);
    }
}
