using System.Text.Json;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

public class SolveCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Test]
    [Category("Native")]
    public void SolveHs071Json_PrintsDocumentedShape()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var (code, output, _) = Run("solve", "hs071", "--json");

        Assert.That(code, Is.EqualTo(DiffOpCli.Success));
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("problem").GetString(), Is.EqualTo("hs071"));
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("Solve_Succeeded"));
        Assert.That(root.GetProperty("objective").GetDouble(), Is.EqualTo(17.014017).Within(1e-6));
        Assert.That(root.GetProperty("x").GetArrayLength(), Is.EqualTo(4));
        Assert.That(root.GetProperty("iterations").GetInt32(), Is.GreaterThan(0));
        Assert.That(root.GetProperty("solve_ms").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    [Category("Native")]
    public void SolveHs071Text_PrintsStatusAndObjective()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var (code, output, _) = Run("solve", "hs071");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success));
        Assert.That(output, Does.Contain("Solve_Succeeded"));
        Assert.That(output, Does.Contain("17.0140"));
    }

    [TestCase("lqr", 8)]
    [TestCase("boxlqr", 5)]
    [Category("Native")]
    public void SolveOcpJson_PrintsTrajectoryShape(string problem, int horizon)
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var (code, output, _) = Run("solve", problem, "--horizon", horizon.ToString(), "--json");

        Assert.That(code, Is.EqualTo(DiffOpCli.Success));
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("problem").GetString(), Is.EqualTo(problem));
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("Solve_Succeeded"));
        Assert.That(root.GetProperty("states").GetArrayLength(), Is.EqualTo(horizon + 1));
        Assert.That(root.GetProperty("controls").GetArrayLength(), Is.EqualTo(horizon));
        Assert.That(root.GetProperty("states")[0].GetArrayLength(), Is.EqualTo(3));
        Assert.That(root.GetProperty("controls")[0].GetArrayLength(), Is.EqualTo(2));
        Assert.That(root.GetProperty("states")[0][0].GetDouble(), Is.EqualTo(DiffOp.Control.OptimalControl.Samples.LqrSamples.InitialState[0]));
        if (problem == "boxlqr")
        {
            foreach (var u in root.GetProperty("controls").EnumerateArray())
                foreach (var v in u.EnumerateArray()) Assert.That(Math.Abs(v.GetDouble()), Is.LessThanOrEqualTo(0.5 + 1e-7));
        }
    }

    [Test]
    public void SolveWithZeroHorizon_IsUsageError()
    {
        var (code, _, err) = Run("solve", "lqr", "--horizon", "0");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--horizon must be at least 1"));
    }

    [Test]
    public void SolveUnknownProblem_IsUsageErrorListingChoices()
    {
        var (code, _, err) = Run("solve", "nosuchproblem");
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("nosuchproblem"));
        Assert.That(err, Does.Contain("hs071"));
    }

    [Test]
    public void Help_ListsSolveCommand()
    {
        var (code, output, _) = Run("--help");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success));
        Assert.That(output, Does.Contain("solve"));
    }

    [Test]
    public void Version_AsSeparateProcess_PrintsProductVersion()
    {
        // --version reports the entry assembly, so run the real executable rather than in-process.
        string dll = Path.Combine(AppContext.BaseDirectory, "diffop.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [dll, "--version"]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero);
        Assert.That(output, Does.StartWith(typeof(DiffOpCli).Assembly.GetName().Version!.ToString(3)));
    }
}
