using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;

namespace DiffOp.Learning.Policies;

/// <summary>
/// The policy π_θ: the solution of a parameterized OCP (docs/design.md). It wraps the OCP, its solver and the
/// structured sensitivity solver. <see cref="Plan"/> solves from a state (warm-started from the previous plan,
/// shifted one stage, in Step mode); <see cref="AccumulateScore"/> adds (u − u*)ᵀ ∂u*/∂θ / σ² for the planned
/// stages with one vector–Jacobian product (no Jacobian is formed). One instance per worker.
/// </summary>
public sealed class OptimizationPolicy : IDisposable
{
    private readonly OcpSolver _solver;
    private readonly StructuredSensitivity _sensitivity;
    private readonly double[] _context;
    private double[] _v = [], _gradient = [];
    private readonly OcpSolution?[] _reused = new OcpSolution?[2];   // the two plans PlanReused alternates between
    private int _nextSlot;

    /// <summary>Creates the policy for <paramref name="ocp"/> acting in <paramref name="mode"/>.</summary>
    public OptimizationPolicy(Ocp ocp, PolicyMode mode, OcpSolverOptions? options = null, double[]? context = null)
    {
        Ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        Mode = mode;
        _solver = new OcpSolver(ocp, options);
        _sensitivity = new StructuredSensitivity(ocp);
        _context = context is null ? ocp.DefaultContext() : (double[])context.Clone();
        if (_context.Length != ocp.ContextCount)
            throw new ArgumentException($"The context has {_context.Length} entries; the OCP '{ocp.Name}' takes {ocp.ContextCount}.", nameof(context));
    }

    /// <summary>The OCP.</summary>
    public Ocp Ocp { get; }

    /// <summary>The context p that the following solves use (the OCP's defaults unless given or set).</summary>
    public ReadOnlySpan<double> Context => _context;

    /// <summary>
    /// Sets the context p for the following solves (e.g. the reference of a new episode; <see cref="Training.RolloutWorker"/>
    /// does this at every reset of an environment with a context). Copied; no allocation.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not the OCP's context length, or an entry is not finite.</exception>
    public void SetContext(ReadOnlySpan<double> context)
    {
        if (context.Length != _context.Length)
            throw new ArgumentException($"The context has {context.Length} entries; the OCP '{Ocp.Name}' takes {_context.Length} (its context blocks: {string.Join(", ", Ocp.ContextBlocks.Select(b => $"{b.Name}[{b.Length}]"))}).", nameof(context));
        for (int i = 0; i < context.Length; i++)
            if (!double.IsFinite(context[i]))
                throw new ArgumentException($"Context entry {i} is {context[i]}: a context must be finite.", nameof(context));
        context.CopyTo(_context);
    }

    /// <summary>Step or Traj.</summary>
    public PolicyMode Mode { get; }

    /// <summary>Number of actions each plan supplies: 1 in Step mode, H in Traj mode.</summary>
    public int ActionsPerPlan => Mode == PolicyMode.Step ? 1 : Ocp.Horizon;

    /// <summary>
    /// Solves the OCP from <paramref name="state"/> with parameters θ. In Step mode a previous plan (from the
    /// previous step) warm-starts the solve, shifted by one stage. A failed solve is returned with its status.
    /// </summary>
    public OcpSolution Plan(ReadOnlySpan<double> theta, ReadOnlySpan<double> state, OcpSolution? previous = null)
    {
        var warm = previous is { IsSuccess: true } && Mode == PolicyMode.Step ? OcpWarmStart.Shifted(previous) : null;
        return _solver.Solve(theta, state, _context, warm);
    }

    /// <summary>
    /// <see cref="Plan"/> without allocating: the same plan (bit for bit), but written into one of two solutions this
    /// policy owns and reuses (<see cref="OcpSolution.IsReused"/>). The calls alternate between the two, so the plan
    /// returned stays valid through the next call (it can be its <paramref name="previous"/>) and is overwritten in place by
    /// the call after that: copy what must outlive it. The training rollouts (<see cref="Training.RolloutWorker"/>) plan
    /// this way. Only the structured QP solver writes in place; a plan that Ipopt solves is an ordinary new solution.
    /// </summary>
    public OcpSolution PlanReused(ReadOnlySpan<double> theta, ReadOnlySpan<double> state, OcpSolution? previous = null)
    {
        var shiftFrom = previous is { IsSuccess: true } && Mode == PolicyMode.Step ? previous : null;
        int slot = _nextSlot;
        _nextSlot ^= 1;
        var plan = _solver.SolveReused(_reused[slot], theta, state, _context, shiftFrom);
        if (plan.IsReused) _reused[slot] = plan;
        return plan;
    }

    /// <summary>
    /// The action applied at a step whose plan failed to solve (the one rule for every closed loop in this library): the
    /// control nearest to 0 within the OCP's control bounds. It does not depend on θ, so training adds no score term for
    /// that step and the estimate stays the gradient of the policy-with-fallback; such steps are counted
    /// (<see cref="Training.RolloutResult.FallbackSteps"/>).
    /// </summary>
    public void FallbackControl(Span<double> control)
    {
        if (control.Length != Ocp.ControlCount) throw new ArgumentException($"The control has {control.Length} entries; the OCP has m = {Ocp.ControlCount}.", nameof(control));
        for (int j = 0; j < control.Length; j++) control[j] = Math.Clamp(0.0, Ocp.ControlLower[j], Ocp.ControlUpper[j]);
    }

    /// <summary>Frees the solver's native Ipopt problem.</summary>
    public void Dispose() => _solver.Dispose();

    /// <summary>
    /// Writes ∂u*_t/∂θ of the first <paramref name="stages"/> planned controls into <paramref name="destination"/>,
    /// row-major (stages·m) × d, from one multi-right-hand-side sweep of the structured KKT solve (no allocation in the
    /// steady state). Training uses it for per-stage scores and for the Fisher metric of the natural gradient.
    /// </summary>
    /// <exception cref="Control.Sensitivity.SensitivityException">The plan is not differentiable (singular KKT matrix).</exception>
    public void ControlJacobian(OcpSolution plan, int stages, Span<double> destination) =>
        _sensitivity.ControlParameterJacobian(plan, stages, destination);

    /// <summary>
    /// Adds Σ_t (u_t − u*_t)ᵀ ∂u*_t/∂θ / σ² over the first <paramref name="stages"/> planned stages to
    /// <paramref name="score"/> (length d). <paramref name="deviations"/> holds u_t − u*_t stage after stage (m each).
    /// </summary>
    public void AccumulateScore(OcpSolution plan, ReadOnlySpan<double> deviations, int stages, double sigma, Span<double> score)
    {
        var l = Ocp.Layout;
        if (_v.Length != l.VariableCount) _v = new double[l.VariableCount];
        Array.Clear(_v);
        double inverseVariance = 1.0 / (sigma * sigma);
        for (int t = 0; t < stages; t++)
            for (int j = 0; j < l.ControlCount; j++) _v[l.ControlOffset(t) + j] = deviations[t * l.ControlCount + j] * inverseVariance;
        int columns = Ocp.ParameterCount + l.StateCount;
        if (_gradient.Length != columns) _gradient = new double[columns];
        _sensitivity.VectorJacobianProduct(plan, _v, _gradient);
        var gradient = _gradient;
        for (int i = 0; i < score.Length; i++) score[i] += gradient[i];   // θ columns only; x_init columns follow
    }
}
