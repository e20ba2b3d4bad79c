using System.Text.Json;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>The environment commands: <c>evaluate-baseline</c> and <c>plot</c>.</summary>
public class EnvironmentCommandTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "diffop-env-cmd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Test]
    public void EvaluateBaselineSgfJson_PrintsTheDocumentedShape()
    {
        var (code, output, error) = Run("evaluate-baseline", "voltage", "--controller", "sgf", "--scenarios", "20", "--json");

        Assert.That(code, Is.EqualTo(DiffOpCli.Success), error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "transient_cost", "steady_state_cost", "scenarios", "pf_failures" }));
        double transient = root.GetProperty("transient_cost").GetDouble();
        double steady = root.GetProperty("steady_state_cost").GetDouble();
        Assert.That(double.IsFinite(transient) && double.IsFinite(steady), Is.True);
        Assert.That(transient, Is.LessThan(0), "SGF improves on doing nothing (cost 0)");
        Assert.That(steady, Is.LessThan(0));
        Assert.That(root.GetProperty("scenarios").GetInt32(), Is.EqualTo(20));
        Assert.That(root.GetProperty("pf_failures").GetInt32(), Is.EqualTo(0));
    }

    [Test]
    public void EvaluateBaselineText_PrintsBothCosts()
    {
        var (code, output, _) = Run("evaluate-baseline", "voltage", "--controller", "sgf", "--scenarios", "3", "--steps", "10");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success));
        Assert.That(output, Does.Contain("transient cost").And.Contain("steady-state cost").And.Contain("power-flow failures"));
    }

    [TestCase("cartpole", "--controller", "sgf")]
    [TestCase("voltage", "--controller", "pid")]
    [TestCase("voltage", "--scenarios", "10")]
    public void EvaluateBaseline_UnknownEnvironmentOrController_IsAUsageError(string env, string option, string value)
    {
        var (code, _, error) = Run("evaluate-baseline", env, option, value);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void EvaluateBaseline_ZeroScenarios_IsAUsageError()
    {
        var (code, _, error) = Run("evaluate-baseline", "voltage", "--controller", "sgf", "--scenarios", "0");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(error, Does.Contain("--scenarios"));
    }

    [TestCase("cartpole")]
    [TestCase("voltage")]
    [Category("Native")]
    public void Plot_WritesANonEmptyPng(string environment)
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        string path = Path.Combine(_directory, "sub", environment + ".png");

        var (code, output, error) = Run("plot", environment, "--out", path, "--set", "T=5");

        Assert.That(code, Is.EqualTo(DiffOpCli.Success), error);
        Assert.That(output, Does.Contain(path).And.Contain("5 steps"));
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(1000));
        Assert.That(bytes.Take(PngSignature.Length), Is.EqualTo(PngSignature).AsCollection);
    }

    [Test]
    public void Plot_UnknownEnvironment_IsAUsageErrorListingTheChoices()
    {
        var (code, _, error) = Run("plot", "pendulum", "--out", Path.Combine(_directory, "x.png"));
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(error, Does.Contain("pendulum").And.Contain("cartpole").And.Contain("voltage"));
        Assert.That(File.Exists(Path.Combine(_directory, "x.png")), Is.False);
    }

    [Test]
    public void Plot_UnknownSetting_IsAUsageErrorListingTheValidKeys()
    {
        var (code, _, error) = Run("plot", "voltage", "--out", Path.Combine(_directory, "x.png"), "--set", "dt=0.1");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(error, Does.Contain("Unknown setting 'dt'").And.Contain("Valid keys"));
    }

    [Test]
    public void Plot_WithoutOut_IsAUsageError()
    {
        var (code, _, _) = Run("plot", "voltage");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
    }
}
