using DiffOp.Control.Nlp;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// Settings of an <see cref="OcpSolver"/>. The backend-neutral ones (<see cref="Tolerance"/>, <see cref="MaxIterations"/>,
/// the active-set thresholds, the structured QP solver) are here; <see cref="Ipopt"/> holds only what is specific to
/// Ipopt, and <see cref="NlpSolver"/> replaces Ipopt by another <see cref="INlpSolver"/>.
/// </summary>
public sealed record OcpSolverOptions
{
    /// <summary>
    /// Convergence tolerance of the NLP solve (Ipopt's <c>tol</c>, on the scaled KKT error). Default 1e-8: gradients need an
    /// accurate KKT point. It also sets the structured QP solver's default tolerance (<see cref="EffectiveStructuredQpTolerance"/>).
    /// </summary>
    public double Tolerance { get; init; } = DefaultTolerance;

    /// <summary>Iteration limit of the NLP solve (Ipopt's <c>max_iter</c>). Default 3000.</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>
    /// Settings specific to Ipopt (print level, barrier strategy, linear solver, <see cref="IpoptOptions.Extra"/> options,
    /// progress callback). Its <see cref="IpoptOptions.Tolerance"/> and <see cref="IpoptOptions.MaxIterations"/> are not
    /// used here: <see cref="Tolerance"/> and <see cref="MaxIterations"/> are (<see cref="Validate"/> rejects a conflicting value).
    /// </summary>
    public IpoptOptions Ipopt { get; init; } = new();

    /// <summary>
    /// The NLP backend; null (the default): Ipopt, configured by <see cref="Tolerance"/>, <see cref="MaxIterations"/> and
    /// <see cref="Ipopt"/>. Another backend is configured when it is created (these options' tolerance and iteration limit
    /// do not reach it), is shared by every <see cref="OcpSolver"/> made with these options (see <see cref="INlpSolver"/>'s
    /// thread contract), and produces solutions with <see cref="OcpSolution.Method"/> = <see cref="OcpSolveMethod.NlpSolver"/>.
    /// The structured QP solver still goes first for a QP (<see cref="Solver"/>); <see cref="QuadraticProgramSettings"/>
    /// is Ipopt's and does not apply.
    /// </summary>
    public INlpSolver? NlpSolver { get; init; }

    private const double DefaultTolerance = IpoptOptions.DefaultTolerance;
    private const int DefaultMaxIterations = IpoptOptions.DefaultMaxIterations;

    /// <summary>The Ipopt options a solve uses: <see cref="Ipopt"/> with <see cref="Tolerance"/> and <see cref="MaxIterations"/>.</summary>
    internal IpoptOptions EffectiveIpopt => Ipopt with { Tolerance = Tolerance, MaxIterations = MaxIterations };

    /// <summary>tol_active: an inequality can be active only when its slack is at most this. Default 1e-5.</summary>
    public double ActiveSlackTolerance { get; init; } = 1e-5;

    /// <summary>tol_mult: an inequality at its bound is active when |multiplier| exceeds this, else weakly active. Default 1e-6.</summary>
    public double ActiveMultiplierTolerance { get; init; } = 1e-6;

    /// <summary>
    /// An active inequality's |multiplier| must also be at least this many times its slack. An interior-point
    /// solution has slack·multiplier ≈ μ, so a strongly active row has a multiplier far above its slack (seen:
    /// slack 1e-6 with multiplier 6e-3 at tol 1e-8) while a nearly active inactive row has the reverse. Default 100.
    /// </summary>
    public double ActiveMultiplierToSlackRatio { get; init; } = 100;

    /// <summary>
    /// A constraint that is not active but has both its slack and its multiplier at most this is weakly active
    /// (an interior-point solution leaves both at about √μ there). Default 1e-4.
    /// </summary>
    public double WeakActivityTolerance { get; init; } = 1e-4;

    /// <summary>
    /// When the OCP is a quadratic program (<see cref="Ocp.IsQuadraticProgram"/>), solve it with Ipopt's settings for
    /// convex QPs: Mehrotra's predictor–corrector (<c>mehrotra_algorithm</c>) and constant derivatives
    /// (<c>hessian_constant</c>, <c>jac_c_constant</c>, <c>jac_d_constant</c>), which take fewer and cheaper iterations. A
    /// solve that fails with them (e.g. a nonconvex θ) is retried with the general settings. Default true; options
    /// set explicitly in <see cref="IpoptOptions.Extra"/> win.
    /// </summary>
    public bool QuadraticProgramSettings { get; init; } = true;

    /// <summary>
    /// Which solver solves the OCP (<see cref="OcpSolverChoice"/>). <see cref="OcpSolverChoice.Auto"/> (the default): the
    /// built-in structured interior-point QP solver (Mehrotra's predictor–corrector with a Riccati recursion over the
    /// stages; docs/solvers.md) when the OCP is a quadratic program (<see cref="Ocp.IsQuadraticProgram"/>), and a solve it
    /// cannot finish — a θ at which the QP is not strictly convex, an infeasible problem, the iteration limit — falls back
    /// to Ipopt, so the answer never depends on it. <see cref="OcpSolverChoice.Structured"/>: that solver only, never Ipopt
    /// (an OCP that is not a QP is an error when the solver is created; a solve it cannot finish returns a failed solution).
    /// <see cref="OcpSolverChoice.Ipopt"/>: the NLP backend only (Ipopt, or <see cref="NlpSolver"/>).
    /// <see cref="OcpSolution.Method"/> says which solver produced a solution.
    /// </summary>
    public OcpSolverChoice Solver { get; init; } = OcpSolverChoice.Auto;

    /// <summary>
    /// Convergence tolerance of the structured QP solver on its scaled residuals and on the mean complementarity μ. Null
    /// (the default): a tenth of <see cref="Tolerance"/> (1e-9 with the default 1e-8), where Ipopt's own final
    /// barrier parameter typically ends, so that one setting tightens both solvers.
    /// </summary>
    public double? StructuredQpTolerance { get; init; }

    /// <summary>The structured QP solver's tolerance in effect (<see cref="StructuredQpTolerance"/> or its default).</summary>
    public double EffectiveStructuredQpTolerance => StructuredQpTolerance ?? 0.1 * Tolerance;

    /// <summary>Iteration limit of the structured QP solver (then Ipopt takes over). Default 100.</summary>
    public int StructuredQpMaxIterations { get; init; } = 100;

    /// <summary>
    /// Step mode's re-planning (the training and evaluation rollouts) starts the structured QP solver from the previous
    /// plan shifted one stage, primal and dual, instead of from its cold start (a shifted primal plan with unit slacks and
    /// multipliers). The solution is the same to the solver's tolerance; only the number of iterations changes. Default true.
    /// </summary>
    public bool StructuredQpWarmStart { get; init; } = true;

    /// <summary>
    /// <see cref="Validate"/>, then whether these settings can solve <paramref name="ocp"/>: <see cref="OcpSolverChoice.Structured"/>
    /// needs a quadratic program. <see cref="OcpSolver"/>'s constructor runs this; call it to report the problem before any work.
    /// </summary>
    /// <exception cref="ArgumentException">An invalid setting, or the structured solver chosen for an OCP that is not a QP.</exception>
    public void ValidateFor(Ocp ocp)
    {
        ArgumentNullException.ThrowIfNull(ocp);
        Validate();
        if (Solver == OcpSolverChoice.Structured && !ocp.IsQuadraticProgram)
            throw new ArgumentException(
                $"OCP '{ocp.Name}' is not a quadratic program (its dynamics or constraints are nonlinear in the states and controls, or its cost is not quadratic), " +
                "so the structured QP solver cannot solve it: choose OcpSolverChoice.Auto (--solver auto) or OcpSolverChoice.Ipopt (--solver ipopt).", nameof(Solver));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance))
            throw new ArgumentException($"OcpSolverOptions.Tolerance must be a positive finite number, got {Tolerance}.", nameof(Tolerance));
        if (MaxIterations < 0)
            throw new ArgumentException($"OcpSolverOptions.MaxIterations must be ≥ 0, got {MaxIterations}.", nameof(MaxIterations));
        ArgumentNullException.ThrowIfNull(Ipopt, nameof(Ipopt));
        Ipopt.Validate();
        // Ipopt.Tolerance / Ipopt.MaxIterations are replaced by the OCP-level settings: a different value set there would be ignored silently.
        if (Ipopt.Tolerance != DefaultTolerance && Ipopt.Tolerance != Tolerance)
            throw new ArgumentException(
                $"OcpSolverOptions.Ipopt.Tolerance is {Ipopt.Tolerance} but OcpSolverOptions.Tolerance is {Tolerance}: the OCP solver uses " +
                "OcpSolverOptions.Tolerance for every backend. Set the tolerance there and leave Ipopt.Tolerance at its default.", nameof(Ipopt));
        if (Ipopt.MaxIterations != DefaultMaxIterations && Ipopt.MaxIterations != MaxIterations)
            throw new ArgumentException(
                $"OcpSolverOptions.Ipopt.MaxIterations is {Ipopt.MaxIterations} but OcpSolverOptions.MaxIterations is {MaxIterations}: the OCP " +
                "solver uses OcpSolverOptions.MaxIterations. Set the limit there and leave Ipopt.MaxIterations at its default.", nameof(Ipopt));
        if (!(ActiveSlackTolerance > 0) || !double.IsFinite(ActiveSlackTolerance))
            throw new ArgumentException($"ActiveSlackTolerance must be positive and finite, got {ActiveSlackTolerance}.", nameof(ActiveSlackTolerance));
        if (!(ActiveMultiplierTolerance > 0) || !double.IsFinite(ActiveMultiplierTolerance))
            throw new ArgumentException($"ActiveMultiplierTolerance must be positive and finite, got {ActiveMultiplierTolerance}.", nameof(ActiveMultiplierTolerance));
        if (!(ActiveMultiplierToSlackRatio >= 1) || !double.IsFinite(ActiveMultiplierToSlackRatio))
            throw new ArgumentException($"ActiveMultiplierToSlackRatio must be finite and ≥ 1, got {ActiveMultiplierToSlackRatio}.", nameof(ActiveMultiplierToSlackRatio));
        if (!(WeakActivityTolerance > 0) || !double.IsFinite(WeakActivityTolerance))
            throw new ArgumentException($"WeakActivityTolerance must be positive and finite, got {WeakActivityTolerance}.", nameof(WeakActivityTolerance));
        if (StructuredQpTolerance is { } qpTolerance && (!(qpTolerance > 0) || !(qpTolerance < 1)))
            throw new ArgumentException($"StructuredQpTolerance must be in (0, 1), got {StructuredQpTolerance}.", nameof(StructuredQpTolerance));
        if (!Enum.IsDefined(Solver))
            throw new ArgumentException($"OcpSolverOptions.Solver must be Auto, Structured or Ipopt, got {(int)Solver}.", nameof(Solver));
        if (StructuredQpMaxIterations < 1)
            throw new ArgumentException($"StructuredQpMaxIterations must be at least 1, got {StructuredQpMaxIterations}.", nameof(StructuredQpMaxIterations));
    }
}

/// <summary>Which solver an <see cref="OcpSolver"/> uses (<see cref="OcpSolverOptions.Solver"/>; the CLI's <c>--solver</c>).</summary>
public enum OcpSolverChoice
{
    /// <summary>The structured QP solver for OCPs that are convex QPs, Ipopt otherwise and whenever that solver cannot finish.</summary>
    Auto,

    /// <summary>The structured QP solver only: no fallback, so a solve it cannot finish returns a failed solution. Needs a QP.</summary>
    Structured,

    /// <summary>The NLP backend only: Ipopt, or <see cref="OcpSolverOptions.NlpSolver"/> when one is given.</summary>
    Ipopt,
}
