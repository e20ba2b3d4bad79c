using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DiffOp.Cli.Training;
using DiffOp.Environments.Common;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop variance ENV [--mode] [--run DIR] [--batches B] [--rollouts N] [--reference R] [--workers w] [--json]</c>:
/// measures each gradient estimator against a large-batch reference gradient at one θ (the initial θ, the true θ, or a
/// run's trained θ). Each variant forms B estimates from N rollouts each, exactly as the trainer would; the table gives
/// the mean squared error relative to ‖g_ref‖², the same error per trajectory (× N: comparable across budgets) and
/// the mean cosine between the estimate and the reference.
/// </summary>
internal static class VarianceCommand
{
    /// <summary>One estimator configuration and what was measured for it.</summary>
    internal sealed record Row(string Variant, double RelativeMse, double RelativeMsePerTrajectory, double MeanCosine);

    private static readonly (string Name, Func<TrainingOptions, TrainingOptions> Apply)[] Variants =
    [
        ("reinforce (eq. 8)", o => o with { Estimator = GradientEstimatorKind.Reinforce, SharedInitialState = false }),
        ("baseline", o => o with { Estimator = GradientEstimatorKind.ReinforceWithBaseline, SharedInitialState = false }),
        ("baseline + shared start", o => o),
        ("reward-to-go + shared start", o => o with { Estimator = GradientEstimatorKind.RewardToGo }),
        ("antithetic + baseline + shared start", o => o with { Antithetic = true }),
        ("antithetic pairs, one start per pair", o => o with { Antithetic = true, SharedInitialState = false }),
        ("tangent + baseline + shared start", o => o with { TangentExploration = true }),
        ("tangent + antithetic pairs, one start per pair", o => o with { TangentExploration = true, Antithetic = true, SharedInitialState = false }),
        ("tangent + antithetic + baseline + shared start", o => o with { TangentExploration = true, Antithetic = true }),
        ("reward-to-go + antithetic, two pairs per start", o => o with
        {
            Estimator = GradientEstimatorKind.RewardToGo, Antithetic = true, SharedInitialState = false, RolloutsPerStart = 4,
        }),
    ];

    public static Command Create()
    {
        var environment = new Argument<string>("environment") { Description = "The environment: " + string.Join(", ", EnvironmentCatalog.Names) + "." };
        var mode = new Option<string>("--mode") { Description = "step or traj.", DefaultValueFactory = _ => "traj" };
        mode.AcceptOnlyFromAmong("step", "traj");
        var run = new Option<DirectoryInfo?>("--run") { Description = "Measure at this run's trained θ (its config must match the environment and mode)." };
        var theta = new Option<string>("--theta") { Description = "Without --run: 'init' or 'true' θ.", DefaultValueFactory = _ => "init" };
        theta.AcceptOnlyFromAmong("init", "true");
        var batches = new Option<int>("--batches") { Description = "B: estimates per variant.", DefaultValueFactory = _ => 40 };
        var rollouts = new Option<int>("--rollouts") { Description = "N: rollouts per estimate (even).", DefaultValueFactory = _ => 10 };
        var reference = new Option<int>("--reference") { Description = "R: batches of the reference gradient (baseline + shared start, other seeds).", DefaultValueFactory = _ => 200 };
        var workers = new Option<int>("--workers") { Description = "Rollout worker processes.", DefaultValueFactory = _ => 1 };
        var set = new Option<string[]>("--set") { Description = "Override an environment setting, key=value (repeatable)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("variance", "Measure the gradient estimators' error against a large-batch reference gradient at one θ.")
        {
            environment, mode, run, theta, batches, rollouts, reference, workers, set, json,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            int b = parse.GetValue(batches), n = parse.GetValue(rollouts), r = parse.GetValue(reference), w = parse.GetValue(workers);
            if (b < 2) throw new ArgumentException($"--batches must be at least 2, got {b}.");
            if (n < 2 || n % 2 != 0) throw new ArgumentException($"--rollouts must be even and at least 2 (antithetic pairs), got {n}.");
            if (r < 1) throw new ArgumentException($"--reference must be at least 1, got {r}.");
            if (w < 1) throw new ArgumentException($"--workers must be at least 1, got {w}.");
            var model = EnvironmentCatalog.CreatePolicyModel(parse.GetRequiredValue(environment), parse.GetValue(set) ?? []);
            var policyMode = parse.GetValue(mode) == "traj" ? PolicyMode.Traj : PolicyMode.Step;
            var options = TrainingOptions.Recommended(policyMode, model.ExplorationScale, model.RecommendedLearningRate) with
            {
                Rollouts = n, Antithetic = false, TangentExploration = false, SharedInitialState = true,
            };
            var config = new RunConfig
            {
                Environment = model.Name, Settings = parse.GetValue(set) ?? [], Mode = policyMode, Horizon = TrainingSetup.HorizonFor(model, policyMode),
                Iterations = 1, Rollouts = n, Sigma = options.Sigma, Beta = options.Beta, LearningRate = options.LearningRate, Optimizer = options.Optimizer,
                Estimator = options.Estimator, Seed = 0, InitialTheta = parse.GetValue(theta)!,
            };
            var setup = new TrainingSetup(config);
            double[] at = parse.GetValue(run) is { } folder
                ? TrainingCheckpoint.Load(Path.Combine(folder.FullName, "params.json")).FlatTheta(setup.Ocp.Parameters)
                : setup.Theta0;
            using var executor = setup.CreateExecutor(w);
            var rows = Measure(executor, options, at, b, r);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                JsonOutput.Write(output, new { env = model.Name, mode = parse.GetValue(mode), batches = b, rollouts = n, reference_batches = r, rows });   // NaN: not measured
            else
            {
                output.WriteLine($"{model.Name} {parse.GetValue(mode)}, σ = {options.Sigma}, N = {n}, {b} estimates per variant, reference from {r * n} rollouts");
                output.WriteLine("| estimator | relative MSE | relative MSE × N | mean cosine |");
                output.WriteLine("| --- | --- | --- | --- |");
                foreach (var row in rows)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Variant} | {row.RelativeMse:G3} | {row.RelativeMsePerTrajectory:G3} | {row.MeanCosine:F3} |"));
            }
            return DiffOpCli.Success;
        }));
        return command;
    }

    /// <summary>Runs every variant and the reference at θ; estimates use iterations 0..B−1 of seed 1, the reference seed 2.</summary>
    internal static IReadOnlyList<Row> Measure(IRolloutExecutor executor, TrainingOptions options, double[] theta, int batches, int referenceBatches)
    {
        int d = theta.Length;
        var reference = new double[d];
        var referenceOptions = options with { Seed = 2 };
        for (int k = 0; k < referenceBatches; k++)
        {
            var g = TrainingBatch.Estimate(referenceOptions, executor.Run(theta, TrainingBatch.ExploringRequests(referenceOptions, k, false)), d);
            for (int i = 0; i < d; i++) reference[i] += g[i] / referenceBatches;
        }
        double referenceNorm2 = reference.Sum(v => v * v);
        if (!(referenceNorm2 > 0)) throw new InvalidOperationException("The reference gradient is zero: no rollout could be kept at this θ.");
        var rows = new List<Row>();
        foreach (var (name, apply) in Variants)
        {
            var variant = apply(options with { Seed = 1 });
            try
            {
                variant.Validate();
            }
            catch (ArgumentException e)
            {
                rows.Add(new Row($"{name} (not measured: {e.Message})", double.NaN, double.NaN, double.NaN));
                continue;
            }
            double mse = 0, cosine = 0;
            for (int k = 0; k < batches; k++)
            {
                var g = TrainingBatch.Estimate(variant, executor.Run(theta, TrainingBatch.ExploringRequests(variant, k, false)), d);
                double error = 0, dot = 0, norm = 0;
                for (int i = 0; i < d; i++)
                {
                    error += (g[i] - reference[i]) * (g[i] - reference[i]);
                    dot += g[i] * reference[i];
                    norm += g[i] * g[i];
                }
                mse += error / batches;
                cosine += (norm > 0 ? dot / Math.Sqrt(norm * referenceNorm2) : 0) / batches;
            }
            rows.Add(new Row(name, mse / referenceNorm2, mse / referenceNorm2 * options.Rollouts, cosine));
        }
        return rows;
    }
}
