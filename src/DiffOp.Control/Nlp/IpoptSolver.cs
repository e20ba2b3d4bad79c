using System.Diagnostics;
using System.Runtime.InteropServices;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Nlp;

/// <summary>
/// Solves an <see cref="INlpProblem"/> with Ipopt. Stateless apart from its options, so one instance
/// may be shared; every solve creates and frees its own native problem.
/// </summary>
/// <remarks>
/// Concurrency: solves on different threads run in parallel only when <see cref="IpoptConcurrency.IsThreadSafe"/>
/// is true (see docs/ipopt-thread-safety.md); otherwise they are serialized behind one process-wide lock.
/// </remarks>
public sealed class IpoptSolver
{
    private const double IpoptInfinity = 1e20;

    /// <summary>Creates a solver with the given options (defaults when null).</summary>
    public IpoptSolver(IpoptOptions? options = null)
    {
        Options = options ?? new IpoptOptions();
        Options.Validate();
    }

    /// <summary>The options applied to every solve.</summary>
    public IpoptOptions Options { get; }

    /// <summary>Solves from the primal start <paramref name="x0"/>.</summary>
    public NlpSolution Solve(INlpProblem problem, ReadOnlySpan<double> x0) => Solve(problem, new NlpStartPoint { X = x0.ToArray() });

    /// <summary>
    /// Solves from <paramref name="start"/>; with multipliers this is a primal-dual warm start.
    /// A failed solve is a status in the result, not an exception; an exception thrown by one of the
    /// problem's callbacks is rethrown here, after Ipopt has returned and its problem was freed.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong start length, non-finite start, or a lower bound above its upper bound.</exception>
    /// <exception cref="IpoptOptionException">Ipopt refused an option.</exception>
    public unsafe NlpSolution Solve(INlpProblem problem, NlpStartPoint start)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(start);
        int n = problem.VariableCount, m = problem.ConstraintCount;
        ValidateStart(start, n, m);

        var xL = new double[n]; var xU = new double[n]; var gL = new double[m]; var gU = new double[m];
        problem.GetBounds(xL, xU, gL, gU);
        ValidateBounds(xL, xU, "variable");
        ValidateBounds(gL, gU, "constraint");

        var x = (double[])start.X.Clone();
        var g = new double[m];
        var lambda = start.ConstraintMultipliers is null ? new double[m] : (double[])start.ConstraintMultipliers.Clone();
        var zL = start.LowerBoundMultipliers is null ? new double[n] : (double[])start.LowerBoundMultipliers.Clone();
        var zU = start.UpperBoundMultipliers is null ? new double[n] : (double[])start.UpperBoundMultipliers.Clone();
        double objective = double.NaN;
        var context = new IpoptSolveContext(problem);
        var stopwatch = Stopwatch.StartNew();
        ApplicationReturnStatus raw;

        IpoptLibrary.EnsureLoaded();
        var gate = IpoptConcurrency.IsThreadSafe ? null : IpoptConcurrency.Gate;
        if (gate is not null) Monitor.Enter(gate);
        GCHandle contextHandle = GCHandle.Alloc(context);
        try
        {
            using IpoptProblemHandle handle = CreateProblem(problem, xL, xU, gL, gU);
            ApplyOptions(handle, start.HasMultipliers);
            IpoptNative.SetIntermediateCallback(handle, &IpoptCallbacks.Intermediate);
            fixed (double* px = x, pg = g, pl = lambda, pzl = zL, pzu = zU)
            {
                raw = IpoptNative.IpoptSolve(handle, px, pg, &objective, pl, pzl, pzu, GCHandle.ToIntPtr(contextHandle));
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
            Status = NlpSolution.Classify(raw), RawStatus = raw, X = x, Objective = objective, Constraints = g,
            ConstraintMultipliers = lambda, LowerBoundMultipliers = zL, UpperBoundMultipliers = zU,
            Iterations = context.Iterations, SolveTime = stopwatch.Elapsed,
        };
    }

    private static unsafe IpoptProblemHandle CreateProblem(INlpProblem problem, double[] xL, double[] xU, double[] gL, double[] gU)
    {
        ToIpoptInfinity(xL); ToIpoptInfinity(xU); ToIpoptInfinity(gL); ToIpoptInfinity(gU);
        IpoptProblemHandle handle;
        fixed (double* pxl = xL, pxu = xU, pgl = gL, pgu = gU)
        {
            handle = IpoptNative.CreateIpoptProblem(problem.VariableCount, pxl, pxu, problem.ConstraintCount, pgl, pgu,
                problem.JacobianNonZeroCount, problem.HessianNonZeroCount, 0,
                &IpoptCallbacks.EvalF, &IpoptCallbacks.EvalG, &IpoptCallbacks.EvalGradF, &IpoptCallbacks.EvalJacG, &IpoptCallbacks.EvalH);
        }
        if (handle.IsInvalid)
        {
            handle.MarkNeverOpened();
            handle.Dispose();
            throw new SolverException("Ipopt refused to create the problem (CreateIpoptProblem returned null): check that n ≥ 1 and the nonzero counts are non-negative.");
        }
        return handle;
    }

    private void ApplyOptions(IpoptProblemHandle handle, bool warmStart)
    {
        SetNumber(handle, "tol", Options.Tolerance);
        SetInt(handle, "max_iter", Options.MaxIterations);
        SetInt(handle, "print_level", Options.PrintLevel);
        SetString(handle, "sb", "yes");   // suppress Ipopt's copyright banner
        SetString(handle, "mu_strategy", Options.MuStrategy);
        SetString(handle, "linear_solver", Options.LinearSolver);
        if (Options.MaxCpuTimeSeconds is { } cpu) SetNumber(handle, "max_cpu_time", cpu);
        if (warmStart)
        {
            SetString(handle, "warm_start_init_point", "yes");
            SetNumber(handle, "warm_start_bound_push", 1e-9);
            SetNumber(handle, "warm_start_mult_bound_push", 1e-9);
            if (Options.WarmStartMuInit is { } mu) SetNumber(handle, "mu_init", mu);
        }
        foreach (var (key, value) in Options.Extra)
        {
            switch (value)
            {
                case string s: SetString(handle, key, s); break;
                case int i: SetInt(handle, key, i); break;
                case double d: SetNumber(handle, key, d); break;
            }
        }
    }

    private static void SetString(IpoptProblemHandle h, string key, string value)
    {
        if (IpoptNative.AddIpoptStrOption(h, key, value) == 0) throw new IpoptOptionException(key, value);
    }

    private static void SetInt(IpoptProblemHandle h, string key, int value)
    {
        if (IpoptNative.AddIpoptIntOption(h, key, value) == 0) throw new IpoptOptionException(key, value);
    }

    private static void SetNumber(IpoptProblemHandle h, string key, double value)
    {
        if (IpoptNative.AddIpoptNumOption(h, key, value) == 0) throw new IpoptOptionException(key, value);
    }

    private static void ToIpoptInfinity(double[] bounds)
    {
        for (int i = 0; i < bounds.Length; i++)
        {
            if (bounds[i] >= IpoptInfinity) bounds[i] = IpoptInfinity;
            else if (bounds[i] <= -IpoptInfinity) bounds[i] = -IpoptInfinity;
        }
    }

    private static void ValidateStart(NlpStartPoint start, int n, int m)
    {
        if (start.X.Length != n)
            throw new ArgumentException($"The start point has length {start.X.Length}; the problem has {n} variables.", nameof(start));
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(start.X[i]))
                throw new ArgumentException($"The start point's entry {i} is {start.X[i]}; every entry must be finite.", nameof(start));
        }
        bool any = start.ConstraintMultipliers is not null || start.LowerBoundMultipliers is not null || start.UpperBoundMultipliers is not null;
        if (!any) return;
        if (start.ConstraintMultipliers?.Length != m || start.LowerBoundMultipliers?.Length != n || start.UpperBoundMultipliers?.Length != n)
            throw new ArgumentException(
                $"A warm start needs all three multiplier arrays: constraint ({m}), lower bound ({n}) and upper bound ({n}).", nameof(start));
    }

    private static void ValidateBounds(double[] lower, double[] upper, string what)
    {
        for (int i = 0; i < lower.Length; i++)
        {
            if (double.IsNaN(lower[i]) || double.IsNaN(upper[i]))
                throw new ArgumentException($"The {what} bounds of entry {i} contain NaN.");
            if (lower[i] > upper[i])
                throw new ArgumentException($"The {what} lower bound {lower[i]} of entry {i} is above its upper bound {upper[i]}.");
        }
    }
}
