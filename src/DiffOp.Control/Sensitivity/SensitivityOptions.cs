namespace DiffOp.Control.Sensitivity;

/// <summary>Settings of the sensitivity solvers.</summary>
public sealed record SensitivityOptions
{
    /// <summary>
    /// Tikhonov damping δ ≥ 0 added to the diagonal of D = ∂²L/∂ζ². Off (0) by default: the KKT solve is exact
    /// without it; δ &gt; 0 trades an O(δ) bias for robustness (docs/sensitivity.md).
    /// </summary>
    public double Damping { get; init; }

    /// <summary>A pivot below this fraction of the largest KKT entry is treated as zero (singular system). Default 1e-13.</summary>
    public double RelativePivotTolerance { get; init; } = 1e-13;

    /// <summary>Throws <see cref="ArgumentException"/> naming an invalid setting.</summary>
    public void Validate()
    {
        if (!(Damping >= 0) || !double.IsFinite(Damping))
            throw new ArgumentException($"SensitivityOptions.Damping must be finite and ≥ 0, got {Damping}.", nameof(Damping));
        if (!(RelativePivotTolerance > 0) || RelativePivotTolerance >= 1)
            throw new ArgumentException($"SensitivityOptions.RelativePivotTolerance must be in (0, 1), got {RelativePivotTolerance}.", nameof(RelativePivotTolerance));
    }
}
