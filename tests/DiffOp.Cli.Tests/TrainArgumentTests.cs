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
    public void Train_BadNumbers_AreUsageErrors(string[] extra, string named)
    {
        var (code, err) = Run(["train", "cartpole", "--out", Out(), .. extra]);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain(named));
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
