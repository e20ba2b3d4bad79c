using System.Text.Json;

namespace DiffOp.Cli.Tests;

/// <summary><c>diffop variance</c>: every estimator measured against a reference, and bad arguments rejected.</summary>
public class VarianceCommandTests
{
    [Test]
    [Category("Native")]
    public void Variance_ReportsEveryEstimatorWithFiniteFigures()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var (code, output, err) = CliRunner.Run("variance", "cartpole", "--mode", "traj", "--set", "T=4", "--batches", "3", "--rollouts", "4", "--reference", "2", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToArray();
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
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var (code, output, err) = CliRunner.Run("variance", "cartpole", "--mode", "step", "--set", "T=4", "--batches", "2", "--rollouts", "6", "--reference", "1", "--json");
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        using var doc = JsonDocument.Parse(output);
        var blocks = doc.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("Variant").GetString()!.StartsWith("reward-to-go + antithetic, two pairs per start"));
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
