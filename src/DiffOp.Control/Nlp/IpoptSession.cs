using System.Diagnostics;
using System.Runtime.InteropServices;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Nlp;

/// <summary>
/// One native Ipopt problem kept for repeated solves of the same <see cref="INlpProblem"/> (same dimensions,
/// structure and bounds; the problem's functions may depend on data that changes between solves). Reusing it
/// saves creating Ipopt's application and option tables on every solve. Not thread-safe: one session per
/// thread. Dispose it to free the native problem (a finalizer frees it otherwise).
/// </summary>
public sealed class IpoptSession : INlpSession
{
    private readonly IpoptSolver _solver;
    private readonly INlpProblem _problem;
    private readonly IpoptProblemHandle _handle;
    private readonly int _n, _m;

    internal IpoptSession(IpoptSolver solver, INlpProblem problem)
    {
        _solver = solver;
        _problem = problem;
        _n = problem.VariableCount;
        _m = problem.ConstraintCount;
        var xL = new double[_n]; var xU = new double[_n]; var gL = new double[_m]; var gU = new double[_m];
        problem.GetBounds(xL, xU, gL, gU);
        IpoptSolver.ValidateBounds(xL, xU, "variable");
        IpoptSolver.ValidateBounds(gL, gU, "constraint");
        IpoptLibrary.EnsureLoaded();
        lock (IpoptConcurrency.Gate) _handle = IpoptSolver.CreateProblem(problem, xL, xU, gL, gU);
    }

    /// <summary>The problem this session solves.</summary>
    public INlpProblem Problem => _problem;

    /// <summary>Solves from <paramref name="start"/> (a primal-dual warm start when it carries multipliers).</summary>
    /// <exception cref="ArgumentException">Wrong start length or a non-finite start.</exception>
    /// <exception cref="IpoptOptionException">Ipopt refused an option.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public unsafe NlpSolution Solve(NlpStartPoint start)
    {
        ArgumentNullException.ThrowIfNull(start);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        IpoptSolver.ValidateStart(start, _n, _m);
        var x = (double[])start.X.Clone();
        var g = new double[_m];
        var lambda = start.ConstraintMultipliers is null ? new double[_m] : (double[])start.ConstraintMultipliers.Clone();
        var zL = start.LowerBoundMultipliers is null ? new double[_n] : (double[])start.LowerBoundMultipliers.Clone();
        var zU = start.UpperBoundMultipliers is null ? new double[_n] : (double[])start.UpperBoundMultipliers.Clone();
        double objective = double.NaN;
        var context = new IpoptSolveContext(_problem, _solver.Options.Progress);
        var stopwatch = Stopwatch.StartNew();
        ApplicationReturnStatus raw;

        var gate = IpoptConcurrency.IsThreadSafe ? null : IpoptConcurrency.Gate;
        if (gate is not null) Monitor.Enter(gate);
        GCHandle contextHandle = GCHandle.Alloc(context);
        try
        {
            _solver.ApplyOptions(_handle, start.HasMultipliers);
            IpoptNative.SetIntermediateCallback(_handle, &IpoptCallbacks.Intermediate);
            fixed (double* px = x, pg = g, pl = lambda, pzl = zL, pzu = zU)
            {
                raw = IpoptNative.IpoptSolve(_handle, px, pg, &objective, pl, pzl, pzu, GCHandle.ToIntPtr(contextHandle));
            }
        }
        finally
        {
            contextHandle.Free();
            if (gate is not null) Monitor.Exit(gate);
        }
        stopwatch.Stop();
        context.Captured?.Throw();

        return new NlpSolution
        {
            Status = IpoptStatus.Classify(raw), SolverName = IpoptSolver.BackendName, SolverStatus = IpoptStatus.Name(raw), X = x, Objective = objective, Constraints = g,
            ConstraintMultipliers = lambda, LowerBoundMultipliers = zL, UpperBoundMultipliers = zU,
            Iterations = context.Iterations, SolveTime = stopwatch.Elapsed,
        };
    }

    /// <summary>Frees the native problem.</summary>
    public void Dispose() => _handle.Dispose();
}
