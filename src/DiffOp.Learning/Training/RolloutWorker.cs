using System.Diagnostics;
using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;

namespace DiffOp.Learning.Training;

/// <summary>
/// Runs episodes of an <see cref="OptimizationPolicy"/> on an <see cref="IEnvironment"/> (Algorithm 1's inner
/// loop). Step mode re-plans every step (warm-started from the shifted previous plan); Traj mode plans once per
/// H steps and acts open loop. With exploration, each action is u* plus a truncated-Gaussian deviation and the
/// score accumulates (u − u*)ᵀ∂u*/∂θ/σ² through one VJP per plan — or, when the request asks for per-stage scores or
/// the Fisher metric, through ∂u*_t/∂θ of the executed stages. Plans are the policy's reused ones
/// (<see cref="OptimizationPolicy.PlanReused"/>), so a step allocates nothing. Owns its environment and policy: one per worker.
/// </summary>
public sealed class RolloutWorker : IDisposable
{
    private readonly IEnvironment _environment;
    private readonly OptimizationPolicy _policy;
    private readonly TruncatedGaussianExploration _exploration;
    private readonly double[] _state, _next, _action, _deviations, _jacobian, _basis, _episodeContext;

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
        if (environment.ContextCount != 0 && environment.ContextCount != policy.Ocp.ContextCount)
            throw new ArgumentException(
                $"Environment '{environment.Name}' supplies a context of {environment.ContextCount} entries per episode; the policy OCP '{policy.Ocp.Name}' " +
                $"takes {policy.Ocp.ContextCount}: declare the same context blocks with OcpBuilder.AddContext.");
        _episodeContext = new double[environment.ContextCount];
        _state = new double[environment.StateCount];
        _next = new double[environment.StateCount];
        _action = new double[environment.ControlCount];
        _deviations = new double[policy.Ocp.Horizon * environment.ControlCount];
        _jacobian = new double[policy.Ocp.Horizon * environment.ControlCount * policy.Ocp.ParameterCount];
        _basis = new double[_jacobian.Length];
    }

    /// <summary>The environment.</summary>
    public IEnvironment Environment => _environment;

    /// <summary>The policy.</summary>
    public OptimizationPolicy Policy => _policy;

    /// <summary>The exploration noise of training rollouts.</summary>
    public TruncatedGaussianExploration Exploration => _exploration;

    /// <summary>Frees the policy's native solver.</summary>
    public void Dispose() => _policy.Dispose();

    /// <summary>
    /// The deterministic policy (u = u*) at <paramref name="theta"/> on the fixed evaluation episodes 0..<paramref name="episodes"/>−1
    /// (<see cref="SeedSequence.Evaluation"/>, the episodes of a run's eval_cost): the mean cost of the kept episodes (NaN when
    /// every one was dropped) and how many were dropped.
    /// </summary>
    public (double MeanCost, int Dropped) EvaluationCost(ReadOnlySpan<double> theta, int episodes)
    {
        double sum = 0;
        int kept = 0;
        for (int e = 0; e < episodes; e++)
        {
            var result = Run(theta, new RolloutRequest(SeedSequence.Evaluation(e), Explore: false));
            if (result.Dropped) continue;
            sum += result.Cost;
            kept++;
        }
        return (kept > 0 ? sum / kept : double.NaN, episodes - kept);
    }

    /// <summary>Runs one episode of <paramref name="steps"/> steps (default: the environment's episode length).</summary>
    public RolloutResult Run(ReadOnlySpan<double> theta, RolloutRequest request, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        int T = steps ?? _environment.EpisodeLength, m = _environment.ControlCount, d = _policy.Ocp.ParameterCount;
        var noise = new Random(request.NoiseSeed ?? SeedSequence.Noise(request.Seed));
        var episode = new Episode(d, T, request);
        _environment.Reset(request.Seed, _state);
        if (_episodeContext.Length > 0)
        {
            _environment.WriteContext(_episodeContext);   // this episode's reference/goal: every plan of the episode uses it
            _policy.SetContext(_episodeContext);
        }
        int planStart = 0, planStages = 0;
        bool failed = false;
        OcpSolution? plan = null;
        var clock = new Stopwatch();

        for (int t = 0; t < T; t++)
        {
            bool replan = plan is null || _policy.Mode == PolicyMode.Step || t - planStart >= _policy.Ocp.Horizon;
            if (replan)
            {
                if (plan is not null && request.Explore && planStages > 0 && !TryScore(plan, planStart, planStages, episode, clock))
                    return episode.Dropped(request);
                clock.Restart();
                var next = _policy.PlanReused(theta, _state, plan);   // overwrites the plan before `plan`, which is no longer used
                episode.Forward += clock.Elapsed.TotalSeconds;
                episode.Solves++;
                planStart = t;
                planStages = 0;
                if (!next.IsSuccess)
                {
                    // Nothing to learn from an episode whose first plan fails; later, the fallback acts for this step.
                    if (t == 0) return episode.Dropped(request);
                    plan = null;
                    _policy.FallbackControl(_action);
                    episode.FallbackSteps++;
                    if (!TakeStep(t, episode, ref failed)) break;
                    continue;
                }
                plan = next;
                if (request.Explore && request.Tangent)
                {
                    int stages = _policy.Mode == PolicyMode.Step ? 1 : Math.Min(_policy.Ocp.Horizon, T - t);
                    if (!TrySampleTangent(plan, stages, noise, request.Mirror, episode, clock)) return episode.Dropped(request);
                }
            }
            var planned = plan!.Control(t - planStart);
            if (request.Explore && request.Tangent)
            {
                for (int j = 0; j < m; j++) _action[j] = planned[j] + _deviations[planStages * m + j];
            }
            else if (request.Explore)
            {
                _exploration.Sample(planned, _action, noise);
                for (int j = 0; j < m; j++)
                {
                    double deviation = _action[j] - planned[j];
                    if (request.Mirror)
                    {
                        deviation = -deviation;
                        _action[j] = planned[j] + deviation;
                    }
                    _deviations[planStages * m + j] = deviation;
                }
            }
            else planned.CopyTo(_action);
            planStages++;
            if (!TakeStep(t, episode, ref failed)) break;
        }
        if (plan is not null && request.Explore && planStages > 0 && !TryScore(plan, planStart, planStages, episode, clock))
            return episode.Dropped(request);
        return episode.Result(request, failed);
    }

    /// <summary>Applies _action to the environment at step t; false when the episode ended.</summary>
    private bool TakeStep(int t, Episode episode, ref bool failed)
    {
        var step = _environment.Step(_action, _next);
        episode.StageCosts[t] = step.Cost;
        episode.Taken++;
        _next.CopyTo(_state.AsSpan());
        if (step.Failed) failed = true;
        return !step.Done;
    }

    /// <summary>
    /// Adds the plan's score (and, as requested, its per-stage scores and metric); false when the plan is not
    /// differentiable there (LICQ or second-order sufficiency fails, e.g. for a θ with a degenerate model): the
    /// rollout is then dropped like one whose solve failed.
    /// </summary>
    private bool TryScore(OcpSolution plan, int planStart, int stages, Episode episode, Stopwatch clock)
    {
        clock.Restart();
        try
        {
            if (episode.Detail == RolloutDetail.None)
                _policy.AccumulateScore(plan, _deviations, stages, _exploration.Sigma, episode.Score);
            else
                AccumulateFromJacobian(plan, planStart, stages, episode);
            return true;
        }
        catch (Control.Sensitivity.SensitivityException)
        {
            return false;
        }
        finally
        {
            episode.Backward += clock.Elapsed.TotalSeconds;
        }
    }

    /// <summary>
    /// Tangent-space exploration: draws the plan's deviations ε = Q z for its first <paramref name="stages"/> stages, with
    /// Q an orthonormal basis of the range of J = ∂U*/∂θ (those stages' controls) and z ~ N(0, σ²I). The policy can only
    /// move its plan along range J, so noise outside it adds variance to the estimate and nothing to its mean; inside it
    /// the deviations are isotropic with variance σ², so the score Jᵀε/σ² of eq. 8 keeps its form and, to first order
    /// in σ, its mean Jᵀ∇_U L. False when the plan is not differentiable (the rollout is dropped).
    /// </summary>
    private bool TrySampleTangent(OcpSolution plan, int stages, Random noise, bool mirror, Episode episode, Stopwatch clock)
    {
        int m = _environment.ControlCount, d = _policy.Ocp.ParameterCount, rows = stages * m;
        clock.Restart();
        try
        {
            _policy.ControlJacobian(plan, stages, _jacobian);
        }
        catch (Control.Sensitivity.SensitivityException)
        {
            return false;
        }
        finally
        {
            episode.Backward += clock.Elapsed.TotalSeconds;
        }
        int rank = TangentBasis.Orthonormalize(_jacobian, rows, d, _basis);
        _deviations.AsSpan(0, rows).Clear();
        for (int k = 0; k < rank; k++)
        {
            double z = _exploration.Sigma * TangentBasis.StandardNormal(noise);
            if (mirror) z = -z;
            for (int r = 0; r < rows; r++) _deviations[r] += z * _basis[(k * rows) + r];
        }
        return true;
    }

    /// <summary>s_t = J_tᵀε_t/σ² per stage (paper eq. 8's summand) and Σ_t J_tᵀJ_t, with J_t = ∂u*_t/∂θ (m × d).</summary>
    private void AccumulateFromJacobian(OcpSolution plan, int planStart, int stages, Episode episode)
    {
        int m = _environment.ControlCount, d = _policy.Ocp.ParameterCount;
        _policy.ControlJacobian(plan, stages, _jacobian);
        double inverseVariance = 1.0 / (_exploration.Sigma * _exploration.Sigma);
        for (int t = 0; t < stages; t++)
        {
            var stageScore = episode.StageScores is { } scores ? scores.AsSpan((planStart + t) * d, d) : Span<double>.Empty;
            for (int j = 0; j < m; j++)
            {
                var row = _jacobian.AsSpan(((t * m) + j) * d, d);
                double weight = _deviations[(t * m) + j] * inverseVariance;
                for (int i = 0; i < d; i++)
                {
                    episode.Score[i] += weight * row[i];
                    if (!stageScore.IsEmpty) stageScore[i] += weight * row[i];
                }
                if (episode.Metric is { } metric)
                {
                    for (int a = 0; a < d; a++)
                    {
                        double ra = row[a];
                        if (ra == 0) continue;
                        for (int b = 0; b < d; b++) metric[(a * d) + b] += ra * row[b];
                    }
                }
            }
        }
    }

    /// <summary>What one episode has accumulated so far.</summary>
    private sealed class Episode(int parameterCount, int steps, RolloutRequest request)
    {
        public readonly double[] Score = new double[parameterCount];
        public readonly double[] StageCosts = new double[steps];
        public readonly double[]? StageScores = request.Explore && request.Detail.HasFlag(RolloutDetail.StageScores) ? new double[steps * parameterCount] : null;
        public readonly double[]? Metric = request.Explore && request.Detail.HasFlag(RolloutDetail.Metric) ? new double[parameterCount * parameterCount] : null;
        public RolloutDetail Detail => request.Explore ? request.Detail : RolloutDetail.None;
        public double Forward, Backward;
        public int Solves, Taken, FallbackSteps;

        public RolloutResult Dropped(RolloutRequest r) => new()
        {
            Seed = r.Seed, Cost = double.NaN, Score = Score, Steps = Taken, Dropped = true, ForwardSeconds = Forward,
            BackwardSeconds = Backward, Solves = Solves, StageCosts = StageCosts[..Taken], FallbackSteps = FallbackSteps,
        };

        public RolloutResult Result(RolloutRequest r, bool simulatorFailed)
        {
            double cost = 0;
            for (int t = 0; t < Taken; t++) cost += StageCosts[t];
            return new RolloutResult
            {
                Seed = r.Seed, Cost = cost, Score = Score, Steps = Taken, Dropped = false, SimulatorFailed = simulatorFailed,
                ForwardSeconds = Forward, BackwardSeconds = Backward, Solves = Solves, StageCosts = StageCosts[..Taken],
                StageScores = StageScores?[..(Taken * parameterCount)], Metric = Metric, FallbackSteps = FallbackSteps,
            };
        }
    }
}
