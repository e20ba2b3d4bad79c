namespace DiffOp.Control.Nlp;

/// <summary>
/// Whether Ipopt solves may run concurrently in this process. Debian's Ipopt 3.11.9 with sequential
/// MUMPS 5.5 is NOT thread-safe: two concurrent solves abort the process inside MUMPS
/// (dmumps_load.F, "Attempt to DEALLOCATE unallocated 'load_flops'"). So solves are serialized behind
/// one process-wide lock by default, and parallel rollouts use worker processes. See
/// docs/ipopt-thread-safety.md.
/// </summary>
public static class IpoptConcurrency
{
    /// <summary>
    /// True when solves on different threads may run in parallel: only when the environment variable
    /// <c>DIFFOP_IPOPT_PARALLEL=1</c> says the Ipopt build in use is thread-safe (e.g. one linked to a
    /// reentrant linear solver). False by default.
    /// </summary>
    public static bool IsThreadSafe { get; } = Environment.GetEnvironmentVariable("DIFFOP_IPOPT_PARALLEL") == "1";

    /// <summary>The lock that serializes solves when <see cref="IsThreadSafe"/> is false.</summary>
    internal static object Gate => DiffOp.Interop.Ipopt.IpoptProblemHandle.Gate;
}
