using System.Text.Json;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

[Category("Native")]
public class SensitivityCommandTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [TestCase("boxlqr")]
    [TestCase("cartpole")]
    [TestCase("rocket")]
    public void GradCheckJson_ReportsSmallErrors(string problem)
    {
        var (code, output, err) = Run("gradcheck", problem, "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("problem").GetString(), Is.EqualTo(problem));
        Assert.That(root.GetProperty("max_rel_err_dense_vs_structured").GetDouble(), Is.LessThan(1e-9));
        Assert.That(root.GetProperty("max_rel_err_vs_fd").GetDouble(), Is.LessThan(1e-4));
        Assert.That(root.GetProperty("fd_directions_skipped").GetInt32(), Is.GreaterThanOrEqualTo(0));
        Assert.That(root.GetProperty("fd_directions_checked").GetInt32(), Is.GreaterThan(0));
    }

    [Test]
    public void ExportKkt_WritesBlocksWithDocumentedShapes()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"kkt-{Guid.NewGuid():N}.json");
        var (code, _, err) = Run("export-kkt", "boxlqr", "--horizon", "4", "--out", path);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("format").GetString(), Is.EqualTo("diffop-kkt/1"));
        int n = root.GetProperty("state_count").GetInt32(), m = root.GetProperty("control_count").GetInt32(), d = root.GetProperty("parameter_count").GetInt32();
        Assert.That(root.GetProperty("zeta").GetArrayLength(), Is.EqualTo(4 * (n + m) + n));
        var stage = root.GetProperty("stages")[0];
        Assert.That(stage.GetProperty("D").GetArrayLength(), Is.EqualTo(n + m));
        Assert.That(stage.GetProperty("D")[0].GetArrayLength(), Is.EqualTo(n + m));
        Assert.That(stage.GetProperty("B")[0].GetArrayLength(), Is.EqualTo(d));
        Assert.That(stage.GetProperty("F").GetArrayLength(), Is.EqualTo(n));
        Assert.That(root.GetProperty("multipliers").GetProperty("dynamics").GetArrayLength(), Is.EqualTo(4));
        // The saturated first controls of boxlqr are active lower bounds with a positive paper-sign multiplier.
        var active = root.GetProperty("active_set").EnumerateArray().ToArray();
        Assert.That(active, Is.Not.Empty);
        Assert.That(active.All(a => a.GetProperty("kind").GetString() == "LowerBound" && a.GetProperty("multiplier").GetDouble() > 0));
        Assert.That(stage.GetProperty("active_rows").GetArrayLength(), Is.EqualTo(active.Count(a => a.GetProperty("stage").GetInt32() == 0)));
        File.Delete(path);
    }

    [Test]
    public void SolveEnvironment_UnknownSetting_IsUsageErrorListingKeys()
    {
        var (code, _, err) = Run("solve", "cartpole", "--set", "nosuchkey=1");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("nosuchkey"));
        Assert.That(err, Does.Contain("sigma0"));
    }

    [Test]
    public void SolveEnvironmentJson_TrueThetaSolves()
    {
        var (code, output, err) = Run("solve", "robotarm", "--json", "--theta", "true");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("states").GetArrayLength(), Is.EqualTo(12 + 1), "Step horizon H = 12");
    }

    [Test]
    public void SolveLqr_WithSet_IsUsageError()
    {
        var (code, _, err) = Run("solve", "lqr", "--set", "dt=0.1");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--set applies to the environments"));
    }
}
