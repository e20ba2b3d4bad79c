using DiffOp.Control.Nlp;

namespace DiffOp.Control.Ocp;

/// <summary>Settings of an <see cref="OcpSolver"/>.</summary>
public sealed record OcpSolverOptions
{
    /// <summary>Ipopt settings (default tol 1e-8: gradients need an accurate KKT point).</summary>
    public IpoptOptions Ipopt { get; init; } = new();

    /// <summary>tol_active: an inequality is at its bound when its slack is at most this. Default 1e-6.</summary>
    public double ActiveSlackTolerance { get; init; } = 1e-6;

    /// <summary>tol_mult: an inequality at its bound is active when |multiplier| exceeds this, else weakly active. Default 1e-6.</summary>
    public double ActiveMultiplierTolerance { get; init; } = 1e-6;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Ipopt, nameof(Ipopt));
        Ipopt.Validate();
        if (!(ActiveSlackTolerance > 0) || !double.IsFinite(ActiveSlackTolerance))
            throw new ArgumentException($"ActiveSlackTolerance must be positive and finite, got {ActiveSlackTolerance}.", nameof(ActiveSlackTolerance));
        if (!(ActiveMultiplierTolerance > 0) || !double.IsFinite(ActiveMultiplierTolerance))
            throw new ArgumentException($"ActiveMultiplierTolerance must be positive and finite, got {ActiveMultiplierTolerance}.", nameof(ActiveMultiplierTolerance));
    }
}
