using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Nlp;

/// <summary>A solver could not produce what was asked; <see cref="RawStatus"/> is Ipopt's code when there is one.</summary>
public class SolverException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SolverException(string message, ApplicationReturnStatus? rawStatus = null, Exception? inner = null)
        : base(message, inner) => RawStatus = rawStatus;

    /// <summary>Ipopt's return code, if the failure came from a solve.</summary>
    public ApplicationReturnStatus? RawStatus { get; }
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
