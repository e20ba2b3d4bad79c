namespace DiffOp.Control.Nlp;

/// <summary>
/// The result of an NLP solve by any <see cref="INlpSolver"/>. Multipliers use Ipopt's convention: the Lagrangian is
/// L = f(x) + λᵀg(x) − z_Lᵀ(x − x_L) + z_Uᵀ(x − x_U) with z_L, z_U ≥ 0, so stationarity reads
/// ∇f + (∂g/∂x)ᵀλ − z_L + z_U = 0. (The OCP layer converts to the paper's sign, L = J − λᵀκ.)
/// </summary>
public sealed record NlpSolution
{
    /// <summary>The solver-independent outcome.</summary>
    public required NlpStatus Status { get; init; }

    /// <summary>The backend that produced this solution (<see cref="INlpSolver.Name"/>, e.g. "Ipopt" or "StructuredQp").</summary>
    public required string SolverName { get; init; }

    /// <summary>
    /// The backend's own name for the outcome, for messages and logs (Ipopt: its return code, e.g. "Solve_Succeeded";
    /// <see cref="IpoptStatus.TryGet"/> gives the code itself). Decide on <see cref="Status"/>, which does not depend on the backend.
    /// </summary>
    public required string SolverStatus { get; init; }

    /// <summary>Final x (length n).</summary>
    public required double[] X { get; init; }

    /// <summary>f at the final x.</summary>
    public required double Objective { get; init; }

    /// <summary>g at the final x (length m).</summary>
    public required double[] Constraints { get; init; }

    /// <summary>λ (length m), Ipopt's sign (L = f + λᵀg).</summary>
    public required double[] ConstraintMultipliers { get; init; }

    /// <summary>z_L ≥ 0 (length n).</summary>
    public required double[] LowerBoundMultipliers { get; init; }

    /// <summary>z_U ≥ 0 (length n).</summary>
    public required double[] UpperBoundMultipliers { get; init; }

    /// <summary>Iterations the backend took (Ipopt: counted by its intermediate callback).</summary>
    public required int Iterations { get; init; }

    /// <summary>Wall time of the solve call.</summary>
    public required TimeSpan SolveTime { get; init; }

    /// <summary>True for <see cref="NlpStatus.Solved"/> and <see cref="NlpStatus.SolvedToAcceptableLevel"/>.</summary>
    public bool IsSuccess => Status is NlpStatus.Solved or NlpStatus.SolvedToAcceptableLevel;

    /// <summary>Throws <see cref="SolverException"/> unless the solve succeeded; returns this for chaining.</summary>
    public NlpSolution EnsureSuccess() =>
        IsSuccess ? this : throw new SolverException(
            $"The NLP solve failed with status {Status} ({SolverName}: {SolverStatus}) after {Iterations} iterations.", Status, SolverName, SolverStatus);
}
