namespace DiffOp.Environments.Voltage;

/// <summary>Numerical settings of the <see cref="PowerFlow"/> backward/forward sweep.</summary>
public sealed record PowerFlowOptions
{
    /// <summary>The algorithm. Default <see cref="PowerFlowMethod.Automatic"/> (sweep, then Newton–Raphson if the sweep fails).</summary>
    public PowerFlowMethod Method { get; init; } = PowerFlowMethod.Automatic;

    /// <summary>
    /// Convergence tolerance, in p.u.: on the largest complex bus-voltage change between two sweeps
    /// (backward/forward sweep) or on the largest active/reactive power mismatch (Newton–Raphson).
    /// Default 1e-10. Must be positive and finite.
    /// </summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>
    /// Iteration cap of each algorithm (sweeps, or Newton steps): a solve stops with
    /// <see cref="PowerFlowStatus.IterationLimit"/> after this many. Default 200 (the sweep needs about
    /// 5–30 on ordinary cases of the 13-bus feeder, Newton–Raphson about 3–10). Must be ≥ 1.
    /// </summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>
    /// Lower divergence guard on |V| (p.u.): an iterate below it stops the solve with
    /// <see cref="PowerFlowStatus.Diverged"/>. Default 0.1. Must be in [0, <see cref="MaxVoltage"/>).
    /// </summary>
    public double MinVoltage { get; init; } = 0.1;

    /// <summary>
    /// Upper divergence guard on |V| (p.u.): an iterate above it stops the solve with
    /// <see cref="PowerFlowStatus.Diverged"/>. Default 10. Must be finite and above <see cref="MinVoltage"/>.
    /// </summary>
    public double MaxVoltage { get; init; } = 10.0;

    /// <summary>The defaults (automatic method, tolerance 1e-10, 200 iterations, divergence band [0.1, 10] p.u.).</summary>
    public static PowerFlowOptions Default { get; } = new();

    /// <summary>Checks every field; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    /// <exception cref="ArgumentException">A field is non-finite or out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentException($"PowerFlowOptions.Method must be one of {string.Join(", ", Enum.GetNames<PowerFlowMethod>())}, got {(int)Method}.", nameof(Method));
        }

        if (!double.IsFinite(Tolerance) || Tolerance <= 0)
        {
            throw new ArgumentException($"PowerFlowOptions.Tolerance must be positive and finite, got {Tolerance}.", nameof(Tolerance));
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentException($"PowerFlowOptions.MaxIterations must be at least 1, got {MaxIterations}.", nameof(MaxIterations));
        }

        if (!double.IsFinite(MinVoltage) || MinVoltage < 0)
        {
            throw new ArgumentException($"PowerFlowOptions.MinVoltage must be finite and non-negative, got {MinVoltage}.", nameof(MinVoltage));
        }

        if (!double.IsFinite(MaxVoltage) || MaxVoltage <= MinVoltage)
        {
            throw new ArgumentException(
                $"PowerFlowOptions.MaxVoltage must be finite and above MinVoltage ({MinVoltage}), got {MaxVoltage}.", nameof(MaxVoltage));
        }
    }
}
