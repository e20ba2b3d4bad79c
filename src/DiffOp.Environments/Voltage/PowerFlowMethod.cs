namespace DiffOp.Environments.Voltage;

/// <summary>Which algorithm <see cref="PowerFlow"/> uses.</summary>
public enum PowerFlowMethod
{
    /// <summary>
    /// Backward/forward sweep first (cheap, converges for ordinary loadings); when it does not converge,
    /// a damped Newton–Raphson from a flat start decides (it also converges close to the maximum
    /// loadability, where the sweep stops contracting). The default.
    /// </summary>
    Automatic = 0,

    /// <summary>Backward/forward sweep only.</summary>
    BackwardForwardSweep = 1,

    /// <summary>Damped Newton–Raphson (polar coordinates, backtracking on the mismatch) only.</summary>
    NewtonRaphson = 2,
}
