using DiffOp.Control.Nlp;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// The solution of an <see cref="Ocp"/> at given θ, p and x_init: the trajectory ζ*, the multipliers in the
/// paper's sign convention (L = J − λᵀκ; docs/design.md), the active set, and the solver's status. A failed
/// solve still returns a solution object whose <see cref="Status"/> says so; <see cref="EnsureSuccess"/>
/// (called by everything that differentiates it) then throws.
/// </summary>
/// <remarks>
/// Multipliers: κ₋₁ = x₀ − x_init (<see cref="InitialStateMultipliers"/>), κ_t = x_{t+1} − f(x_t,u_t)
/// (<see cref="DynamicsMultipliers"/>: the PMP costate of x_{t+1}), path rows g ≤ 0 and terminal rows
/// g_H ≤ 0 (≤ 0 when active), bound rows e_jᵀζ − bound (<see cref="BoundMultipliers"/> = z_L − z_U).
/// With them, ∇_ζ J − Aᵀλ = 0 over all rows.
/// <para>A solution from <see cref="OcpSolver.Solve(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, OcpWarmStart?)"/>
/// never changes. The one exception is a policy's reused plan (<c>OptimizationPolicy.PlanReused</c>, the allocation-free
/// training path): that object is a workspace which a later solve overwrites in place (<see cref="IsReused"/>).</para>
/// </remarks>
public sealed class OcpSolution
{
    internal OcpSolution(Ocp ocp, NlpSolution nlp, double[] theta, double[] context, double[] initialState, ActiveSet activeSet,
        OcpSolveMethod method = OcpSolveMethod.Ipopt)
    {
        Method = method;
        Ocp = ocp;
        Nlp = nlp;
        // Read-only views: the arrays are the solution's own, and a caller must not be able to change them by a cast.
        Theta = Array.AsReadOnly(theta);
        Context = Array.AsReadOnly(context);
        _theta = theta;
        _context = context;
        _initialState = initialState;
        InitialState = Array.AsReadOnly(initialState);
        ActiveSet = activeSet;
        _paperMultipliers = new double[nlp.ConstraintMultipliers.Length];
        _bounds = new double[ocp.Layout.VariableCount];
        BoundMultipliers = Array.AsReadOnly(_bounds);
        FillMultipliers();
    }

    /// <summary>
    /// A reusable solution (<see cref="IsReused"/>): its arrays and active-set lists are its own, and
    /// <see cref="Overwrite"/> replaces its contents by a later solve's without allocating.
    /// </summary>
    internal static OcpSolution CreateReusable(Ocp ocp, NlpSolution nlp, ReadOnlySpan<double> theta, ReadOnlySpan<double> context,
        ReadOnlySpan<double> initialState, OcpSolverOptions options, OcpSolveMethod method)
    {
        var active = new List<ActiveConstraint>();
        var weak = new List<ActiveConstraint>();
        ActiveSetDetector.Detect(ocp, nlp, options, active, weak);
        return new OcpSolution(ocp, nlp, theta.ToArray(), context.ToArray(), initialState.ToArray(), new ActiveSet(active, weak), method)
        {
            _active = active, _weak = weak,
        };
    }

    /// <summary>
    /// Replaces this reusable solution's contents by those of a new solve of the same OCP, in place: <paramref name="nlp"/>
    /// becomes <see cref="Nlp"/>, θ, p and x_init are copied, the multipliers and the active set recomputed, and
    /// <see cref="Version"/> advances (so that caches keyed on the object see the change).
    /// </summary>
    internal void Overwrite(NlpSolution nlp, ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState,
        OcpSolverOptions options, OcpSolveMethod method)
    {
        if (_active is null || _weak is null) throw new InvalidOperationException("Only a reusable solution can be overwritten: other solutions never change.");
        Nlp = nlp;
        Method = method;
        theta.CopyTo(_theta);
        context.CopyTo(_context);
        initialState.CopyTo(_initialState);
        FillMultipliers();
        ActiveSetDetector.Detect(Ocp, nlp, options, _active, _weak);
        Version++;
    }

    private void FillMultipliers()
    {
        var nlp = Nlp;
        for (int i = 0; i < _paperMultipliers.Length; i++) _paperMultipliers[i] = -nlp.ConstraintMultipliers[i];   // λ_paper = −λ_ipopt
        for (int j = 0; j < _bounds.Length; j++) _bounds[j] = nlp.LowerBoundMultipliers[j] - nlp.UpperBoundMultipliers[j];
    }

    private readonly double[] _paperMultipliers, _bounds;
    private readonly double[] _theta, _context, _initialState;
    private List<ActiveConstraint>? _active, _weak;   // set for a reusable solution only

    /// <summary>
    /// True for a reusable plan (<c>OptimizationPolicy.PlanReused</c>): a later solve of the same policy overwrites this
    /// object, its arrays and its <see cref="ActiveSet"/> in place. False for every other solution, which never changes.
    /// </summary>
    public bool IsReused => _active is not null;

    /// <summary>Advances at every <see cref="Overwrite"/>: (object, version) identifies one solve's data.</summary>
    internal long Version { get; private set; }

    /// <summary>θ as a span (no copy), for the allocation-free sensitivity path.</summary>
    internal ReadOnlySpan<double> ThetaValues => _theta;

    /// <summary>p as a span (no copy).</summary>
    internal ReadOnlySpan<double> ContextValues => _context;

    /// <summary>The problem that was solved.</summary>
    public Ocp Ocp { get; }

    /// <summary>The raw NLP result (Ipopt's multiplier sign), e.g. for warm starts.</summary>
    public NlpSolution Nlp { get; private set; }

    /// <summary>θ used for this solve.</summary>
    public IReadOnlyList<double> Theta { get; }

    /// <summary>Context p used for this solve.</summary>
    public IReadOnlyList<double> Context { get; }

    /// <summary>x_init used for this solve.</summary>
    public IReadOnlyList<double> InitialState { get; }

    /// <summary>Which solver produced this solution.</summary>
    public OcpSolveMethod Method { get; private set; }

    /// <summary>Solver-independent status.</summary>
    public NlpStatus Status => Nlp.Status;

    /// <summary>
    /// The solving backend's own name for the outcome, for messages and logs (Ipopt's return code name such as
    /// <c>Solve_Succeeded</c>; the structured QP solver reports its outcomes under the same names). Decide on
    /// <see cref="Status"/>, which does not depend on the backend; <see cref="NlpSolution.SolverName"/> names the backend.
    /// </summary>
    public string SolverStatus => Nlp.SolverStatus;

    /// <summary>True when the solve converged (to tol or the acceptable level).</summary>
    public bool IsSuccess => Nlp.IsSuccess;

    /// <summary>Iterations of the solver that produced the solution (<see cref="Method"/>).</summary>
    public int Iterations => Nlp.Iterations;

    /// <summary>Wall time of the solve.</summary>
    public TimeSpan SolveTime => Nlp.SolveTime;

    /// <summary>J(ζ*; θ).</summary>
    public double Objective => Nlp.Objective;

    /// <summary>ζ* = (x₀, u₀, …, x_H).</summary>
    public ReadOnlySpan<double> Trajectory => Nlp.X;

    /// <summary>x*_t, t = 0..H.</summary>
    public ReadOnlySpan<double> State(int t)
    {
        CheckStage(t, Ocp.Horizon, nameof(t));
        return Nlp.X.AsSpan(Ocp.Layout.StateOffset(t), Ocp.StateCount);
    }

    /// <summary>u*_t, t = 0..H−1.</summary>
    public ReadOnlySpan<double> Control(int t)
    {
        CheckStage(t, Ocp.Horizon - 1, nameof(t));
        return Nlp.X.AsSpan(Ocp.Layout.ControlOffset(t), Ocp.ControlCount);
    }

    /// <summary>λ₋₁: multipliers of x₀ − x_init = 0 (length n).</summary>
    public ReadOnlySpan<double> InitialStateMultipliers => _paperMultipliers.AsSpan(0, Ocp.StateCount);

    /// <summary>λ_t: multipliers of x_{t+1} − f(x_t,u_t) = 0 (length n), t = 0..H−1; the costate of x_{t+1}.</summary>
    public ReadOnlySpan<double> DynamicsMultipliers(int t)
    {
        CheckStage(t, Ocp.Horizon - 1, nameof(t));
        return _paperMultipliers.AsSpan(Ocp.Layout.DynamicsRowOffset(t), Ocp.StateCount);
    }

    /// <summary>Multipliers of the path rows g(x_t,u_t) ≤ 0 (length p), t = 0..H−1; ≤ 0 when active.</summary>
    public ReadOnlySpan<double> PathMultipliers(int t)
    {
        CheckStage(t, Ocp.Horizon - 1, nameof(t));
        return _paperMultipliers.AsSpan(Ocp.Layout.PathRowOffset(t), Ocp.Layout.PathConstraintCount);
    }

    /// <summary>Multipliers of the terminal rows g_H(x_H) ≤ 0 (length q); ≤ 0 when active.</summary>
    public ReadOnlySpan<double> TerminalMultipliers => _paperMultipliers.AsSpan(Ocp.Layout.TerminalRowOffset, Ocp.Layout.TerminalConstraintCount);

    /// <summary>Values g(x*_t,u*_t) of the path rows at stage t.</summary>
    public ReadOnlySpan<double> PathConstraintValues(int t)
    {
        CheckStage(t, Ocp.Horizon - 1, nameof(t));
        return Nlp.Constraints.AsSpan(Ocp.Layout.PathRowOffset(t), Ocp.Layout.PathConstraintCount);
    }

    /// <summary>Values g_H(x*_H) of the terminal rows.</summary>
    public ReadOnlySpan<double> TerminalConstraintValues => Nlp.Constraints.AsSpan(Ocp.Layout.TerminalRowOffset, Ocp.Layout.TerminalConstraintCount);

    /// <summary>All row multipliers in the paper's sign, in NLP row order (<see cref="OcpLayout"/>).</summary>
    public ReadOnlySpan<double> RowMultipliers => _paperMultipliers;

    /// <summary>Multipliers of the bound rows per ζ entry: z_L − z_U (≥ 0 at an active lower bound, ≤ 0 at an upper).</summary>
    public IReadOnlyList<double> BoundMultipliers { get; }

    /// <summary>Active and weakly active inequalities.</summary>
    public ActiveSet ActiveSet { get; }

    /// <summary>
    /// How exactly this solution satisfies the KKT conditions, recomputed from the OCP's own derivatives (independent of the
    /// solver that produced it): the largest entry of the stationarity residual ∇J + (∂g/∂ζ)ᵀλ − z_L + z_U (Ipopt's sign),
    /// of the equality rows (initial state and dynamics), and of the violation of inequality rows and bounds.
    /// </summary>
    public OcpKktResidual KktResidual()
    {
        var nlp = new OcpNlp(Ocp);
        nlp.SetData(_theta, _context, InitialState.ToArray());
        var x = Nlp.X;
        var r = new double[nlp.VariableCount];
        nlp.ObjectiveGradient(x, r);
        var rows = new int[nlp.JacobianNonZeroCount];
        var columns = new int[nlp.JacobianNonZeroCount];
        var values = new double[nlp.JacobianNonZeroCount];
        nlp.GetJacobianStructure(rows, columns);
        nlp.JacobianValues(x, values);
        for (int e = 0; e < values.Length; e++) r[columns[e]] += values[e] * Nlp.ConstraintMultipliers[rows[e]];
        double stationarity = 0;
        for (int j = 0; j < r.Length; j++) stationarity = Math.Max(stationarity, Math.Abs(r[j] - Nlp.LowerBoundMultipliers[j] + Nlp.UpperBoundMultipliers[j]));
        var g = new double[nlp.ConstraintCount];
        nlp.Constraints(x, g);
        var xL = new double[nlp.VariableCount]; var xU = new double[nlp.VariableCount];
        var gL = new double[nlp.ConstraintCount]; var gU = new double[nlp.ConstraintCount];
        nlp.GetBounds(xL, xU, gL, gU);
        double equality = 0, violation = 0;
        for (int i = 0; i < g.Length; i++)
        {
            if (gL[i] == gU[i]) equality = Math.Max(equality, Math.Abs(g[i] - gU[i]));
            else violation = Math.Max(violation, Math.Max(g[i] - gU[i], gL[i] - g[i]));
        }
        for (int j = 0; j < x.Length; j++) violation = Math.Max(violation, Math.Max(x[j] - xU[j], xL[j] - x[j]));
        return new OcpKktResidual(stationarity, equality, Math.Max(0, violation));
    }

    /// <summary>Throws <see cref="SolverException"/> unless the solve succeeded: a failed solution has no gradient.</summary>
    public OcpSolution EnsureSuccess() => IsSuccess
        ? this
        : throw new SolverException(
            $"The OCP '{Ocp.Name}' solve failed with status {Status} ({Nlp.SolverName}: {SolverStatus}) after {Iterations} iterations; " +
            "its solution cannot be differentiated. Check the problem's feasibility, θ and the start point, or raise the iteration limit.",
            Status, Nlp.SolverName, Nlp.SolverStatus);

    private static void CheckStage(int t, int max, string name)
    {
        if ((uint)t > (uint)max) throw new ArgumentOutOfRangeException(name, t, $"Stage must be in 0..{max}.");
    }
}

/// <summary>The KKT residual of an <see cref="OcpSolution"/> (<see cref="OcpSolution.KktResidual"/>); every entry is a max-norm.</summary>
/// <param name="Stationarity">|∇J + (∂g/∂ζ)ᵀλ − z_L + z_U|∞.</param>
/// <param name="Equality">|x₀ − x_init|∞ and |x_{t+1} − f(x_t, u_t)|∞.</param>
/// <param name="Violation">How far any inequality row or bound is violated (0 when all hold).</param>
public sealed record OcpKktResidual(double Stationarity, double Equality, double Violation);

/// <summary>The solver that produced an <see cref="OcpSolution"/>.</summary>
public enum OcpSolveMethod
{
    /// <summary>Ipopt (general NLP interior-point method, through P/Invoke).</summary>
    Ipopt,
    /// <summary>The built-in structured interior-point QP solver (Riccati recursion over the stages).</summary>
    StructuredQp,
    /// <summary>The <see cref="INlpSolver"/> given as <see cref="OcpSolverOptions.NlpSolver"/>; <see cref="NlpSolution.SolverName"/> names it.</summary>
    NlpSolver,
}
