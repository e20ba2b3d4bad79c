using System.CommandLine;
using System.Text.Json;
using DiffOp.Cli.Training;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Commands;

/// <summary>
/// Hidden <c>diffop rollout-worker CONFIG</c>: the worker side of <see cref="ProcessRolloutExecutor"/>. Reads one JSON
/// request per line on stdin, writes one JSON <see cref="RolloutResult"/> per line on stdout, exits at end of input.
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
            var worker = setup.CreateWorker();
            var compact = RunConfig.JsonOptions.WithoutIndent();
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                var request = JsonSerializer.Deserialize<WorkerRequest>(line, RunConfig.JsonOptions)
                              ?? throw new InvalidDataException("Empty rollout request.");
                var result = worker.Run(request.Theta, new RolloutRequest(request.Seed, request.Explore, request.NoiseSeed) { Mirror = request.Mirror, Detail = request.Detail, Tangent = request.Tangent });
                Console.Out.WriteLine(JsonSerializer.Serialize(result, compact));
                Console.Out.Flush();
            }
            return DiffOpCli.Success;
        });
        return command;
    }
}
