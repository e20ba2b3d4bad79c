namespace DiffOp.Control.Nlp;

/// <summary>
/// Where a solve starts: the primal point, and optionally the multipliers of a previous solution for
/// a primal-dual warm start (Ipopt's <c>warm_start_init_point</c>). Multipliers use Ipopt's raw
/// convention (as in <see cref="NlpSolution"/>). Give all three multiplier arrays or none.
/// </summary>
public sealed record NlpStartPoint
{
    /// <summary>Initial x (length n).</summary>
    public required double[] X { get; init; }

    /// <summary>Initial constraint multipliers λ (length m), or null for a primal-only start.</summary>
    public double[]? ConstraintMultipliers { get; init; }

    /// <summary>Initial lower-bound multipliers z_L ≥ 0 (length n), or null.</summary>
    public double[]? LowerBoundMultipliers { get; init; }

    /// <summary>Initial upper-bound multipliers z_U ≥ 0 (length n), or null.</summary>
    public double[]? UpperBoundMultipliers { get; init; }

    /// <summary>True when the start carries multipliers, i.e. a primal-dual warm start.</summary>
    public bool HasMultipliers => ConstraintMultipliers is not null;

    /// <summary>A primal-dual warm start from a previous solution of a problem with the same dimensions.</summary>
    public static NlpStartPoint FromSolution(NlpSolution previous) => new()
    {
        X = (double[])previous.X.Clone(),
        ConstraintMultipliers = (double[])previous.ConstraintMultipliers.Clone(),
        LowerBoundMultipliers = (double[])previous.LowerBoundMultipliers.Clone(),
        UpperBoundMultipliers = (double[])previous.UpperBoundMultipliers.Clone(),
    };
}
