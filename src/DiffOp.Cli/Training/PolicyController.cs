using DiffOp.Control.Ocp;
using DiffOp.Learning.Policies;

namespace DiffOp.Cli.Training;

/// <summary>
/// The deterministic policy u = u* as a feedback law for step-by-step protocols (voltage evaluation): Step mode
/// re-plans every step (warm-started), Traj mode plans every H steps and replays the plan. A failed solve applies
/// the policy's fallback control (<see cref="OptimizationPolicy.FallbackControl"/>) for that step and is counted.
/// </summary>
internal sealed class PolicyController(OptimizationPolicy policy, double[] theta)
{
    private OcpSolution? _plan;
    private int _t, _planStart;

    public int SolveFailures { get; private set; }

    public void Reset()
    {
        _plan = null;
        _t = 0;
        _planStart = 0;
    }

    public void Act(ReadOnlySpan<double> state, Span<double> control)
    {
        if (_plan is null || !_plan.IsSuccess || policy.Mode == PolicyMode.Step || _t - _planStart >= policy.Ocp.Horizon)
        {
            _plan = policy.Plan(theta, state, _plan);
            _planStart = _t;
            if (!_plan.IsSuccess) SolveFailures++;
        }
        if (_plan.IsSuccess) _plan.Control(_t - _planStart).CopyTo(control);
        else policy.FallbackControl(control);
        _t++;
    }
}
