namespace DiffOp.Control.Nlp;

/// <summary>
/// A solver could not produce what was asked. When the failure is a solve's outcome, <see cref="Status"/> is its
/// solver-independent status and <see cref="SolverName"/> / <see cref="SolverStatus"/> are the backend's own words for it.
/// </summary>
public class SolverException : Exception
{
    /// <summary>Creates the exception for a failure that is not a solve's outcome.</summary>
    public SolverException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the exception for a solve that ended with <paramref name="status"/>.</summary>
    public SolverException(string message, NlpStatus status, string solverName, string solverStatus, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        SolverName = solverName;
        SolverStatus = solverStatus;
    }

    /// <summary>The failed solve's solver-independent status, if the failure came from a solve.</summary>
    public NlpStatus? Status { get; }

    /// <summary>The backend that failed (<see cref="NlpSolution.SolverName"/>), if the failure came from a solve.</summary>
    public string? SolverName { get; }

    /// <summary>The backend's own name for the outcome (<see cref="NlpSolution.SolverStatus"/>, e.g. Ipopt's "Infeasible_Problem_Detected").</summary>
    public string? SolverStatus { get; }
}

/// <summary>Ipopt refused an option (unknown name, wrong type or value out of range).</summary>
public sealed class IpoptOptionException : SolverException
{
    /// <summary>Creates the exception for option <paramref name="optionName"/>.</summary>
    public IpoptOptionException(string optionName, object value)
        : base($"Ipopt refused option '{optionName}' = {value} (unknown name, wrong type or value out of range). " +
               "See Ipopt's options reference for valid names and ranges; typed settings are on IpoptOptions.")
        => OptionName = optionName;

    /// <summary>The refused option's name.</summary>
    public string OptionName { get; }
}
