using System.Collections.Frozen;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Nlp;

/// <summary>
/// Ipopt's own return codes behind the backend-neutral <see cref="NlpSolution.SolverStatus"/>: the name of a code, the
/// code of an Ipopt solution, and how a code maps to the solver-independent <see cref="NlpStatus"/>.
/// </summary>
public static class IpoptStatus
{
    /// <summary>Every defined code's name, made once so that a solve never formats an enum.</summary>
    private static readonly FrozenDictionary<ApplicationReturnStatus, string> Names =
        Enum.GetValues<ApplicationReturnStatus>().Distinct().ToFrozenDictionary(s => s, s => s.ToString());

    /// <summary>The name of <paramref name="status"/> as Ipopt spells it (e.g. "Solve_Succeeded"); cached for the defined codes.</summary>
    public static string Name(ApplicationReturnStatus status) => Names.TryGetValue(status, out var name) ? name : status.ToString();

    /// <summary>
    /// Ipopt's return code of <paramref name="solution"/> when Ipopt produced it (<see cref="NlpSolution.SolverName"/> is
    /// <see cref="IpoptSolver.BackendName"/>); false for a solution of another backend.
    /// </summary>
    public static bool TryGet(NlpSolution solution, out ApplicationReturnStatus status)
    {
        ArgumentNullException.ThrowIfNull(solution);
        status = default;
        return solution.SolverName == IpoptSolver.BackendName && Enum.TryParse(solution.SolverStatus, out status);
    }

    /// <summary>The solver-independent outcome of Ipopt's <paramref name="raw"/> code.</summary>
    public static NlpStatus Classify(ApplicationReturnStatus raw) => raw switch
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
