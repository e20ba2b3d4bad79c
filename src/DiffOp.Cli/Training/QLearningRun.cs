using System.Globalization;
using DiffOp.Environments.Common;
using DiffOp.Learning.Algorithms;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>
/// <c>diffop train ENV --algorithm rlmpc-td</c>: MPC-based Q-learning with the run's budget (iterations × rollouts
/// episodes of the Step-mode policy), α = --lr, γ = --discount, exploration σ_e = --sigma. Writes config.json,
/// params.json and theta.csv after every iteration, and td.csv (mean episode cost, mean TD error, transitions used and
/// dropped per iteration), so `diffop evaluate` and `diffop plot --run` read it like any run.
/// </summary>
internal static class QLearningRun
{
    public static int Execute(RunConfig config, double discount, string dir, TextWriter info)
    {
        DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded();
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"The run folder {dir} exists and is not empty: choose another --out.");
        var setup = new TrainingSetup(config);
        int horizon = setup.Model.StepHorizon;
        var ocp = ProblemLimits.Build(setup.Model, horizon, setup.Theta0);
        var tail = horizon > 1 ? ProblemLimits.Build(setup.Model, horizon - 1, setup.Theta0) : null;
        var options = new QLearningOptions
        {
            LearningRate = config.LearningRate, Discount = discount, ExplorationSigma = config.Sigma, EpisodesPerIteration = config.Rollouts,
        };
        options.Validate();
        Directory.CreateDirectory(dir);
        config.Save(Path.Combine(dir, "config.json"));
        info.WriteLine($"RLMPC-TD (MPC-based Q-learning) for {config.Environment}: {config.Iterations} iterations × {config.Rollouts} episodes of the Step policy (H = {horizon}), " +
                       $"α = {config.LearningRate}, γ = {discount}, exploration σ = {config.Sigma}, seed {config.Seed} → {dir}");
        var environment = EnvironmentCatalog.CreateSimulator(config.Environment, config.Settings);
        using var learner = new QLearning(environment, ocp, tail, options, setup.Model.ParameterLowerBounds(), TrainingSetup.PolicySolverOptions);
        var theta = (double[])setup.Theta0.Clone();
        var blocks = setup.Ocp.Parameters;
        string thetaCsv = Path.Combine(dir, "theta.csv"), tdCsv = Path.Combine(dir, "td.csv");
        ThetaCsvWriter.Append(thetaCsv, blocks, 0, theta);
        File.WriteAllText(tdCsv, "iteration,mean_cost,mean_td_error,transitions,failed_transitions,updated\n");
        var live = new LiveCounter(Console.Error, LiveCounter.IsTerminal(Console.Error), "RLMPC-TD iteration", config.Iterations);
        QLearningIteration? first = null, last = null;
        for (int k = 0; k < config.Iterations; k++)
        {
            last = learner.RunIteration(theta, k, config.Seed);
            first ??= last;
            live.Tick(k + 1);
            File.AppendAllText(tdCsv, string.Join(",", (k + 1).ToString(CultureInfo.InvariantCulture), last.MeanEpisodeCost.ToString("R", CultureInfo.InvariantCulture),
                last.MeanTdError.ToString("R", CultureInfo.InvariantCulture), last.Transitions, last.FailedTransitions, last.Updated ? 1 : 0) + "\n");
            ThetaCsvWriter.Append(thetaCsv, blocks, k + 1, theta);
            new TrainingCheckpoint
            {
                Iteration = k + 1, Seed = config.Seed,
                Theta = blocks.ToDictionary(b => b.Name, b => theta.AsSpan(b.Offset, b.Length).ToArray()),
                OptimizerFirstMoment = new double[theta.Length], OptimizerSecondMoment = new double[theta.Length], OptimizerSteps = k + 1,
            }.Save(Path.Combine(dir, "params.json"));
        }
        live.Done();
        info.WriteLine($"done: mean exploring cost {first!.MeanEpisodeCost:G6} (iteration 1) → {last!.MeanEpisodeCost:G6} (iteration {config.Iterations}); " +
                       $"mean TD error {last.MeanTdError:G4}; files in {dir}. Evaluate with: diffop evaluate {dir}");
        return DiffOpCli.Success;
    }
}
