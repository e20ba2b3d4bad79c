using System.CommandLine;
using DiffOp.Cli.Training;
using DiffOp.Environments.Common;
using DiffOp.Environments.Voltage;
using DiffOp.Interop.Ipopt;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop evaluate DIR [--episodes E | --scenarios S] [--json]</c>: runs the deterministic policy (u = u*) with the
/// trained θ of a run folder, and with its initial θ for comparison, on the true system. <c>--episodes</c> runs
/// E training-length episodes with seeds 1,000,000 + e (disjoint from training seeds); <c>--scenarios</c> (voltage)
/// runs the paper's voltage evaluation protocol (docs/environments-voltage.md) on scenarios 0..S−1 (100 steps, evaluation box).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("run") { Description = "A run folder written by 'diffop train'." };
        var episodes = new Option<int?>("--episodes") { Description = "Number of evaluation episodes (default 20)." };
        var scenarios = new Option<int?>("--scenarios") { Description = "Voltage only: the §7.3 protocol on scenarios 0..S−1 (the paper uses 500)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var skipInitial = new Option<bool>("--skip-initial") { Description = "Evaluate the trained θ only (halves the time; the initial_* results are then null)." };
        var solver = SolverOption.Create("the run's own (config.json)");
        var command = new Command("evaluate", "Evaluate a trained policy (deterministic u = u*) on the true system, beside its initial θ.") { dir, episodes, scenarios, json, skipInitial, solver };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            bool live = LiveCounter.IsTerminal(error);
            {
                string folder = parse.GetRequiredValue(dir).FullName;
                var stored = RunConfig.Load(Path.Combine(folder, "config.json"));
                var config = stored with { Solver = SolverOption.Read(parse, solver, stored.Solver) };
                var checkpoint = TrainingCheckpoint.Load(Path.Combine(folder, "params.json"));
                if (parse.GetValue(scenarios) is { } s && parse.GetValue(episodes) is not null)
                    throw new ArgumentException("Give either --episodes or --scenarios, not both.");
                return parse.GetValue(scenarios) is { } count
                    ? Scenarios(config, checkpoint, count, parse.GetValue(json), parse.GetValue(skipInitial), output, (label, total) => new LiveCounter(error, live, label, total))
                    : Episodes(config, checkpoint, parse.GetValue(episodes) ?? 20, parse.GetValue(json), parse.GetValue(skipInitial), output, (label, total) => new LiveCounter(error, live, label, total));
            }
        }));
        return command;
    }

    private static int Episodes(RunConfig config, TrainingCheckpoint checkpoint, int count, bool json, bool skipInitial, TextWriter output, Func<string, int, LiveCounter> counter)
    {
        if (count < 1) throw new ArgumentException($"--episodes must be at least 1, got {count}.");
        var setup = new TrainingSetup(config);
        var worker = setup.CreateWorker();
        (double Mean, double Std, int Failed) Run(double[] theta, string which)
        {
            var live = counter($"evaluating the {which} θ: episode", count);
            var results = Enumerable.Range(0, count).Select(e =>
            {
                live.Tick(e + 1);
                return worker.Run(theta, new RolloutRequest(SeedSequence.Evaluation(e), Explore: false));
            }).ToArray();
            live.Done();
            var costs = results.Where(r => !r.Dropped).Select(r => r.Cost).ToArray();
            if (costs.Length == 0) return (double.NaN, double.NaN, results.Length);
            double mean = costs.Average();
            double std = costs.Length > 1 ? Math.Sqrt(costs.Sum(c => (c - mean) * (c - mean)) / (costs.Length - 1)) : 0;
            return (mean, std, results.Length - costs.Length);
        }
        (double Mean, double Std, int Failed)? initial = skipInitial ? null : Run(setup.Theta0, "initial");
        var trained = Run(checkpoint.FlatTheta(setup.Ocp.Parameters), "trained");
        if (json)
        {
            JsonOutput.Write(output, new
            {
                env = config.Environment, mode = config.Mode.ToString().ToLowerInvariant(), iterations = checkpoint.Iteration, episodes = count, solver = SolverOption.NameOf(config.Solver),
                mean_cost = trained.Mean, std_cost = trained.Std, failed_episodes = trained.Failed,
                initial_mean_cost = initial?.Mean, initial_std_cost = initial?.Std, initial_failed_episodes = initial?.Failed,
            });
        }
        else
        {
            output.WriteLine($"{config.Environment} ({config.Mode}) after {checkpoint.Iteration} iterations, {count} episodes, u = u*:");
            if (initial is { } i)
                output.WriteLine($"  initial θ  mean cost {i.Mean:G6} ± {i.Std:G3}{(i.Failed > 0 ? $" ({i.Failed} episodes failed)" : "")}");
            output.WriteLine($"  trained θ  mean cost {trained.Mean:G6} ± {trained.Std:G3}{(trained.Failed > 0 ? $" ({trained.Failed} episodes failed)" : "")}");
        }
        return double.IsFinite(trained.Mean) ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
    }

    private static int Scenarios(RunConfig config, TrainingCheckpoint checkpoint, int count, bool json, bool skipInitial, TextWriter output, Func<string, int, LiveCounter> counter)
    {
        if (!string.Equals(config.Environment, "voltage", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--scenarios is the voltage evaluation protocol; '{config.Environment}' uses --episodes.");
        if (count < 1) throw new ArgumentException($"--scenarios must be at least 1, got {count}.");
        // The evaluation box (third bus [−1.0, 0.6]) is known to the policy too.
        var model = EnvironmentCatalog.CreatePolicyModel(config.Environment, [.. config.Settings, "box=evaluation"]);
        var setup = new TrainingSetup(config);
        var evaluation = new VoltageEvaluation(EvaluationSystem(config), scenarios: count);
        (VoltageEvaluationResult Result, int SolveFailures) Run(double[] theta, string which)
        {
            using var controller = new FeedbackPolicy(ProblemLimits.Build(model, config.Horizon, theta), config.Mode, theta, setup.SolverOptions);
            var live = counter($"evaluating the {which} θ: scenario", count);
            var result = evaluation.Run(controller.Act, k =>
            {
                live.Tick(k + 1);
                controller.Reset();
            });
            live.Done();
            return (result, controller.SolveFailures);
        }
        (VoltageEvaluationResult Result, int SolveFailures)? initial = skipInitial ? null : Run(setup.Theta0, "initial");
        var trained = Run(checkpoint.FlatTheta(setup.Ocp.Parameters), "trained");
        var costs = trained.Result.ScenarioTransientCosts;
        double mean = costs.Average(), std = Math.Sqrt(costs.Sum(c => (c - mean) * (c - mean)) / Math.Max(1, costs.Count - 1));
        if (json)
        {
            JsonOutput.Write(output, new
            {
                env = config.Environment, mode = config.Mode.ToString().ToLowerInvariant(), iterations = checkpoint.Iteration, scenarios = count, solver = SolverOption.NameOf(config.Solver),
                mean_cost = mean, std_cost = std,
                transient_cost = trained.Result.TransientCost, steady_state_cost = trained.Result.SteadyStateCost,
                pf_failures = trained.Result.PowerFlowFailures, solve_failures = trained.SolveFailures,
                initial_transient_cost = initial?.Result.TransientCost, initial_steady_state_cost = initial?.Result.SteadyStateCost,
            });
        }
        else
        {
            output.WriteLine($"voltage ({config.Mode}) after {checkpoint.Iteration} iterations, scenarios 0..{count - 1}, 100 steps, u = u*:");
            if (initial is { } i)
                output.WriteLine($"  initial θ  transient {i.Result.TransientCost:F4}  steady-state {i.Result.SteadyStateCost:F4}");
            output.WriteLine($"  trained θ  transient {trained.Result.TransientCost:F4}  steady-state {trained.Result.SteadyStateCost:F4}" +
                             $"  (power-flow failures {trained.Result.PowerFlowFailures}, solve failures {trained.SolveFailures})");
            output.WriteLine("  paper (Table 2): DiffOP Step −6.81 / −0.11, Traj −6.80 / −0.11");
        }
        return DiffOpCli.Success;
    }

    /// <summary>
    /// The true system of the §7.3 protocol for a run: the run's own overrides (e.g. the true cost weights) with the
    /// evaluation box on top, as the policy sees it.
    /// </summary>
    internal static VoltageSettings EvaluationSystem(RunConfig config) =>
        VoltageSettingsOverrideParser.Apply(new VoltagePolicySettings(), [.. config.Settings, "box=evaluation"]).System;
}
