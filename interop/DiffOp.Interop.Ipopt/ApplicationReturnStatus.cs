namespace DiffOp.Interop.Ipopt;

/// <summary>
/// Ipopt's <c>ApplicationReturnStatus</c> (IpReturnCodes_inc.h), verbatim: the outcome of <c>IpoptSolve</c>.
/// Non-negative values are (possibly partial) successes; negative values are failures.
/// </summary>
public enum ApplicationReturnStatus
{
    /// <summary>Converged to a point satisfying the KKT conditions within <c>tol</c>.</summary>
    Solve_Succeeded = 0,
    /// <summary>Converged only to the looser <c>acceptable_tol</c> criteria.</summary>
    Solved_To_Acceptable_Level = 1,
    /// <summary>The restoration phase converged to a point of local infeasibility.</summary>
    Infeasible_Problem_Detected = 2,
    /// <summary>The search direction became too small to make progress.</summary>
    Search_Direction_Becomes_Too_Small = 3,
    /// <summary>The iterates diverged (|x| grew beyond <c>diverging_iterates_tol</c>).</summary>
    Diverging_Iterates = 4,
    /// <summary>The intermediate callback asked Ipopt to stop.</summary>
    User_Requested_Stop = 5,
    /// <summary>A feasible point was found (square problems only).</summary>
    Feasible_Point_Found = 6,
    /// <summary>The iteration limit <c>max_iter</c> was reached.</summary>
    Maximum_Iterations_Exceeded = -1,
    /// <summary>The restoration phase failed.</summary>
    Restoration_Failed = -2,
    /// <summary>The linear system of a step could not be solved.</summary>
    Error_In_Step_Computation = -3,
    /// <summary>The CPU time limit <c>max_cpu_time</c> was reached.</summary>
    Maximum_CpuTime_Exceeded = -4,
    /// <summary>More equality constraints than variables.</summary>
    Not_Enough_Degrees_Of_Freedom = -10,
    /// <summary>The problem definition is inconsistent (e.g. a lower bound above its upper bound).</summary>
    Invalid_Problem_Definition = -11,
    /// <summary>An option was invalid.</summary>
    Invalid_Option = -12,
    /// <summary>A callback returned false or a non-finite number.</summary>
    Invalid_Number_Detected = -13,
    /// <summary>Ipopt caught an exception it could not recover from.</summary>
    Unrecoverable_Exception = -100,
    /// <summary>A non-Ipopt exception was thrown (inside Ipopt or a callback).</summary>
    NonIpopt_Exception_Thrown = -101,
    /// <summary>Memory allocation failed.</summary>
    Insufficient_Memory = -102,
    /// <summary>Ipopt's internal error.</summary>
    Internal_Error = -199,
}
