using System.Text.Json;

namespace DiffOp.Cli.Tests;

/// <summary><c>diffop variance</c>: every estimator measured against a reference, and bad arguments rejected.</summary>
public class VarianceCommandTests
{
    /// <summary>Runs <c>diffop variance … --json</c> (Ipopt needed) and returns its rows.</summary>
    private static JsonElement[] Rows(params string[] arguments)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var (code, output, err) = CliRunner.Run(["variance", .. arguments, "--json"]);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.Clone()).ToArray();
    }

    [Test]
    [Category("Native")]
    public void Variance_ReportsEveryEstimatorWithFiniteFigures()
    {
        var rows = Rows("cartpole", "--mode", "traj", "--set", "T=4", "--batches", "3", "--rollouts", "4", "--reference", "2");
        Assert.That(rows, Has.Length.EqualTo(10));
        Assert.That(rows.Select(r => r.GetProperty("Variant").GetString()), Does.Contain("tangent + antithetic pairs, one start per pair"));
        Assert.That(rows.Select(r => r.GetProperty("Variant").GetString()), Does.Contain("reward-to-go + antithetic, two pairs per start"));
        foreach (var row in rows)
        {
            Assert.That(double.IsFinite(row.GetProperty("RelativeMse").GetDouble()) && row.GetProperty("RelativeMse").GetDouble() > 0, row.ToString());
            Assert.That(Math.Abs(row.GetProperty("MeanCosine").GetDouble()), Is.LessThanOrEqualTo(1.0 + 1e-12));
        }
    }

    [Test]
    [Category("Native")]
    public void Variance_AVariantTheBatchSizeCannotHold_IsReportedAsNotMeasured()
    {
        var blocks = Rows("cartpole", "--mode", "step", "--set", "T=4", "--batches", "2", "--rollouts", "6", "--reference", "1").Single(r => r.GetProperty("Variant").GetString()!.StartsWith("reward-to-go + antithetic, two pairs per start"));
        Assert.That(blocks.GetProperty("Variant").GetString(), Does.Contain("not measured").And.Contain("must divide"));
        Assert.That(blocks.GetProperty("RelativeMse").GetString(), Is.EqualTo("NaN"));
    }

    [TestCase(new[] { "--rollouts", "3" }, "--rollouts")]
    [TestCase(new[] { "--batches", "1" }, "--batches")]
    [TestCase(new[] { "--reference", "0" }, "--reference")]
    public void Variance_BadArguments_AreUsageErrors(string[] extra, string named)
    {
        var (code, _, err) = CliRunner.Run(["variance", "cartpole", .. extra]);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain(named));
    }
}
