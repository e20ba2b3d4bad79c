using System.Diagnostics;
using DiffOp.Control.Nlp;
using DiffOp.Control.Qp;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// Solves an <see cref="Ocp"/> for given θ, x_init and context p: with the structured interior-point QP solver when
/// the OCP is a quadratic program (<see cref="OcpSolverOptions.Solver"/>), otherwise — or when that solver cannot
/// finish — with the NLP backend: Ipopt, or any <see cref="INlpSolver"/> given as <see cref="OcpSolverOptions.NlpSolver"/>. Per-solve work is numeric
/// only: the stage functions were compiled with the Ocp. An instance owns its evaluation workspaces,
/// so use one solver per thread: a call while another thread is inside <see cref="Solve(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, OcpWarmStart?)"/>
/// throws instead of mixing the two solves' data (Ipopt solves are serialized process-wide anyway; see
/// <see cref="IpoptConcurrency"/>). The solver keeps one native Ipopt problem for all its solves (the transcription's
/// structure and bounds are fixed; θ, x_init and p only change function values); dispose it to free that problem.
/// </summary>
public sealed class OcpSolver : IDisposable
{
    private readonly OcpNlp _nlp;
    private readonly INlpSolver _nlpSolver;
    private readonly INlpSolver? _general;
    private INlpSession? _session, _generalSession;
    private readonly StructuredQpSolver? _qp;
    private readonly OcpSolveMethod _nlpMethod;

    /// <summary>Ipopt options added for a QP (<see cref="OcpSolverOptions.QuadraticProgramSettings"/>).</summary>
    private static readonly (string Key, string Value)[] QuadraticProgramOptions =
        [("mehrotra_algorithm", "yes"), ("hessian_constant", "yes"), ("jac_c_constant", "yes"), ("jac_d_constant", "yes")];

    /// <summary>Creates a solver for <paramref name="ocp"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or <see cref="OcpSolverChoice.Structured"/> was chosen for an OCP that is not a QP.</exception>
    public OcpSolver(Ocp ocp, OcpSolverOptions? options = null)
    {
        Ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        Options = options ?? new OcpSolverOptions();
        Options.ValidateFor(ocp);
        _nlp = new OcpNlp(ocp);
        if (Options.Solver != OcpSolverChoice.Ipopt && ocp.IsQuadraticProgram)
            _qp = new StructuredQpSolver(ocp, Options.EffectiveStructuredQpTolerance, Options.StructuredQpMaxIterations);
        if (Options.NlpSolver is { } custom)
        {
            _nlpSolver = custom;
            _nlpMethod = OcpSolveMethod.NlpSolver;
            return;
        }
        _nlpMethod = OcpSolveMethod.Ipopt;
        var ipopt = Options.EffectiveIpopt;
        UsesQuadraticProgramSettings = Options.QuadraticProgramSettings && ocp.IsQuadraticProgram;
        if (UsesQuadraticProgramSettings)
        {
            var extra = new Dictionary<string, object>(ipopt.Extra);
            foreach (var (key, value) in QuadraticProgramOptions) extra.TryAdd(key, value);
            _nlpSolver = new IpoptSolver(ipopt with { Extra = extra });
            _general = new IpoptSolver(ipopt);
        }
        else
        {
            _nlpSolver = new IpoptSolver(ipopt);
        }
    }

    /// <summary>The NLP backend of solves the structured QP solver does not take: Ipopt, or <see cref="OcpSolverOptions.NlpSolver"/>.</summary>
    public INlpSolver NlpSolver => _nlpSolver;

    /// <summary>True when solves use Ipopt's QP settings (<see cref="OcpSolverOptions.QuadraticProgramSettings"/>, a QP and Ipopt as the backend).</summary>
    public bool UsesQuadraticProgramSettings { get; }

    /// <summary>True when solves go to the structured QP solver first (<see cref="OcpSolverOptions.Solver"/> not Ipopt, and a QP).</summary>
    public bool UsesStructuredQp => _qp is not null;

    /// <summary>
    /// Solves the structured QP solver could not finish: with <see cref="OcpSolverChoice.Auto"/> the NLP backend (<see cref="NlpSolver"/>)
    /// solved them instead; with <see cref="OcpSolverChoice.Structured"/> they were returned as failed solutions.
    /// </summary>
    public int StructuredQpFallbacks { get; private set; }

    /// <summary>Solves that failed with the QP settings and were solved again with the general ones.</summary>
    public int GeneralSettingsRetries { get; private set; }

    /// <summary>The problem.</summary>
    public Ocp Ocp { get; }

    /// <summary>The settings.</summary>
    public OcpSolverOptions Options { get; }

    /// <summary>Solves with the initial θ and the default context.</summary>
    public OcpSolution Solve(ReadOnlySpan<double> initialState) => Solve(Ocp.InitialParameters(), initialState, Ocp.DefaultContext());

    /// <summary>
    /// Solves from the cold start (every state and control 0 except x₀ = x_init) or from a warm start.
    /// A failed solve returns a solution whose <see cref="OcpSolution.Status"/> says so.
    /// </summary>
    /// <exception cref="ArgumentException">θ, x_init or p has the wrong length or a non-finite entry.</exception>
    /// <exception cref="InvalidOperationException">Another thread is solving with this solver right now (use one solver per thread).</exception>
    public OcpSolution Solve(ReadOnlySpan<double> theta, ReadOnlySpan<double> initialState, ReadOnlySpan<double> context, OcpWarmStart? warmStart = null)
    {
        Enter();
        try
        {
            return SolveExclusive(theta, initialState, context, warmStart);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Like <see cref="Solve(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, OcpWarmStart?)"/> with the
    /// warm start <c>OcpWarmStart.Shifted(shiftFrom)</c> (none when null), but a structured QP solution is written into
    /// <paramref name="reusable"/> when that is a reusable solution of this OCP (<see cref="OcpSolution.IsReused"/>), which
    /// is then returned, overwritten: no allocation but the small <see cref="NlpSolution"/> record. Without one, a new
    /// reusable solution is returned; a solve that falls back to Ipopt returns an ordinary new solution. The training
    /// hot path (<c>OptimizationPolicy.PlanReused</c>).
    /// </summary>
    internal OcpSolution SolveReused(OcpSolution? reusable, ReadOnlySpan<double> theta, ReadOnlySpan<double> initialState,
        ReadOnlySpan<double> context, OcpSolution? shiftFrom)
    {
        Enter();
        try
        {
            if (_qp is null) return SolveExclusive(theta, initialState, context, shiftFrom is null ? null : OcpWarmStart.Shifted(shiftFrom));
            CheckVectors(theta, initialState, context);
            long started = Stopwatch.GetTimestamp();
            // Step mode: the previous plan shifted one stage, primal and dual (its multipliers have Ipopt's sign whichever
            // solver produced it).
            var outcome = shiftFrom is not null && ReferenceEquals(shiftFrom.Ocp, Ocp) && Options.StructuredQpWarmStart
                ? _qp.SolveShifted(theta, context, initialState, shiftFrom.Nlp)
                : _qp.Solve(theta, context, initialState, default);
            if (outcome == QpOutcome.Solved)
            {
                bool reuse = reusable is { IsReused: true } && ReferenceEquals(reusable.Ocp, Ocp);
                var qp = _qp.ToNlpSolution(outcome, Stopwatch.GetElapsedTime(started), reuse ? reusable!.Nlp : null);
                if (!reuse) return OcpSolution.CreateReusable(Ocp, qp, theta, context, initialState, Options, OcpSolveMethod.StructuredQp);
                reusable!.Overwrite(qp, theta, context, initialState, Options, OcpSolveMethod.StructuredQp);
                return reusable;
            }
            StructuredQpFallbacks++;
            if (Options.Solver == OcpSolverChoice.Structured) return FailedStructuredSolution(outcome, Stopwatch.GetElapsedTime(started), theta, initialState, context);
            return SolveWithIpopt(theta, initialState, context, shiftFrom is null ? null : OcpWarmStart.Shifted(shiftFrom));
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private int _busy;

    /// <summary>Marks this solver busy, or throws when another thread is solving with it.</summary>
    private void Enter()
    {
        // The solver's workspaces hold one solve's data: a second thread inside Solve would silently corrupt both results.
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException(
                $"This OcpSolver (OCP '{Ocp.Name}') is already solving on another thread. A solver holds one solve's data at a time: " +
                "create one OcpSolver per thread (they share the compiled OCP), or serialize the calls.");
    }

    /// <summary>A warm start from another OCP's solution (other sizes) is an error here, not an index fault inside a solver.</summary>
    private void CheckWarmStart(NlpStartPoint start)
    {
        var l = Ocp.Layout;
        if (start.X.Length != l.VariableCount)
            throw new ArgumentException($"The warm start has {start.X.Length} variables; OCP '{Ocp.Name}' has {l.VariableCount}: warm-start from a solution of this OCP.", "warmStart");
        if (start.HasMultipliers && (start.ConstraintMultipliers!.Length != l.RowCount || start.LowerBoundMultipliers?.Length != l.VariableCount || start.UpperBoundMultipliers?.Length != l.VariableCount))
            throw new ArgumentException($"The warm start's multipliers do not match OCP '{Ocp.Name}' ({l.RowCount} rows, {l.VariableCount} variables): warm-start from a solution of this OCP.", "warmStart");
    }

    private void CheckVectors(ReadOnlySpan<double> theta, ReadOnlySpan<double> initialState, ReadOnlySpan<double> context)
    {
        CheckVector(theta, Ocp.ParameterCount, nameof(theta), "θ (the concatenated parameter blocks)");
        CheckVector(initialState, Ocp.StateCount, nameof(initialState), "x_init");
        CheckVector(context, Ocp.ContextCount, nameof(context), "the context p");
    }

    private OcpSolution SolveExclusive(ReadOnlySpan<double> theta, ReadOnlySpan<double> initialState, ReadOnlySpan<double> context, OcpWarmStart? warmStart)
    {
        CheckVectors(theta, initialState, context);
        if (warmStart is not null) CheckWarmStart(warmStart.Start);

        if (_qp is not null)
        {
            var clock = Stopwatch.StartNew();
            var outcome = warmStart is { Start.HasMultipliers: true } && Options.StructuredQpWarmStart
                ? _qp.SolveWarm(theta, context, initialState, warmStart.Start)
                : _qp.Solve(theta, context, initialState, warmStart is null ? default : warmStart.Start.X);
            if (outcome == QpOutcome.Solved)
            {
                var qp = _qp.ToNlpSolution(outcome, clock.Elapsed);
                return new OcpSolution(Ocp, qp, theta.ToArray(), context.ToArray(), initialState.ToArray(),
                    ActiveSetDetector.Detect(Ocp, qp, Options), OcpSolveMethod.StructuredQp);
            }
            StructuredQpFallbacks++;
            if (Options.Solver == OcpSolverChoice.Structured) return FailedStructuredSolution(outcome, clock.Elapsed, theta, initialState, context);
        }
        return SolveWithIpopt(theta, initialState, context, warmStart);
    }

    /// <summary><see cref="OcpSolverChoice.Structured"/>: the structured solver's last iterate with the status of its failure (no fallback).</summary>
    private OcpSolution FailedStructuredSolution(QpOutcome outcome, TimeSpan elapsed, ReadOnlySpan<double> theta, ReadOnlySpan<double> initialState, ReadOnlySpan<double> context)
    {
        var qp = _qp!.ToNlpSolution(outcome, elapsed);
        return new OcpSolution(Ocp, qp, theta.ToArray(), context.ToArray(), initialState.ToArray(), ActiveSetDetector.Detect(Ocp, qp, Options), OcpSolveMethod.StructuredQp);
    }

    private OcpSolution SolveWithIpopt(ReadOnlySpan<double> theta, ReadOnlySpan<double> initialState, ReadOnlySpan<double> context, OcpWarmStart? warmStart)
    {
        _nlp.SetData(theta, context, initialState);
        NlpStartPoint start;
        if (warmStart is null)
        {
            var x = new double[Ocp.Layout.VariableCount];
            initialState.CopyTo(x);
            start = new NlpStartPoint { X = x };
        }
        else
        {
            if (warmStart.Start.X.Length != Ocp.Layout.VariableCount)
                throw new ArgumentException($"The warm start has {warmStart.Start.X.Length} variables; OCP '{Ocp.Name}' has {Ocp.Layout.VariableCount}.", nameof(warmStart));
            var x = (double[])warmStart.Start.X.Clone();
            initialState.CopyTo(x);   // x₀ always starts feasible
            start = warmStart.Start with { X = x };
        }

        _session ??= _nlpSolver.CreateSession(_nlp);
        var nlp = _session.Solve(start);
        if (!nlp.IsSuccess && _general is not null)
        {
            GeneralSettingsRetries++;
            _generalSession ??= _general.CreateSession(_nlp);
            nlp = _generalSession.Solve(start);
        }
        var active = ActiveSetDetector.Detect(Ocp, nlp, Options);
        return new OcpSolution(Ocp, nlp, theta.ToArray(), context.ToArray(), initialState.ToArray(), active, _nlpMethod);
    }

    /// <summary>Frees the NLP backend's sessions (Ipopt: the native problem).</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
        _generalSession?.Dispose();
        _generalSession = null;
    }

    private static void CheckVector(ReadOnlySpan<double> v, int expected, string name, string what)
    {
        if (v.Length != expected)
            throw new ArgumentException($"{what} has length {v.Length}; expected {expected}.", name);
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i]))
                throw new ArgumentException($"{what} has a non-finite entry {v[i]} at index {i}.", name);
        }
    }
}
