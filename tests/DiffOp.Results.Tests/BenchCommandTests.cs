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
}
