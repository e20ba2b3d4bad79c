using System.Text.Json;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Workers;

/// <summary>
/// The worker side of <see cref="ProcessRolloutExecutor"/>, for your own program: started as a worker (see
/// <see cref="IsWorker"/>), it builds its <see cref="RolloutWorker"/> — the same environment and policy the trainer's
/// process would build — and answers rollout requests until its input ends.
/// </summary>
/// <example>
/// <code>
/// static int Main(string[] args)
/// {
///     if (RolloutWorkerHost.IsWorker(args)) return RolloutWorkerHost.Serve(CreateWorker);
///     using var executor = new ProcessRolloutExecutor(ProcessWorkerStart.ThisProgram(), workers: 2);
///     …
/// }
/// </code>
/// </example>
public static class RolloutWorkerHost
{
    /// <summary>The command-line argument that <see cref="ProcessWorkerStart.ThisProgram"/> adds and <see cref="IsWorker"/> looks for.</summary>
    public const string WorkerArgument = "--diffop-rollout-worker";

    /// <summary>True when this process was started as a rollout worker (its arguments contain <see cref="WorkerArgument"/>).</summary>
    public static bool IsWorker(IEnumerable<string> args) => args?.Contains(WorkerArgument) ?? false;

    /// <summary>Serves requests from stdin to stdout with the worker <paramref name="createWorker"/> builds; returns 0 at end of input.</summary>
    public static int Serve(Func<RolloutWorker> createWorker) => Serve(createWorker, Console.In, Console.Out);

    /// <summary>
    /// Serves requests from <paramref name="input"/> to <paramref name="output"/>, one JSON line each, after a first line that
    /// says the worker is ready; returns 0 at end of input.
    /// </summary>
    /// <exception cref="InvalidDataException">A request line is not a valid request.</exception>
    public static int Serve(Func<RolloutWorker> createWorker, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(createWorker);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var worker = createWorker() ?? throw new InvalidOperationException("createWorker returned null.");
        output.WriteLine(WorkerProtocol.ReadyLine);
        output.Flush();
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            WorkerRequest request;
            try
            {
                request = JsonSerializer.Deserialize<WorkerRequest>(line, WorkerProtocol.Json) ?? throw new InvalidDataException("Empty rollout request.");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"Not a rollout request: {ex.Message}", ex);
            }
            var result = worker.Run(request.Theta, request.ToRequest());
            output.WriteLine(JsonSerializer.Serialize(result, WorkerProtocol.Json));
            output.Flush();
        }
        return 0;
    }
}
