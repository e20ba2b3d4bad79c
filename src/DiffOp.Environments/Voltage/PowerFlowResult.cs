namespace DiffOp.Environments.Voltage;

/// <summary>What one power-flow solve reports besides the voltages.</summary>
/// <param name="Status">Converged, iteration cap reached, or diverged.</param>
/// <param name="Iterations">Number of backward/forward sweeps performed.</param>
/// <param name="Mismatch">Largest complex voltage change |ΔV| (p.u.) of the last sweep; NaN or infinity after a divergence.</param>
public readonly record struct PowerFlowResult(PowerFlowStatus Status, int Iterations, double Mismatch)
{
    /// <summary>True when <see cref="Status"/> is <see cref="PowerFlowStatus.Converged"/> and the voltages are valid.</summary>
    public bool Converged => Status == PowerFlowStatus.Converged;
}
