using DiffOp.Control.OptimalControl;

namespace DiffOp.Learning.Policies;

/// <summary>
/// A policy deployed as a feedback law u = π_θ(x): the deterministic action u* of the policy OCP at the measured state.
/// Step mode solves at every call (warm-started from the previous plan); Traj mode solves every H calls and replays the
/// plan in between. When a solve fails, the fallback control acts for that step
/// (<see cref="OptimizationPolicy.FallbackControl"/>, the same rule as training) and <see cref="SolveFailures"/> counts
/// it; the next call plans afresh. Evaluation and plotting in this library run through it. Not thread-safe: one per
/// controlled system (or thread).
/// </summary>
public sealed class FeedbackPolicy : IDisposable
{
    private readonly OptimizationPolicy _policy;
    private readonly double[] _theta;
    private readonly bool _ownsPolicy;
    private OcpSolution? _plan;
    private int _t, _planStart;

    /// <summary>Deploys <paramref name="policy"/> with parameters θ (copied); the caller keeps ownership of the policy.</summary>
    /// <exception cref="ArgumentException">θ has the wrong length or a non-finite entry.</exception>
    public FeedbackPolicy(OptimizationPolicy policy, ReadOnlySpan<double> theta)
        : this(policy, theta, ownsPolicy: false)
    {
    }

    /// <summary>Deploys the OCP's policy in <paramref name="mode"/> with parameters θ (copied); disposing this frees its solver.</summary>
    /// <exception cref="ArgumentException">θ has the wrong length or a non-finite entry.</exception>
    public FeedbackPolicy(Ocp ocp, PolicyMode mode, ReadOnlySpan<double> theta, OcpSolverOptions? options = null)
        : this(new OptimizationPolicy(ocp, mode, options), theta, ownsPolicy: true)
    {
    }

    private FeedbackPolicy(OptimizationPolicy policy, ReadOnlySpan<double> theta, bool ownsPolicy)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        if (theta.Length != policy.Ocp.ParameterCount)
            throw new ArgumentException($"θ has {theta.Length} entries; OCP '{policy.Ocp.Name}' has {policy.Ocp.ParameterCount} parameters.", nameof(theta));
        for (int i = 0; i < theta.Length; i++)
        {
            if (!double.IsFinite(theta[i])) throw new ArgumentException($"θ[{i}] = {theta[i]} is not finite.", nameof(theta));
        }
        _theta = theta.ToArray();
        _ownsPolicy = ownsPolicy;
    }

    /// <summary>The policy being deployed.</summary>
    public OptimizationPolicy Policy => _policy;

    /// <summary>Solves that failed since construction (each made the fallback control act for one step).</summary>
    public int SolveFailures { get; private set; }

    /// <summary>Calls of <see cref="Act(ReadOnlySpan{double}, Span{double})"/> since the last <see cref="Reset()"/>.</summary>
    public int Steps => _t;

    /// <summary>The plan the last action came from (null before the first action, after a reset, or after a failed solve).</summary>
    public OcpSolution? CurrentPlan => _plan;

    /// <summary>Starts a new episode: the next action solves from scratch (no warm start, Traj mode replans).</summary>
    public void Reset()
    {
        _plan = null;
        _t = 0;
        _planStart = 0;
    }

    /// <summary>Starts a new episode whose plans use <paramref name="context"/> (e.g. this episode's reference; see <see cref="OptimizationPolicy.SetContext"/>).</summary>
    /// <exception cref="ArgumentException">The context's length is not the OCP's, or an entry is not finite.</exception>
    public void Reset(ReadOnlySpan<double> context)
    {
        _policy.SetContext(context);
        Reset();
    }

    /// <summary>Writes u = π_θ(x) for the measured state x into <paramref name="control"/>.</summary>
    /// <exception cref="ArgumentException">The state or control has the wrong length (n or m).</exception>
    public void Act(ReadOnlySpan<double> state, Span<double> control)
    {
        if (state.Length != _policy.Ocp.StateCount) throw new ArgumentException($"The state has {state.Length} entries; the OCP has n = {_policy.Ocp.StateCount}.", nameof(state));
        if (control.Length != _policy.Ocp.ControlCount) throw new ArgumentException($"The control has {control.Length} entries; the OCP has m = {_policy.Ocp.ControlCount}.", nameof(control));
        if (_plan is null || _policy.Mode == PolicyMode.Step || _t - _planStart >= _policy.Ocp.Horizon)
        {
            var plan = _policy.Plan(_theta, state, _plan);
            _planStart = _t;
            _plan = plan.IsSuccess ? plan : null;
            if (!plan.IsSuccess) SolveFailures++;
        }
        if (_plan is not null) _plan.Control(_t - _planStart).CopyTo(control);
        else _policy.FallbackControl(control);
        _t++;
    }

    /// <summary>u = π_θ(x) as a new array.</summary>
    public double[] Act(ReadOnlySpan<double> state)
    {
        var control = new double[_policy.Ocp.ControlCount];
        Act(state, control);
        return control;
    }

    /// <summary>Frees the solver when this instance created the policy.</summary>
    public void Dispose()
    {
        if (_ownsPolicy) _policy.Dispose();
    }
}
