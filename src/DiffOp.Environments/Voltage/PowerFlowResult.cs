namespace DiffOp.Environments.Voltage;

/// <summary>What one power-flow solve reports besides the voltages.</summary>
/// <param name="Status">Converged, iteration cap reached, or diverged.</param>
/// <param name="Iterations">Total iterations performed (sweeps plus Newton steps).</param>
/// <param name="Mismatch">Convergence measure of the last iteration of <paramref name="Method"/>: largest |ΔV| (p.u.) for the sweep, largest power mismatch (p.u.) for Newton–Raphson; may be NaN or infinity after a divergence.</param>
/// <param name="Method">The algorithm that produced this result (<see cref="PowerFlowMethod.BackwardForwardSweep"/> or <see cref="PowerFlowMethod.NewtonRaphson"/>).</param>
public readonly record struct PowerFlowResult(PowerFlowStatus Status, int Iterations, double Mismatch, PowerFlowMethod Method)
{
    /// <summary>True when <see cref="Status"/> is <see cref="PowerFlowStatus.Converged"/> and the voltages are valid.</summary>
    public bool Converged => Status == PowerFlowStatus.Converged;
}
