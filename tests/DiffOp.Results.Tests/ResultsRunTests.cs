using DiffOp.Results;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Results.Tests;

/// <summary>A whole (tiny) results run: benchmarks, child training and evaluation processes, pictures and the report.</summary>
[Category("Native")]
public class ResultsRunTests
{
    private static double RunConfigSigma(string dir) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement.GetProperty("sigma").GetDouble();

    [Test]
    public void TinyResultsRun_WritesReportAndPictures_AndReusesFinishedRuns()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        string root = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"results-{Guid.NewGuid():N}");
        string work = Path.Combine(root, "work"), docs = Path.Combine(root, "docs");
        var plan = new ResultsPlan(Quick: true, Seeds: 1,
            [new EnvironmentRecipe("cartpole", 0.5, 0.02, 2, 2, 1), new EnvironmentRecipe("voltage", 0.05, 0.01, 2, 2, 1) { TrustRegion = new(2, 8, 1) }],
            VoltageScenarios: 2, StepEvaluationSeeds: 1, PaperSettingsRun: false)
        {
            BenchEnvironments = ["voltage"], Sweep = [6, 12], ImitationDemonstrations = 3, ExecutorIterations = 2, TaskImitationDemonstrations = 2,
        };
        var log = new StringWriter();
        var data = new ResultsRunner(plan, work, workers: 1, log).Run();
        string report = ResultsPublisher.Publish(data, docs);

        Assert.That(data.Runs.Count(r => r.Label == "tuned"), Is.EqualTo(4), "2 environments × Step and Traj × 1 seed");
        // The voltage update rules side by side: the Adam recipe and the paper's settings, both modes, K = 2 iterations of N = 10.
        var variants = data.Runs.Where(r => r.Label != "tuned").ToArray();
        Assert.That(variants.Select(r => (r.Environment, r.Mode, r.Label)), Is.EquivalentTo(new[]
        {
            ("voltage", DiffOp.Learning.Policies.PolicyMode.Traj, "adam"), ("voltage", DiffOp.Learning.Policies.PolicyMode.Traj, "paper"),
            ("voltage", DiffOp.Learning.Policies.PolicyMode.Step, "adam"), ("voltage", DiffOp.Learning.Policies.PolicyMode.Step, "paper"),
        }));
        Assert.That(variants.Select(r => r.Trajectories), Has.All.EqualTo(new long[] { 10, 20 }), "N per iteration, no second batches");
        foreach (var run in data.Runs.Where(r => r.Environment == "voltage" && r.Label == "tuned"))
        {
            Assert.That(run.Trajectories, Has.Count.EqualTo(2));
            // Voltage's recipe tests a candidate on a quarter of the batch, in whole groups: one pair (Traj) or one start block of 4 (Step).
            int tested = run.Mode == DiffOp.Learning.Policies.PolicyMode.Traj ? 2 : 4;
            Assert.That(run.Trajectories[1] - run.Trajectories[0], Is.EqualTo(8).Or.EqualTo(8 + tested), "N = 8, plus the candidate's rollouts where the rule tested one");
        }
        foreach (var mode in new[] { DiffOp.Learning.Policies.PolicyMode.Step, DiffOp.Learning.Policies.PolicyMode.Traj })
        {
            Assert.That(File.Exists(Path.Combine(docs, ResultsReport.VariantImage(mode))), ResultsReport.VariantImage(mode));
            Assert.That(File.ReadAllText(report), Does.Contain($"]({ResultsReport.VariantImage(mode)})"));
        }
        Assert.That(File.ReadAllText(report), Does.Contain("### Voltage: the update rules side by side").And.Contain("| Traj | Adam recipe (N = 10, cosine decay) |"));
        Assert.That(data.VoltageRolloutPictures, Has.Count.EqualTo(2), "Figure 3: the low- and high-voltage scenarios");
        foreach (string image in ResultsReport.RolloutImages)
        {
            Assert.That(File.Exists(Path.Combine(docs, image)), image);
            Assert.That(File.ReadAllText(report), Does.Contain($"]({image})"));
        }
        foreach (var run in data.Runs)
        {
            Assert.That(run.Evaluation.Select(p => p.Iteration), Is.EqualTo(new[] { 1, 2 }), $"{run.Environment} {run.Mode} {run.Label}: evaluated every iteration");
            Assert.That(run.Evaluation.All(p => double.IsFinite(p.Value)), Is.True);
            Assert.That(run.WallSeconds, Is.GreaterThan(0));
        }
        Assert.That(data.TrueThetaEvaluationCost.Keys, Is.EquivalentTo(new[] { "cartpole-step", "cartpole-traj", "voltage-step", "voltage-traj" }));
        var sgf = data.VoltageTable.Single(r => r.Policy.StartsWith("safe gradient flow"));
        Assert.That(sgf.Transient.Single(), Is.LessThan(0), "the baseline lowers the voltage cost on the 2 scenarios");
        Assert.That(data.VoltageTable.Single(r => r.Policy == "DiffOP Traj").Transient.Single(), Is.Negative.And.GreaterThan(-10));
        Assert.That(data.VoltageTable.Single(r => r.Policy.StartsWith("system identification")).Transient.Single(), Is.Negative, "the identified model's policy acts");
        var ceiling = data.VoltageTable.Single(r => r.Policy.StartsWith("best θ of this policy class"));
        Assert.That(ceiling.Transient.Single(), Is.LessThan(sgf.Transient.Single()), "the class's best θ beats the baseline on these scenarios too");
        Assert.That(data.VoltageTable.Single(r => r.Policy.StartsWith("imitation of SGF (3 demonstrations")).PaperTransient, Is.EqualTo(-5.86));
        Assert.That(data.VoltageTable.Single(r => r.Policy.StartsWith("RLMPC-DPG")).Transient.Single(), Is.Negative.And.GreaterThan(-10));
        Assert.That(data.VoltageTable.Single(r => r.Policy.StartsWith("RLMPC-TD")).PaperTransient, Is.EqualTo(-4.62));

        // Every baseline on the control task (cart-pole), with a finite final cost; the RL-MPC methods with their curves.
        Assert.That(data.Baselines.Select(b => b.Algorithm), Is.EquivalentTo(new[] { "rlmpc-td", "rlmpc-dpg", "imitation", "sysid" }));
        Assert.That(data.Baselines, Has.All.Matches<BaselineRunSummary>(b => b!.Environment == "cartpole" && double.IsFinite(b.FinalCost) && b.WallSeconds > 0));
        foreach (var b in data.Baselines.Where(b => b.Algorithm.StartsWith("rlmpc-")))
            Assert.That(b.Evaluation.Select(p => p.Iteration), Is.EqualTo(new[] { 1, 2 }), $"{b.Algorithm}: evaluated every iteration");
        Assert.That(data.Baselines.Where(b => !b.Algorithm.StartsWith("rlmpc-")), Has.All.Matches<BaselineRunSummary>(b => b!.Evaluation.Count == 0));

        // Three executors, the same θ from each; the cluster row has the trainer's overhead figure; its silos are gone.
        Assert.That(data.Executors.Select(e => e.Executor).ToArray(), Has.Length.EqualTo(3).And.Some.Contains("--cluster").And.Some.Contains("--threads").And.Some.Contains("--workers"));
        Assert.That(data.Executors, Has.All.Matches<ExecutorThroughputRow>(e => e is { SameParameters: true, Seconds: > 0 }));
        Assert.That(data.Executors.Single(e => e.Executor.Contains("--cluster")).OverheadMilliseconds, Is.Not.Null.And.GreaterThan(0));
        Assert.That(data.Executors.Where(e => !e.Executor.Contains("--cluster")).Select(e => e.OverheadMilliseconds), Is.All.Null);

        string text = File.ReadAllText(report);
        Assert.That(text, Does.Contain("### Rollout executors").And.Contain("| identical |"));
        Assert.That(text, Does.Contain("**Quick smoke run.**"));
        Assert.That(text, Does.Contain("### The baselines on the control tasks").And.Contain("| cartpole | RLMPC-TD (MPC-based Q-learning) | Step |")
                              .And.Contain("| cartpole | imitation (PDP offline) | Traj |"));
        Assert.That(text, Does.Contain("| DiffOP Step, paper | 0.011 | 0.002 | 1.36 h |"));
        Assert.That(text, Does.Contain("| system identification (A fitted to the transitions, C_v = I), Traj |"), "Table 2 has the baselines");
        Assert.That(text, Does.Not.Contain("at or below the paper (imitation"), "baselines are not goals");
        Assert.That(text, Does.Match(@"\| 12 \| [0-9.]+ (ms|µs) \| [0-9.]+ (ms|µs) \|"), "the sweep table has the measured H = 12 row");
        foreach (string png in new[] { "results/curves-cartpole.png", "results/curves-voltage.png", "results/backward-scaling.png" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(docs, png));
            Assert.That(bytes.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), png);
        }

        // A second run reuses the finished training runs instead of training again.
        string metrics = Path.Combine(work, "runs", "cartpole-step-seed0", "metrics.csv");
        var written = File.GetLastWriteTimeUtc(metrics);
        var again = new StringWriter();
        var second = new ResultsRunner(plan with { Sweep = [6], ExecutorIterations = 0 }, work, workers: 1, again).Run();
        Assert.That(again.ToString(), Does.Not.Contain("    train "), again.ToString());
        Assert.That(second.Executors, Is.Empty, "ExecutorIterations = 0 skips the stage");
        Assert.That(second.ReusedRuns, Is.EqualTo(4 + 4 + 4 + 4), "the four DiffOP runs, the four voltage rule variants, the four voltage baselines and the four cart-pole baselines");
        Assert.That(data.ReusedRuns, Is.Zero);
        Assert.That(File.GetLastWriteTimeUtc(metrics), Is.EqualTo(written));

        // Changing a recipe's settings retrains its runs instead of reusing folders trained with the old ones.
        var changed = plan with { Recipes = [plan.Recipes[0] with { Sigma = 0.4 }, plan.Recipes[1]], Sweep = [6], ExecutorIterations = 0 };
        var third = new StringWriter();
        var retrained = new ResultsRunner(changed, work, workers: 1, third).Run();
        Assert.That(third.ToString(), Does.Contain("cartpole-step-seed0 was trained with other settings"));
        Assert.That(retrained.ReusedRuns, Is.EqualTo(2 + 4 + 4 + 4), "the voltage runs, their rule variants and every baseline (their settings did not change) are still reused");
        Assert.That(RunConfigSigma(Path.Combine(work, "runs", "cartpole-step-seed0")), Is.EqualTo(0.4));
        Directory.Delete(root, recursive: true);
    }
}
