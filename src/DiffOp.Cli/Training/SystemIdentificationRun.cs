using System.Text.Json;
using DiffOp.Environments.Common;
using DiffOp.Learning.Algorithms;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>
/// <c>diffop train ENV --algorithm sysid</c>: the "model first" baseline. Records the run's budget of episodes
/// (iterations × rollouts) of the initial policy with Gaussian excitation σ on the true system, fits the θ entries the
/// dynamics depend on by Levenberg–Marquardt on the one-step prediction error, keeps the cost weights, and writes the
/// run folder like a DiffOP run (config.json, params.json, theta.csv) plus sysid.json, so `diffop evaluate` and
/// `diffop plot --run` work on it.
/// </summary>
internal static class SystemIdentificationRun
{
    public static int Execute(RunConfig config, string dir, TextWriter info)
    {
        DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded();
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"The run folder {dir} exists and is not empty: choose another --out.");
        var setup = new TrainingSetup(config);
        var sysid = new SystemIdentification(setup.Ocp);   // before recording: a model whose dynamics ignore θ fails here, at once
        int episodes = config.Iterations * config.Rollouts;
        info.WriteLine($"system identification for {config.Environment}: recording {episodes} episodes ({config.Iterations} × {config.Rollouts}) of the initial " +
                       $"{config.Mode} policy with excitation σ = {config.Sigma}, then fitting θ_f (seed {config.Seed}) → {dir}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var environment = EnvironmentCatalog.CreateSimulator(config.Environment, config.Settings);
        List<Transition> data;
        using (var policy = new FeedbackPolicy(setup.Ocp, config.Mode, setup.Theta0, setup.SolverOptions))
        {
            var live = new LiveCounter(Console.Error, LiveCounter.IsTerminal(Console.Error), "recording episode", episodes);
            data = TransitionRecorder.Record(environment, policy, episodes, config.Sigma, config.Seed, live.Tick);
            live.Done();
        }
        double recordSeconds = clock.Elapsed.TotalSeconds;
        var result = sysid.Fit(data, setup.Theta0, setup.Ocp.DefaultContext(), setup.Model.ParameterLowerBounds());
        if (!double.IsFinite(result.Loss) || !result.Theta.All(double.IsFinite))
            throw new TrainingStalledException("The fit did not reach a finite prediction error; nothing was written. Try more excitation (--sigma) or more episodes.");
        Directory.CreateDirectory(dir);
        config.Save(Path.Combine(dir, "config.json"));

        var blocks = setup.Ocp.Parameters;
        var checkpoint = new TrainingCheckpoint
        {
            Iteration = config.Iterations, Seed = config.Seed,
            Theta = blocks.ToDictionary(b => b.Name, b => result.Theta.AsSpan(b.Offset, b.Length).ToArray()),
            OptimizerFirstMoment = new double[result.Theta.Length], OptimizerSecondMoment = new double[result.Theta.Length], OptimizerSteps = 0,
        };
        checkpoint.Save(Path.Combine(dir, "params.json"));
        string thetaCsv = Path.Combine(dir, "theta.csv");
        ThetaCsvWriter.Append(thetaCsv, blocks, 0, setup.Theta0);
        ThetaCsvWriter.Append(thetaCsv, blocks, config.Iterations, result.Theta);
        File.WriteAllText(Path.Combine(dir, "sysid.json"), JsonSerializer.Serialize(new
        {
            transitions = data.Count, episodes, fitted_entries = result.FittedEntries, initial_loss = result.InitialLoss, loss = result.Loss,
            iterations = result.Iterations, converged = result.Converged, loss_history = result.LossHistory,
            record_s = recordSeconds, fit_s = clock.Elapsed.TotalSeconds - recordSeconds,
        }, JsonOutput.Indented));
        info.WriteLine($"done: {data.Count} transitions; prediction error Σ‖x₊ − f‖² {result.InitialLoss:G6} → {result.Loss:G6} in {result.Iterations} " +
                       $"Levenberg–Marquardt iterations ({(result.Converged ? "converged" : "iteration limit")}); fitted θ entries {string.Join(", ", result.FittedEntries)}; " +
                       $"{clock.Elapsed.TotalSeconds:F1} s. Evaluate with: diffop evaluate {dir}");
        return DiffOpCli.Success;
    }
}
