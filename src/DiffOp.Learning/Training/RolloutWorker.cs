using System.Diagnostics;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;

namespace DiffOp.Learning.Training;

/// <summary>
/// Runs episodes of an <see cref="OptimizationPolicy"/> on an <see cref="IEnvironment"/> (Algorithm 1's inner
/// loop). Step mode re-plans every step (warm-started from the shifted previous plan); Traj mode plans once per
/// H steps and acts open loop. With exploration, each action is u* plus a truncated-Gaussian deviation and the
/// score accumulates (u − u*)ᵀ∂u*/∂θ/σ² through one VJP per plan. Owns its environment and policy: one per worker.
/// </summary>
public sealed class RolloutWorker : IDisposable
{
    private readonly IEnvironment _environment;
    private readonly OptimizationPolicy _policy;
    private readonly TruncatedGaussianExploration _exploration;
    private readonly double[] _state, _next, _action, _deviations;

    /// <summary>Creates a worker.</summary>
    public RolloutWorker(IEnvironment environment, OptimizationPolicy policy, TruncatedGaussianExploration exploration)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _exploration = exploration ?? throw new ArgumentNullException(nameof(exploration));
        if (environment.StateCount != policy.Ocp.StateCount || environment.ControlCount != policy.Ocp.ControlCount)
            throw new ArgumentException(
                $"Environment '{environment.Name}' has n={environment.StateCount}, m={environment.ControlCount}; " +
                $"the policy OCP '{policy.Ocp.Name}' has n={policy.Ocp.StateCount}, m={policy.Ocp.ControlCount}.");
        _state = new double[environment.StateCount];
        _next = new double[environment.StateCount];
        _action = new double[environment.ControlCount];
        _deviations = new double[policy.Ocp.Horizon * environment.ControlCount];
    }

    /// <summary>The environment.</summary>
    public IEnvironment Environment => _environment;

    /// <summary>The policy.</summary>
    public OptimizationPolicy Policy => _policy;

    /// <summary>Frees the policy's native solver.</summary>
    public void Dispose() => _policy.Dispose();

    /// <summary>Runs one episode of <paramref name="steps"/> steps (default: the environment's episode length).</summary>
    public RolloutResult Run(ReadOnlySpan<double> theta, RolloutRequest request, int? steps = null)
    {
        int T = steps ?? _environment.EpisodeLength, m = _environment.ControlCount, d = _policy.Ocp.ParameterCount;
        var noise = new Random(request.NoiseSeed ?? SeedSequence.Noise(request.Seed));
        var score = new double[d];
        _environment.Reset(request.Seed, _state);
        double cost = 0, forward = 0, backward = 0;
        int solves = 0, taken = 0, planStart = 0, planStages = 0;
        bool failed = false;
        Control.Ocp.OcpSolution? plan = null;
        var clock = new Stopwatch();

        for (int t = 0; t < T; t++)
        {
            bool replan = plan is null || _policy.Mode == PolicyMode.Step || t - planStart >= _policy.Ocp.Horizon;
            if (replan)
            {
                if (plan is not null && request.Explore && planStages > 0 && !TryScore(plan, planStages, score, clock, ref backward))
                    return Dropped(request, score, taken, forward, backward, solves);
                clock.Restart();
                plan = _policy.Plan(theta, _state, plan);
                forward += clock.Elapsed.TotalSeconds;
                solves++;
                if (!plan.IsSuccess) return Dropped(request, score, taken, forward, backward, solves);
                planStart = t;
                planStages = 0;
            }
            var planned = plan!.Control(t - planStart);
            if (request.Explore)
            {
                _exploration.Sample(planned, _action, noise);
                for (int j = 0; j < m; j++) _deviations[planStages * m + j] = _action[j] - planned[j];
            }
            else planned.CopyTo(_action);
            planStages++;
            var step = _environment.Step(_action, _next);
            cost += step.Cost;
            taken++;
            _next.CopyTo(_state.AsSpan());
            if (step.Failed) failed = true;
            if (step.Done) break;
        }
        if (plan is not null && request.Explore && planStages > 0 && !TryScore(plan, planStages, score, clock, ref backward))
            return Dropped(request, score, taken, forward, backward, solves);
        return new RolloutResult
        {
            Seed = request.Seed, Cost = cost, Score = score, Steps = taken, Dropped = false, SimulatorFailed = failed,
            ForwardSeconds = forward, BackwardSeconds = backward, Solves = solves,
        };
    }

    /// <summary>
    /// Adds the plan's score; false when the plan is not differentiable there (LICQ or second-order sufficiency
    /// fails, e.g. for a θ with a degenerate model): the rollout is then dropped like one whose solve failed.
    /// </summary>
    private bool TryScore(Control.Ocp.OcpSolution plan, int stages, double[] score, Stopwatch clock, ref double backward)
    {
        clock.Restart();
        try
        {
            _policy.AccumulateScore(plan, _deviations, stages, _exploration.Sigma, score);
            return true;
        }
        catch (Control.Sensitivity.SensitivityException)
        {
            return false;
        }
        finally
        {
            backward += clock.Elapsed.TotalSeconds;
        }
    }

    private static RolloutResult Dropped(RolloutRequest request, double[] score, int taken, double forward, double backward, int solves) =>
        new() { Seed = request.Seed, Cost = double.NaN, Score = score, Steps = taken, Dropped = true, ForwardSeconds = forward, BackwardSeconds = backward, Solves = solves };
}
