using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Nlp;

/// <summary>
/// Solves an <see cref="INlpProblem"/> with Ipopt: the built-in <see cref="INlpSolver"/>. Stateless apart from its options, so one instance
/// may be shared; every <c>Solve</c> creates and frees its own native problem, while <see cref="CreateSession"/>
/// keeps one for repeated solves of the same problem.
/// </summary>
/// <remarks>
/// Concurrency: solves on different threads run in parallel only when <see cref="IpoptConcurrency.IsThreadSafe"/>
/// is true (see docs/ipopt-thread-safety.md); otherwise they are serialized behind one process-wide lock.
/// </remarks>
public sealed class IpoptSolver : INlpSolver
{
    /// <summary>Ipopt's <see cref="INlpSolver.Name"/>, and the <see cref="NlpSolution.SolverName"/> of its solutions.</summary>
    public const string BackendName = "Ipopt";

    private const double IpoptInfinity = 1e20;
    private const double ColdStartMuInit = 0.1;   // Ipopt's default mu_init

    /// <summary>Creates a solver with the given options (defaults when null).</summary>
    public IpoptSolver(IpoptOptions? options = null)
    {
        Options = options ?? new IpoptOptions();
        Options.Validate();
    }

    /// <summary>The options applied to every solve.</summary>
    public IpoptOptions Options { get; }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <summary>Solves from the primal start <paramref name="x0"/>.</summary>
    public NlpSolution Solve(INlpProblem problem, ReadOnlySpan<double> x0) => Solve(problem, new NlpStartPoint { X = x0.ToArray() });

    /// <summary>
    /// Solves from <paramref name="start"/>; with multipliers this is a primal-dual warm start.
    /// A failed solve is a status in the result, not an exception; an exception thrown by one of the
    /// problem's callbacks is rethrown here, after Ipopt has returned and its problem was freed.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong start length, non-finite start, or a lower bound above its upper bound.</exception>
    /// <exception cref="IpoptOptionException">Ipopt refused an option.</exception>
    public NlpSolution Solve(INlpProblem problem, NlpStartPoint start)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(start);
        ValidateStart(start, problem.VariableCount, problem.ConstraintCount);
        using var session = CreateSession(problem);
        return session.Solve(start);
    }

    /// <summary>
    /// Keeps one native problem for repeated solves of <paramref name="problem"/> (whose bounds and structure must
    /// not change): cheaper than <see cref="Solve(INlpProblem, NlpStartPoint)"/> when solving the same problem often.
    /// </summary>
    /// <exception cref="ArgumentException">A lower bound above its upper bound, or a NaN bound.</exception>
    public IpoptSession CreateSession(INlpProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new IpoptSession(this, problem);
    }

    INlpSession INlpSolver.CreateSession(INlpProblem problem) => CreateSession(problem);

    internal static unsafe IpoptProblemHandle CreateProblem(INlpProblem problem, double[] xL, double[] xU, double[] gL, double[] gU)
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

    /// <summary>Sets every option before a solve; a session's handle keeps options between solves, so warm-start settings are always written.</summary>
    internal void ApplyOptions(IpoptProblemHandle handle, bool warmStart)
    {
        SetNumber(handle, "tol", Options.Tolerance);
        SetInt(handle, "max_iter", Options.MaxIterations);
        SetInt(handle, "print_level", Options.PrintLevel);
        SetString(handle, "sb", "yes");   // suppress Ipopt's copyright banner
        SetString(handle, "mu_strategy", Options.MuStrategy);
        SetString(handle, "linear_solver", Options.LinearSolver);
        if (Options.MaxCpuTimeSeconds is { } cpu) SetNumber(handle, "max_cpu_time", cpu);
        SetString(handle, "warm_start_init_point", warmStart ? "yes" : "no");
        if (warmStart)
        {
            SetNumber(handle, "warm_start_bound_push", 1e-9);
            SetNumber(handle, "warm_start_mult_bound_push", 1e-9);
        }
        SetNumber(handle, "mu_init", warmStart && Options.WarmStartMuInit is { } mu ? mu : ColdStartMuInit);
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

    internal static void ValidateStart(NlpStartPoint start, int n, int m)
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

    internal static void ValidateBounds(double[] lower, double[] upper, string what)
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
