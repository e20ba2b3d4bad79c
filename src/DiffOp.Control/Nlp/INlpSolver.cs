namespace DiffOp.Control.Nlp;

/// <summary>
/// A solver of <see cref="INlpProblem"/>s: the seam between the OCP layer and a numerical backend. Ipopt
/// (<see cref="IpoptSolver"/>) is the built-in implementation; another backend plugs into an
/// <see cref="OptimalControl.OcpSolver"/> through <see cref="OptimalControl.OcpSolverOptions.NlpSolver"/>.
/// </summary>
/// <remarks>
/// Contract: a failed solve is a status in the returned <see cref="NlpSolution"/> (<see cref="NlpSolution.Status"/>,
/// with the backend's own name for it in <see cref="NlpSolution.SolverStatus"/>), not an exception; multipliers use
/// the sign convention documented on <see cref="NlpSolution"/>. An implementation is configured when it is created
/// and may be shared by several threads: <see cref="Solve"/> and <see cref="CreateSession"/> may run concurrently,
/// while one session is used by one thread at a time.
/// </remarks>
public interface INlpSolver
{
    /// <summary>The backend's name, as it appears in <see cref="NlpSolution.SolverName"/> (e.g. "Ipopt").</summary>
    string Name { get; }

    /// <summary>Solves <paramref name="problem"/> once from <paramref name="start"/> (a primal-dual warm start when it carries multipliers).</summary>
    /// <exception cref="ArgumentException">The start does not fit the problem.</exception>
    NlpSolution Solve(INlpProblem problem, NlpStartPoint start);

    /// <summary>
    /// Prepares repeated solves of <paramref name="problem"/>, whose dimensions, structure and bounds stay fixed while
    /// the data behind its functions may change between solves (how the OCP layer uses it: one session per OCP solver).
    /// </summary>
    INlpSession CreateSession(INlpProblem problem);
}

/// <summary>Repeated solves of one <see cref="INlpProblem"/> by one <see cref="INlpSolver"/>; used by one thread at a time. Dispose it to free what it holds.</summary>
public interface INlpSession : IDisposable
{
    /// <summary>Solves from <paramref name="start"/> (a primal-dual warm start when it carries multipliers).</summary>
    /// <exception cref="ArgumentException">The start does not fit the problem.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    NlpSolution Solve(NlpStartPoint start);
}
