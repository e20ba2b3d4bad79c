using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Nlp;

/// <summary>
/// The result of an NLP solve. Multipliers are Ipopt's raw ones: the Lagrangian is
/// L = f(x) + λᵀg(x) − z_Lᵀ(x − x_L) + z_Uᵀ(x − x_U) with z_L, z_U ≥ 0, so stationarity reads
/// ∇f + (∂g/∂x)ᵀλ − z_L + z_U = 0. (The OCP layer converts to the paper's sign, L = J − λᵀκ.)
/// </summary>
public sealed record NlpSolution
{
    /// <summary>The solver-independent outcome.</summary>
    public required NlpStatus Status { get; init; }

    /// <summary>Ipopt's return code.</summary>
    public required ApplicationReturnStatus RawStatus { get; init; }

    /// <summary>Final x (length n).</summary>
    public required double[] X { get; init; }

    /// <summary>f at the final x.</summary>
    public required double Objective { get; init; }

    /// <summary>g at the final x (length m).</summary>
    public required double[] Constraints { get; init; }

    /// <summary>λ (length m), Ipopt's sign.</summary>
    public required double[] ConstraintMultipliers { get; init; }

    /// <summary>z_L ≥ 0 (length n).</summary>
    public required double[] LowerBoundMultipliers { get; init; }

    /// <summary>z_U ≥ 0 (length n).</summary>
    public required double[] UpperBoundMultipliers { get; init; }

    /// <summary>Iterations counted by the intermediate callback.</summary>
    public required int Iterations { get; init; }

    /// <summary>Wall time of the solve call.</summary>
    public required TimeSpan SolveTime { get; init; }

    /// <summary>True for <see cref="NlpStatus.Solved"/> and <see cref="NlpStatus.SolvedToAcceptableLevel"/>.</summary>
    public bool IsSuccess => Status is NlpStatus.Solved or NlpStatus.SolvedToAcceptableLevel;

    /// <summary>Throws <see cref="SolverException"/> unless the solve succeeded; returns this for chaining.</summary>
    public NlpSolution EnsureSuccess() =>
        IsSuccess ? this : throw new SolverException($"The NLP solve failed with status {Status} (Ipopt: {RawStatus}) after {Iterations} iterations.", RawStatus);

    internal static NlpStatus Classify(ApplicationReturnStatus raw) => raw switch
    {
        ApplicationReturnStatus.Solve_Succeeded => NlpStatus.Solved,
        ApplicationReturnStatus.Solved_To_Acceptable_Level => NlpStatus.SolvedToAcceptableLevel,
        ApplicationReturnStatus.Feasible_Point_Found => NlpStatus.Solved,
        ApplicationReturnStatus.Infeasible_Problem_Detected => NlpStatus.Infeasible,
        ApplicationReturnStatus.Maximum_Iterations_Exceeded or ApplicationReturnStatus.Maximum_CpuTime_Exceeded => NlpStatus.LimitReached,
        ApplicationReturnStatus.Invalid_Number_Detected or ApplicationReturnStatus.NonIpopt_Exception_Thrown => NlpStatus.EvaluationError,
        ApplicationReturnStatus.User_Requested_Stop => NlpStatus.Stopped,
        ApplicationReturnStatus.Not_Enough_Degrees_Of_Freedom or ApplicationReturnStatus.Invalid_Problem_Definition
            or ApplicationReturnStatus.Invalid_Option => NlpStatus.InvalidProblem,
        _ => NlpStatus.NumericalFailure,
    };
}
