using System.CommandLine;
using DiffOp.Cli.Training;
using DiffOp.Learning.Workers;

namespace DiffOp.Cli.Commands;

/// <summary>
/// Hidden <c>diffop rollout-worker CONFIG</c>: the worker side of the CLI's <see cref="CliWorkerPool"/> — the library's
/// <see cref="RolloutWorkerHost"/> with the environment and policy the run configuration describes.
/// </summary>
internal static class RolloutWorkerCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Path of the run configuration (written by the parent process)." };
        var command = new Command("rollout-worker", "Internal: answers rollout requests on stdin (used by 'train --workers').") { config };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var setup = new TrainingSetup(RunConfig.Load(parse.GetRequiredValue(config)));
            RolloutWorkerHost.Serve(setup.CreateWorker);
            return DiffOpCli.Success;
        });
        return command;
    }
}
