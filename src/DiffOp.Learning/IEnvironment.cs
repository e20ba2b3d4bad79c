namespace DiffOp.Learning;

/// <summary>
/// A true system to control: a simulator with its true parameters and true stage cost (plain double
/// arithmetic). Reset with a seed gives the initial state; each step applies a control and returns the
/// true stage cost. Implementations are not thread-safe: use one instance per rollout worker.
/// </summary>
/// <remarks>Hot path: <see cref="Step"/> must not allocate.</remarks>
public interface IEnvironment
{
    /// <summary>Short name used on the command line (e.g. "cartpole", "voltage").</summary>
    string Name { get; }

    /// <summary>State dimension n.</summary>
    int StateCount { get; }

    /// <summary>Control dimension m.</summary>
    int ControlCount { get; }

    /// <summary>Number of steps of a training episode T.</summary>
    int EpisodeLength { get; }

    /// <summary>Starts an episode: the same seed always gives the same initial state (written into <paramref name="state"/>, length n).</summary>
    void Reset(int seed, Span<double> state);

    /// <summary>Applies <paramref name="control"/> (length m) to the current state; writes the next state (length n).</summary>
    StepResult Step(ReadOnlySpan<double> control, Span<double> nextState);

    /// <summary>
    /// Length of the per-episode context: data that is fixed during an episode but changes between episodes (a reference,
    /// a goal, a load level) and that the policy's OCP takes as its context p (<c>OcpBuilder.AddContext</c>). 0 (the
    /// default) when the environment has none; then the policy keeps its own fixed context.
    /// </summary>
    int ContextCount => 0;

    /// <summary>
    /// Writes the context of the episode that the last <see cref="Reset"/> started (length <see cref="ContextCount"/>),
    /// in the order of the policy OCP's context blocks. The same seed always gives the same context.
    /// </summary>
    /// <exception cref="InvalidOperationException">The environment has no context (the default implementation).</exception>
    void WriteContext(Span<double> context)
    {
        if (context.Length != 0)
            throw new InvalidOperationException($"Environment '{Name}' has no per-episode context (ContextCount = 0); implement ContextCount and WriteContext to supply one.");
    }
}

/// <summary>What one environment step returns.</summary>
/// <param name="Cost">The true stage cost c_t of this step (lower is better).</param>
/// <param name="Done">True when the episode ended at this step (length reached or a failure).</param>
/// <param name="Failed">True when the simulator could not compute the step (e.g. a power flow without solution); the cost then holds the documented penalty.</param>
public readonly record struct StepResult(double Cost, bool Done, bool Failed);
