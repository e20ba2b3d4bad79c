namespace DiffOp.Symbolic;

/// <summary>
/// Error raised by the symbolic core: differentiation with respect to a non-symbol, free symbols in a
/// <see cref="Function"/>, wrong input sizes at evaluation, non-finite results. The message names the
/// function, symbol or input involved, what was expected and what was received.
/// </summary>
public class SymbolicException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public SymbolicException()
        : base("A symbolic operation failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What failed, what was expected, what was received and the likely fix.</param>
    public SymbolicException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">What failed, what was expected, what was received and the likely fix.</param>
    /// <param name="innerException">The underlying cause.</param>
    public SymbolicException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
