namespace DiffOp.Learning.Training;

/// <summary>
/// Runs a batch of rollouts at one θ and returns their results in request order. Implementations may spread the
/// work over threads or processes, but the result of each request must depend only on (θ, request).
/// </summary>
public interface IRolloutExecutor : IDisposable
{
    /// <summary>Number of parallel workers.</summary>
    int WorkerCount { get; }

    /// <summary>Runs every request; the i-th result answers the i-th request.</summary>
    IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests);
}

/// <summary>Runs rollouts one after another on one <see cref="RolloutWorker"/> (Ipopt solves are serialized in-process anyway).</summary>
public sealed class SequentialRolloutExecutor(RolloutWorker worker) : IRolloutExecutor
{
    /// <summary>The worker that runs every rollout.</summary>
    public RolloutWorker Worker { get; } = worker ?? throw new ArgumentNullException(nameof(worker));

    /// <inheritdoc />
    public int WorkerCount => 1;

    /// <inheritdoc />
    public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests) =>
        requests.Select(r => Worker.Run(theta, r)).ToArray();

    /// <summary>Disposes the worker.</summary>
    public void Dispose() => Worker.Dispose();
}
