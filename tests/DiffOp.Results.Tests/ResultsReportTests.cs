using DiffOp.Results.Benchmarking;
using DiffOp.Results;
using DiffOp.Learning.Policies;

namespace DiffOp.Results.Tests;

/// <summary>The learning-curve band statistics and the report text, on made-up data whose answers are known.</summary>
public class ResultsReportTests
{
    [Test]
    public void Band_IsMeanAnd20And80Percentiles_PerIteration_SkippingNaN()
    {
        IReadOnlyList<(int, double)> Seed(params double[] values) => [.. values.Select((v, i) => (i + 1, v))];
        var band = CurveStatistics.Band([Seed(1, 10), Seed(2, double.NaN), Seed(3, 30), Seed(4, 40), Seed(5, 50)]);
        Assert.That(band, Has.Count.EqualTo(2));
        Assert.That(band[0].Iteration, Is.EqualTo(1));
        Assert.That(band[0].Mean, Is.EqualTo(3.0).Within(1e-12));
        Assert.That(band[0].Low, Is.EqualTo(1.8).Within(1e-12), "numpy's linear rule: 1 + 0.2·(5 − 1)·(2 − 1)");
        Assert.That(band[0].High, Is.EqualTo(4.2).Within(1e-12));
        Assert.That(band[0].Seeds, Is.EqualTo(5));
        Assert.That(band[1].Seeds, Is.EqualTo(4), "the NaN seed is left out");
        Assert.That(band[1].Mean, Is.EqualTo(32.5).Within(1e-12));
        Assert.That(band[1].Low, Is.EqualTo(10 + 0.6 * 20).Within(1e-12), "index 0.6 between 10 and 30");
        Assert.That(() => CurveStatistics.Percentile([], 0.5), Throws.ArgumentException);
    }

    private static ResultsData Data(bool quick, double forwardStepMs, double vjpStepMs, double trajWallSeconds, double trajTransient, bool voltageOnly = false)
    {
        var plan = quick ? ResultsPlan.QuickRun : ResultsPlan.Full;
        if (voltageOnly) plan = plan.Restricted(["voltage"]);
        BenchmarkRow Row(string @case, int h, string phase, double ms) => new(@case, "voltage", h, phase, ms, ms * 1.1, 0, 10);
        var bench = new List<BenchmarkRow>
        {
            Row("voltage-step", 6, "forward", forwardStepMs), Row("voltage-step", 6, "backward_vjp", vjpStepMs), Row("voltage-step", 6, "backward_structured", 0.05),
            Row("voltage-traj", 30, "forward", 20), Row("voltage-traj", 30, "backward_vjp", 0.08), Row("voltage-traj", 30, "backward_structured", 0.3),
            Row("voltage-sweep", 30, "backward_structured", 0.3), Row("voltage-sweep", 240, "backward_structured", 2.7),
            Row("voltage-sweep", 30, "backward_vjp", 0.1), Row("voltage-sweep", 240, "backward_vjp", 0.8),
        };
        IReadOnlyList<(int, double)> Curve(double a, double b) => [(1, a), (2, b)];
        var runs = new List<TrainingRunSummary>
        {
            new("voltage", PolicyMode.Traj, 0, "tuned", Curve(-1, -2), Curve(-1, -2), trajWallSeconds, 10, 1, 20),
            new("voltage", PolicyMode.Traj, 1, "tuned", Curve(-1, -3), Curve(-1, -3), trajWallSeconds / 2, 10, 1, 20),
            new("voltage", PolicyMode.Step, 0, "tuned", Curve(-1, -2.5), Curve(-1, -2.5), 300, 100, 5, 600),
        };
        var table = new List<VoltageTableRow>
        {
            new("untrained", [-3.6], [-0.057], null, null),
            new("DiffOP Step", [-6.9], [-0.12], -6.81, -0.11),
            new("DiffOP Traj", [trajTransient, trajTransient - 0.2], [-0.1, -0.1], -6.80, -0.11),
        };
        var machine = new MachineInfo("test CPU", 2, "test OS", ".NET test", "libipopt.so.1", "abc123", false, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        return new ResultsData(plan, machine, bench, runs, new Dictionary<string, double> { ["voltage-traj"] = -2.9 }, table,
            [("benchmarks", TimeSpan.FromSeconds(30)), ("training runs", TimeSpan.FromMinutes(5))]);
    }

    private static string GoalLine(string report, string start) =>
        report.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Test]
    public void Goals_AreJudgedFromTheNumbers()
    {
        string met = ResultsReport.Write(Data(quick: false, forwardStepMs: 2.0, vjpStepMs: 0.05, trajWallSeconds: 100, trajTransient: -6.9));
        Assert.That(GoalLine(met, "| forward ≥ 5× faster than the paper (Step"), Does.Contain("5.5×").And.EndsWith("| met |"));
        Assert.That(GoalLine(met, "| backward ≥ 20× faster than the paper (Step"), Does.Contain("VJP 50.0 µs: 40×").And.EndsWith("| met |"));
        Assert.That(GoalLine(met, "| backward linear in H: time(240)/time(30) ≤ 10 (structured Jacobian)"), Does.Contain("9.0").And.EndsWith("| met |"));
        Assert.That(GoalLine(met, "| Traj training on 10,000 voltage trajectories"), Does.Contain("100 s (seed 0; slowest of 2 seeds 100 s)").And.EndsWith("| met |"));
        Assert.That(GoalLine(met, "| trained voltage cost at or below the paper (DiffOP Traj)"), Does.Contain("-7.000 (mean of 2 seeds)").And.EndsWith("| met |"));

        string missed = ResultsReport.Write(Data(quick: false, forwardStepMs: 4.4, vjpStepMs: 0.2, trajWallSeconds: 130, trajTransient: -6.5));
        Assert.That(GoalLine(missed, "| forward ≥ 5× faster than the paper (Step"), Does.Contain("2.5×").And.EndsWith("| **missed** |"));
        Assert.That(GoalLine(missed, "| backward ≥ 20× faster than the paper (Step"), Does.Contain("10×").And.EndsWith("| **missed** |"));
        Assert.That(GoalLine(missed, "| Traj training on 10,000 voltage trajectories"), Does.EndWith("| **missed** |"));
        Assert.That(GoalLine(missed, "| trained voltage cost at or below the paper (DiffOP Traj)"), Does.EndWith("| **missed** |"));
        Assert.That(GoalLine(missed, "| trained voltage cost at or below the paper (DiffOP Step)"), Does.EndWith("| met |"));
    }

    [Test]
    public void Report_ShowsThePapersFigures_TheMachine_AndFlagsAQuickRun()
    {
        string full = ResultsReport.Write(Data(quick: false, 2.0, 0.05, 100, -6.9));
        Assert.That(full, Does.Contain("| DiffOP Step, paper | 0.011 | 0.002 | 1.36 h |"));
        Assert.That(full, Does.Contain("| DiffOP Traj, paper | 0.026 | 0.01 | 0.37 h |"));
        Assert.That(full, Does.Contain("TASRL −6.76 / −0.11"));
        Assert.That(full, Does.Contain("| DiffOP Traj | -7.000 [-7.100, -6.900] |"));
        Assert.That(full, Does.Contain("Commit: `abc123`"));
        Assert.That(full, Does.Contain("whole run 5.5 min"));
        Assert.That(full, Does.Contain("![voltage learning curves](results/curves-voltage.png)"));
        Assert.That(full, Does.Not.Contain("Quick smoke run"));
        string quick = ResultsReport.Write(Data(quick: true, 2.0, 0.05, 100, -6.9));
        Assert.That(quick, Does.Contain("**Quick smoke run.**"));
        Assert.That(quick, Does.Contain("`./build.sh bench --quick`"));
        Assert.That(full, Does.Not.Contain("Partial run"));
        Assert.That(full, Does.Not.Contain("paper Figure 3"), "no pictures drawn, no Figure 3 section");
        string pictured = ResultsReport.Write(Data(quick: false, 2.0, 0.05, 100, -6.9) with { VoltageRolloutPictures = ["low.png", "high.png"] });
        Assert.That(pictured, Does.Contain("(paper Figure 3)"));
        Assert.That(pictured, Does.Contain("![low-voltage scenario](results/figure3-low-voltage.png)"));
        Assert.That(pictured, Does.Contain("![high-voltage scenario](results/figure3-high-voltage.png)"));
        string partial = ResultsReport.Write(Data(quick: false, 2.0, 0.05, 100, -6.9, voltageOnly: true));
        Assert.That(partial, Does.Contain("**Partial run: voltage only**"));
        Assert.That(partial, Does.Contain("`./build.sh bench --environments voltage`"), "the header and the regenerate line name the options");
    }

    [Test]
    public void Restricted_KeepsTheNamedEnvironments_AndNeedsVoltage()
    {
        var voltage = ResultsPlan.Full.Restricted(["voltage"]);
        Assert.That(voltage.Recipes.Select(r => r.Environment), Is.EqualTo(new[] { "voltage" }));
        Assert.That(voltage.BenchEnvironments, Is.EqualTo(new[] { "voltage" }));
        Assert.That(voltage.Partial, Is.True);
        Assert.That(ResultsPlan.Full.Restricted([.. ResultsPlan.Full.Recipes.Select(r => r.Environment)]).Partial, Is.False, "every environment: a full run");
        Assert.That(() => ResultsPlan.Full.Restricted(["cartpole"]), Throws.ArgumentException.With.Message.Contains("must include voltage"));
        Assert.That(() => ResultsPlan.Full.Restricted(["pendulum", "voltage"]), Throws.ArgumentException.With.Message.Contains("pendulum"));
    }
}
