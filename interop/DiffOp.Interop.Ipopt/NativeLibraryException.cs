namespace DiffOp.Interop.Ipopt;

/// <summary>Ipopt's shared library could not be loaded; the message lists what was tried and how to fix it.</summary>
public sealed class NativeLibraryException : Exception
{
    /// <summary>Creates the exception with a message that says what to check.</summary>
    public NativeLibraryException(string message, Exception? inner = null) : base(message, inner) { }
}
