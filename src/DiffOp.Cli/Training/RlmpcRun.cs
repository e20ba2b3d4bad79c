using System.Globalization;
using DiffOp.Environments.Common;
using DiffOp.Learning.Algorithms;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>
/// <c>diffop train ENV --algorithm rlmpc-td|rlmpc-dpg</c>: MPC-based Q-learning or the deterministic policy gradient with a
/// compatible advantage, with the run's budget (iterations × rollouts episodes of the Step-mode policy), α = --lr,
/// γ = --discount, exploration σ_e = --sigma. Writes config.json, params.json and theta.csv after every iteration, and
/// rlmpc.csv (mean episode cost, the method's signal — the mean TD error, or ‖ĝ‖ — the transitions or rollouts used and
/// dropped, and every --eval-every iterations the evaluation cost of the deterministic policy at the iteration's θ on the
/// same fixed episodes DiffOP runs evaluate, so the learning curves compare), so `diffop evaluate` and `diffop plot --run`
/// read it like any run.
/// </summary>
internal static class RlmpcRun
{
    /// <summary>Iterations in a row without an update after which the run stops (as DiffOP runs do).</summary>
    private const int StallLimit = 5;

    /// <summary>What one iteration reports.</summary>
    private readonly record struct Outcome(double MeanCost, double Signal, int Used, int Failed, bool Updated);

    public static int Execute(RunConfig config, double discount, string dir, TextWriter info)
    {
        DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded();
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"The run folder {dir} exists and is not empty: choose another --out.");
        var setup = new TrainingSetup(config);
        int horizon = setup.Model.StepHorizon;
        var ocp = ProblemLimits.Build(setup.Model, horizon, setup.Theta0);
        var tail = horizon > 1 ? ProblemLimits.Build(setup.Model, horizon - 1, setup.Theta0) : null;
        bool td = config.Algorithm == "rlmpc-td";
        var environment = EnvironmentCatalog.CreateSimulator(config.Environment, config.Settings);
        var bounds = setup.Model.ParameterLowerBounds();
        IDisposable learner;
        Func<double[], int, Outcome> iterate;
        if (td)
        {
            var q = new QLearning(environment, ocp, tail, new QLearningOptions
            {
                LearningRate = config.LearningRate, Discount = discount, ExplorationSigma = config.Sigma, EpisodesPerIteration = config.Rollouts,
            }, bounds, setup.SolverOptions);
            learner = q;
            iterate = (theta, k) =>
            {
                var r = q.RunIteration(theta, k, config.Seed);
                return new Outcome(r.MeanEpisodeCost, r.MeanTdError, r.Transitions, r.FailedTransitions, r.Updated);
            };
        }
        else
        {
            if (!(config.Sigma > 0)) throw new ArgumentException("--algorithm rlmpc-dpg fits its critic on the exploration: --sigma must be positive.");
            var dpg = new DeterministicPolicyGradient(environment, ocp, new DeterministicPolicyGradientOptions
            {
                LearningRate = config.LearningRate, Discount = discount, ExplorationSigma = config.Sigma, RolloutsPerIteration = config.Rollouts,
            }, bounds, setup.SolverOptions);
            learner = dpg;
            iterate = (theta, k) =>
            {
                var r = dpg.RunIteration(theta, k, config.Seed);
                double norm = Math.Sqrt(r.Gradient.Sum(g => g * g));
                return new Outcome(r.MeanEpisodeCost, norm, r.PerRollout.Count, r.FailedRollouts, r.PerRollout.Count > 0 && double.IsFinite(norm));
            };
        }
        using var _ = learner;
        string name = td ? "RLMPC-TD (MPC-based Q-learning)" : "RLMPC-DPG (deterministic policy gradient, compatible advantage)";
        Directory.CreateDirectory(dir);
        config.Save(Path.Combine(dir, "config.json"));
        info.WriteLine($"{name} for {config.Environment}: {config.Iterations} iterations × {config.Rollouts} episodes of the Step policy (H = {horizon}), " +
                       $"α = {config.LearningRate}, γ = {discount}, exploration σ = {config.Sigma}, seed {config.Seed} → {dir}");
        var theta = (double[])setup.Theta0.Clone();
        var blocks = setup.Ocp.Parameters;
        string thetaCsv = Path.Combine(dir, "theta.csv"), log = Path.Combine(dir, "rlmpc.csv");
        ThetaCsvWriter.Append(thetaCsv, blocks, 0, theta);
        File.WriteAllText(log, (td ? "iteration,mean_cost,mean_td_error,transitions,failed_transitions,updated" : "iteration,mean_cost,gradient_norm,rollouts,failed_rollouts,updated") +
                               ",eval_cost,eval_dropped\n");
        var evaluator = config.EvaluationEpisodes > 0 ? setup.CreateWorker() : null;
        var live = new LiveCounter(Console.Error, LiveCounter.IsTerminal(Console.Error), "iteration", config.Iterations);
        Outcome? first = null, last = null;
        int stalled = 0;
        for (int k = 0; k < config.Iterations; k++)
        {
            // As in DiffOP runs: the evaluation episodes run at the iteration's θ, before its update.
            var (evalCost, evalDropped) = evaluator is not null && k % config.EvaluateEvery == 0 ? evaluator.EvaluationCost(theta, config.EvaluationEpisodes) : (double.NaN, 0);
            var outcome = iterate(theta, k);
            stalled = outcome.Updated ? 0 : stalled + 1;
            last = outcome;
            first ??= outcome;
            live.Tick(k + 1);
            File.AppendAllText(log, string.Join(",", (k + 1).ToString(CultureInfo.InvariantCulture), outcome.MeanCost.ToString("R", CultureInfo.InvariantCulture),
                outcome.Signal.ToString("R", CultureInfo.InvariantCulture), outcome.Used, outcome.Failed, outcome.Updated ? 1 : 0,
                evalCost.ToString("R", CultureInfo.InvariantCulture), evalDropped) + "\n");
            ThetaCsvWriter.Append(thetaCsv, blocks, k + 1, theta);
            new TrainingCheckpoint
            {
                Iteration = k + 1, Seed = config.Seed,
                Theta = blocks.ToDictionary(b => b.Name, b => theta.AsSpan(b.Offset, b.Length).ToArray()),
                OptimizerFirstMoment = new double[theta.Length], OptimizerSecondMoment = new double[theta.Length], OptimizerSteps = k + 1,
            }.Save(Path.Combine(dir, "params.json"));
            if (stalled == StallLimit)
            {
                live.Done();
                throw new TrainingStalledException(
                    $"{StallLimit} iterations in a row applied no update (every transition or rollout was dropped: the policy OCP no longer solves at this θ). " +
                    $"θ and {Path.GetFileName(log)} are saved in {dir}; try a smaller --lr (α).");
            }
        }
        live.Done();
        info.WriteLine($"done: mean exploring cost {first!.Value.MeanCost:G6} (iteration 1) → {last!.Value.MeanCost:G6} (iteration {config.Iterations}); " +
                       $"{(td ? "mean TD error" : "|ĝ|")} {last.Value.Signal:G4}; files in {dir}. Evaluate with: diffop evaluate {dir}");
        return DiffOpCli.Success;
    }
}
