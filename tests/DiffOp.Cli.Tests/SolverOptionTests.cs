using System.Text.Json;

namespace DiffOp.Cli.Tests;

/// <summary>
/// <c>--solver auto|structured|ipopt</c> on solve, gradcheck, export-kkt, train and evaluate: the choice reaches the solver, is
/// stored in config.json, is fixed on resume, and "structured" on an OCP that is not a QP is a usage error naming the fix.
/// </summary>
[Category("Native")]
public class SolverOptionTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("diffop-solver-").FullName;

    [TearDown]
    public void RemoveRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var result = CliRunner.Run(args);
        if (result.Code == DiffOpCli.MissingDependency) Assert.Ignore("Ipopt is not installed here.");
        return result;
    }

    [TestCase("auto", "StructuredQp")]
    [TestCase("structured", "StructuredQp")]
    [TestCase("ipopt", "Ipopt")]
    public void Solve_UsesTheNamedSolver_WithTheSameAnswer(string solver, string method)
    {
        var (code, output, err) = Run("solve", "voltage", "--json", "--solver", solver);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.That(root.GetProperty("method").GetString(), Is.EqualTo(method));
        var (_, reference, _) = Run("solve", "voltage", "--json", "--solver", "ipopt", "--tol", "1e-11");
        double objective = root.GetProperty("objective").GetDouble(), expected = JsonDocument.Parse(reference).RootElement.GetProperty("objective").GetDouble();
        Assert.That(objective, Is.EqualTo(expected).Within(1e-7 * Math.Max(1, Math.Abs(expected))));
    }

    [TestCase("solve", "cartpole")]
    [TestCase("gradcheck", "cartpole")]
    [TestCase("export-kkt", "quadrotor")]
    public void Structured_OnANonlinearOcp_IsAUsageErrorNamingTheFix(string command, string problem)
    {
        string[] extra = command == "export-kkt" ? ["--out", Path.Combine(_root, "kkt.json")] : [];
        var (code, _, err) = Run([command, problem, "--solver", "structured", .. extra]);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("not a quadratic program").And.Contain("--solver auto"));
    }

    [Test]
    public void Structured_OnHs071_IsAUsageError_AndUnknownNamesAreToo()
    {
        var (code, _, err) = Run("solve", "hs071", "--solver", "structured");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("hs071").And.Contain("drop --solver"));
        (code, _, err) = Run("gradcheck", "voltage", "--solver", "sqp");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("sqp"));
    }

    [TestCase("voltage")]
    [TestCase("boxlqr")]
    public void GradCheck_PassesWithTheStructuredSolver(string problem)
    {
        var (code, output, err) = Run("gradcheck", problem, "--json", "--solver", "structured");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err + output);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.That(root.GetProperty("solver").GetString(), Is.EqualTo("StructuredQp"));
        Assert.That(root.GetProperty("passed").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("max_rel_err_vs_fd").GetDouble(), Is.LessThan(1e-4));
        Assert.That(root.GetProperty("fd_directions_checked").GetInt32(), Is.GreaterThan(0));
    }

    [Test]
    public void Train_StoresTheChoice_EvaluateUsesItOrTheGivenOne_AndResumeKeepsIt()
    {
        string dir = Path.Combine(_root, "ipopt");
        var (code, _, err) = Run("train", "voltage", "--mode", "traj", "--iterations", "1", "--rollouts", "4", "--optimizer", "adam", "--eval-episodes", "0", "--solver", "ipopt", "--quiet", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
        Assert.That(config.GetProperty("solver").GetString(), Is.EqualTo("Ipopt"));

        var (_, byRun, _) = Run("evaluate", dir, "--episodes", "2", "--json", "--skip-initial");
        var (_, structured, _) = Run("evaluate", dir, "--episodes", "2", "--json", "--skip-initial", "--solver", "structured");
        var a = JsonDocument.Parse(byRun).RootElement;
        var b = JsonDocument.Parse(structured).RootElement;
        Assert.That(a.GetProperty("solver").GetString(), Is.EqualTo("ipopt"), "the run's own choice");
        Assert.That(b.GetProperty("solver").GetString(), Is.EqualTo("structured"));
        double ipoptCost = a.GetProperty("mean_cost").GetDouble(), structuredCost = b.GetProperty("mean_cost").GetDouble();
        Assert.That(structuredCost, Is.EqualTo(ipoptCost).Within(1e-6 * Math.Max(1, Math.Abs(ipoptCost))), "the two solvers give the same policy");

        (code, _, err) = Run("train", "--resume", dir, "--iterations", "2", "--solver", "auto");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("--solver cannot be given with it"));
    }

    [Test]
    public void Train_StructuredOnANonlinearTask_IsAUsageErrorBeforeAnyFile()
    {
        string dir = Path.Combine(_root, "cartpole");
        var (code, _, err) = Run("train", "cartpole", "--iterations", "1", "--rollouts", "2", "--set", "T=4", "--solver", "structured", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError), err);
        Assert.That(err, Does.Contain("is not a quadratic program").And.Contain("--solver auto"));
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void ConfigWithoutASolver_ReadsAsAuto()
    {
        string dir = Path.Combine(_root, "old");
        var (code, _, err) = Run("train", "voltage", "--mode", "traj", "--iterations", "1", "--rollouts", "4", "--optimizer", "adam", "--eval-episodes", "0", "--quiet", "--out", dir);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        string path = Path.Combine(dir, "config.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.That(node["solver"]!.GetValue<string>(), Is.EqualTo("Auto"));
        node.Remove("solver");   // a run folder written before --solver existed
        File.WriteAllText(path, node.ToJsonString());
        var (evaluated, output, evaluateErr) = Run("evaluate", dir, "--episodes", "1", "--json", "--skip-initial");
        Assert.That(evaluated, Is.EqualTo(DiffOpCli.Success), evaluateErr);
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("solver").GetString(), Is.EqualTo("auto"));
    }
}
