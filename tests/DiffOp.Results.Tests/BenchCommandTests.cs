using System.Text.Json;
using DiffOp.Cli;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Results.Tests;

[Category("Native")]
public class BenchCommandTests
{
    [Test]
    public void BenchQuickJson_HasEveryPhaseWithPositiveTimes()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ResultsTool.Run(["bench", "--quick", "--json", "--env", "robotarm", "--no-sweep"], output, error);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), error.ToString());
        using var doc = JsonDocument.Parse(output.ToString());
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.That(rows.Select(r => r.GetProperty("phase").GetString()).Distinct(),
            Is.EquivalentTo(new[] { "forward", "backward_dense", "backward_structured", "backward_vjp" }));
        Assert.That(rows.Select(r => r.GetProperty("horizon").GetInt32()).Distinct(), Is.EquivalentTo(new[] { 12, 35 }), "Step H and Traj H = T");
        foreach (var r in rows)
        {
            Assert.That(r.GetProperty("env").GetString(), Is.EqualTo("robotarm"));
            Assert.That(r.GetProperty("median_ms").GetDouble(), Is.GreaterThan(0));
            Assert.That(r.GetProperty("p90_ms").GetDouble(), Is.GreaterThanOrEqualTo(r.GetProperty("median_ms").GetDouble()));
            Assert.That(r.GetProperty("alloc_bytes").GetInt64(), Is.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public void Bench_Voltage_MeasuresIpoptBesideTheStructuredSolver_AndSolverChoosesTheForwardSolver()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        JsonElement[] Rows(params string[] extra)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = ResultsTool.Run(["bench", "--quick", "--json", "--env", "voltage", "--no-sweep", .. extra], output, error);
            Assert.That(code, Is.EqualTo(DiffOpCli.Success), error.ToString());
            return JsonDocument.Parse(output.ToString()).RootElement.Clone().EnumerateArray().ToArray();
        }
        string? Method(JsonElement[] rows, string phase, int horizon) =>
            rows.Single(r => r.GetProperty("phase").GetString() == phase && r.GetProperty("horizon").GetInt32() == horizon).GetProperty("method").GetString();
        var auto = Rows();
        foreach (int h in new[] { 6, 30 })
        {
            Assert.That(Method(auto, "forward", h), Is.EqualTo("StructuredQp"), $"H = {h}: auto solves the QP with the structured solver");
            Assert.That(Method(auto, "forward_ipopt", h), Is.EqualTo("Ipopt"), "… and Ipopt beside it");
        }
        var ipopt = Rows("--solver", "ipopt");
        Assert.That(Method(ipopt, "forward", 6), Is.EqualTo("Ipopt"));
        Assert.That(ipopt.Any(r => r.GetProperty("phase").GetString() == "forward_ipopt"), Is.False, "nothing to compare against");
        Assert.That(Method(Rows("--solver", "structured"), "forward", 30), Is.EqualTo("StructuredQp"));
    }

    [Test]
    public void Bench_StructuredOnANonQpTask_IsAUsageErrorBeforeMeasuring()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ResultsTool.Run(["bench", "--quick", "--json", "--env", "voltage", "--env", "cartpole", "--no-sweep", "--solver", "structured"], output, error);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(error.ToString(), Does.Contain("cartpole").And.Contain("--solver auto"));
        Assert.That(output.ToString(), Is.Empty, "nothing was measured");
    }
}
