using System.CommandLine;
using DiffOp.Cli.Training;
using DiffOp.Interop.Ipopt;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop evaluate DIR [--episodes E] [--initial] [--json]</c>: runs the deterministic policy (u = u*) with the
/// trained θ of a run folder on the true system and reports the mean episode cost (also for the initial θ, to
/// show what training bought). Evaluation episodes use seeds 1,000,000 + e, disjoint from training seeds.
/// </summary>
internal static class EvaluateCommand
{
    public const int EvaluationSeedBase = 1_000_000;

    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("run") { Description = "A run folder written by 'diffop train'." };
        var episodes = new Option<int>("--episodes") { Description = "Number of evaluation episodes.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("evaluate", "Evaluate a trained policy (deterministic u = u*) on the true system.") { dir, episodes, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                string folder = parse.GetRequiredValue(dir).FullName;
                int count = parse.GetValue(episodes);
                if (count < 1) throw new ArgumentException($"--episodes must be at least 1, got {count}.");
                var config = RunConfig.Load(Path.Combine(folder, "config.json"));
                var setup = new TrainingSetup(config);
                var checkpoint = TrainingCheckpoint.Load(Path.Combine(folder, "params.json"));
                var trained = checkpoint.FlatTheta(setup.Ocp.Parameters);
                var worker = setup.CreateWorker();
                double Mean(double[] theta, out int dropped)
                {
                    var results = Enumerable.Range(0, count).Select(e => worker.Run(theta, new RolloutRequest(EvaluationSeedBase + e, Explore: false))).ToArray();
                    dropped = results.Count(r => r.Dropped);
                    var kept = results.Where(r => !r.Dropped).ToArray();
                    return kept.Length > 0 ? kept.Average(r => r.Cost) : double.NaN;
                }
                double initialCost = Mean(setup.Theta0, out int droppedInitial);
                double trainedCost = Mean(trained, out int droppedTrained);
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(output, new
                    {
                        environment = config.Environment, mode = config.Mode.ToString().ToLowerInvariant(), iterations = checkpoint.Iteration,
                        episodes = count, mean_cost = trainedCost, initial_mean_cost = initialCost, failed_episodes = droppedTrained,
                        initial_failed_episodes = droppedInitial,
                    });
                }
                else
                {
                    output.WriteLine($"{config.Environment} ({config.Mode}) after {checkpoint.Iteration} iterations, {count} episodes, u = u*:");
                    output.WriteLine($"  initial θ  mean cost {initialCost:G6}{(droppedInitial > 0 ? $" ({droppedInitial} episodes failed)" : "")}");
                    output.WriteLine($"  trained θ  mean cost {trainedCost:G6}{(droppedTrained > 0 ? $" ({droppedTrained} episodes failed)" : "")}");
                }
                return double.IsFinite(trainedCost) ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
            }
            catch (NativeLibraryException ex) { parse.InvocationConfiguration.Error.WriteLine(ex.Message); return DiffOpCli.MissingDependency; }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return DiffOpCli.UsageError;
            }
        });
        return command;
    }
}
