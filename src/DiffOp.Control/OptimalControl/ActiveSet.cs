namespace DiffOp.Control.OptimalControl;

/// <summary>Which kind of inequality an <see cref="ActiveConstraint"/> is.</summary>
public enum ConstraintKind
{
    /// <summary>A path constraint row g(x_t,u_t) ≤ 0.</summary>
    Path,
    /// <summary>A terminal constraint row g_H(x_H) ≤ 0.</summary>
    Terminal,
    /// <summary>A lower variable bound ζ_j ≥ lower.</summary>
    LowerBound,
    /// <summary>An upper variable bound ζ_j ≤ upper.</summary>
    UpperBound,
}

/// <summary>
/// One inequality at the solution. <see cref="Multiplier"/> is in the paper's sign (L = J − λᵀκ, where the
/// active row is written κ = g, or κ = e_jᵀζ − bound for bounds): ≤ 0 for rows g ≤ 0 and upper bounds,
/// ≥ 0 for lower bounds. <see cref="Slack"/> ≥ 0 is the distance to the constraint (−g, or |ζ_j − bound|).
/// </summary>
/// <param name="Kind">Row or bound kind.</param>
/// <param name="Stage">Stage t (0..H−1 for path rows and control bounds, 1..H for state bounds, H for terminal rows).</param>
/// <param name="Index">Row within the stage's path/terminal rows, or component within z_t = (x_t, u_t) for bounds.</param>
/// <param name="TrajectoryIndex">For bounds, the index j in ζ; for rows, the NLP row.</param>
/// <param name="Slack">Distance to the constraint.</param>
/// <param name="Multiplier">Multiplier in the paper's sign.</param>
public readonly record struct ActiveConstraint(ConstraintKind Kind, int Stage, int Index, int TrajectoryIndex, double Slack, double Multiplier);

/// <summary>
/// The inequalities that hold with equality at a solution: <see cref="Active"/> (|slack| ≤ tol_active and
/// |multiplier| > tol_mult: treated as equalities by the sensitivities) and <see cref="WeaklyActive"/>
/// (|slack| ≤ tol_active but |multiplier| ≤ tol_mult: the derivative is one-sided there; they are reported,
/// never silently treated as equalities, and count as inactive).
/// </summary>
public sealed class ActiveSet
{
    /// <summary>Creates the set.</summary>
    public ActiveSet(IReadOnlyList<ActiveConstraint> active, IReadOnlyList<ActiveConstraint> weaklyActive)
    {
        Active = active;
        WeaklyActive = weaklyActive;
    }

    /// <summary>Strongly active constraints.</summary>
    public IReadOnlyList<ActiveConstraint> Active { get; }

    /// <summary>Constraints at their bound with a (near-)zero multiplier.</summary>
    public IReadOnlyList<ActiveConstraint> WeaklyActive { get; }

    /// <summary>True when some constraint is weakly active (the solution map is not differentiable there).</summary>
    public bool IsDegenerate => WeaklyActive.Count > 0;

    /// <inheritdoc />
    public override string ToString() => $"{Active.Count} active, {WeaklyActive.Count} weakly active";
}
