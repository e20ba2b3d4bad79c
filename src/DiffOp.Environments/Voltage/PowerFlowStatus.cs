namespace DiffOp.Environments.Voltage;

/// <summary>Outcome of one <see cref="PowerFlow.Solve"/> call.</summary>
public enum PowerFlowStatus
{
    /// <summary>The sweep converged: the largest voltage update fell below the tolerance.</summary>
    Converged = 0,

    /// <summary>The iteration cap was reached before the tolerance was met (no usable solution).</summary>
    IterationLimit = 1,

    /// <summary>
    /// The iterates left the plausible range (a voltage magnitude outside the configured band, or a NaN /
    /// infinity), the Newton–Raphson Jacobian became singular, or its damped step could no longer reduce
    /// the mismatch: typically a loading beyond the feeder's maximum transfer, for which no solution exists.
    /// </summary>
    Diverged = 2,
}
