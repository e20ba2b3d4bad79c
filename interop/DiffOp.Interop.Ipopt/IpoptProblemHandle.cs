using Microsoft.Win32.SafeHandles;

namespace DiffOp.Interop.Ipopt;

/// <summary>
/// Owns one native <c>IpoptProblem</c>; releasing it calls <c>FreeIpoptProblem</c>.
/// <see cref="LiveCount"/> counts handles that were created and not yet released (leak checks in tests).
/// </summary>
internal sealed class IpoptProblemHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private static long _liveCount;

    /// <summary>
    /// The process-wide lock around Ipopt calls that touch the linear solver (MUMPS keeps global state). Freeing a
    /// problem takes it too, so a finalizer-run release cannot race a solve on another thread.
    /// </summary>
    internal static readonly object Gate = new();

    /// <summary>Number of problem handles currently alive in this process.</summary>
    public static long LiveCount => Interlocked.Read(ref _liveCount);

    /// <summary>Used by the marshaller when a native call returns a new problem.</summary>
    public IpoptProblemHandle() : base(ownsHandle: true) => Interlocked.Increment(ref _liveCount);

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        lock (Gate) IpoptNative.FreeIpoptProblem(handle);
        Interlocked.Decrement(ref _liveCount);
        return true;
    }

    /// <summary>Called when the marshaller created the object but the native call returned null.</summary>
    internal void MarkNeverOpened() => Interlocked.Decrement(ref _liveCount);
}
