using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Algorithms;

/// <summary>Settings of <see cref="QLearning"/> (RLMPC-TD).</summary>
public sealed record QLearningOptions
{
    /// <summary>α: step of θ ← θ + α·mean(δ∇θQ). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>γ of the TD target ℓ + γV(s′). Default 0.9.</summary>
    public double Discount { get; init; } = 0.9;
    /// <summary>σ_e of the exploration a = Π(π(s) + e), e ~ N(0, σ_e²I), in the controls' units (0 allowed). Default 0.1.</summary>
    public double ExplorationSigma { get; init; } = 0.1;
    /// <summary>
    /// Learn the critic-only offset θ_V (Gros &amp; Zanon's cost offset): Q = θ_V + the Q problem's value, V = θ_V + the V
    /// problem's value, ∂Q/∂θ_V = 1. Without it the cost weights must absorb the difference between the MPC's value and the
    /// discounted true cost (e.g. a true cost that is negative). Default true.
    /// </summary>
    public bool LearnValueOffset { get; init; } = true;
    /// <summary>N: episodes per update. Default 10.</summary>
    public int EpisodesPerIteration { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"LearningRate must be positive and finite, got {LearningRate}.", nameof(LearningRate));
        if (!(Discount > 0 && Discount <= 1)) throw new ArgumentException($"Discount must be in (0, 1], got {Discount}.", nameof(Discount));
        if (!(ExplorationSigma >= 0) || !double.IsFinite(ExplorationSigma)) throw new ArgumentException($"ExplorationSigma must be finite and ≥ 0, got {ExplorationSigma}.", nameof(ExplorationSigma));
        if (EpisodesPerIteration < 1) throw new ArgumentException($"EpisodesPerIteration must be at least 1, got {EpisodesPerIteration}.", nameof(EpisodesPerIteration));
    }
}

/// <summary>What one <see cref="QLearning.RunIteration"/> did.</summary>
/// <param name="MeanEpisodeCost">Mean true cost of the exploring episodes.</param>
/// <param name="MeanTdError">Mean δ = ℓ + γV(s′) − Q(s, a) over the transitions used.</param>
/// <param name="Transitions">Transitions used for the update.</param>
/// <param name="FailedTransitions">Transitions dropped because a solve failed.</param>
/// <param name="Updated">False when no transition could be used (θ unchanged).</param>
public sealed record QLearningIteration(double MeanEpisodeCost, double MeanTdError, int Transitions, int FailedTransitions, bool Updated);

/// <summary>
/// RLMPC-TD: MPC-based Q-learning (Gros &amp; Zanon 2019, as in mpc4rl). Each iteration runs N episodes of the Step-mode
/// policy with exploration a = Π(π_θ(s) + e) (Π: the control box), then, with θ held fixed, computes for every transition the
/// TD error δ = ℓ + γV_θ(s′) − Q_θ(s, a) (<see cref="MpcQFunction"/>; V from a policy solve at s′). The episode's last
/// transition — a simulator failure with its penalty cost, or the time limit, where the control tasks add their terminal
/// cost to ℓ — has the target ℓ alone, so a failure is learned from and the terminal cost is not counted twice and takes the semi-gradient step θ ← max(θ + α·mean(δ∇θQ), lower bounds), and θ_V ← θ_V + α·mean(δ) for the
/// critic-only offset. It fits the Bellman error of the
/// MPC's value, not the closed-loop cost — the reason it lags in the paper's Table 2.
/// </summary>
public sealed class QLearning : IDisposable
{
    private readonly IEnvironment _environment;
    private readonly Ocp _ocp;
    private readonly OptimizationPolicy _policy;
    private readonly OcpSolver _valueSolver;
    private readonly MpcQFunction _q;
    private readonly QLearningOptions _options;
    private readonly IReadOnlyList<double>? _lowerBounds;

    /// <summary>Creates the learner for <paramref name="environment"/> with the policy OCP (horizon H) and its tail (H − 1; null for H = 1).</summary>
    public QLearning(IEnvironment environment, Ocp ocp, Ocp? tail, QLearningOptions? options = null, IReadOnlyList<double>? lowerBounds = null, OcpSolverOptions? solverOptions = null)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        if (environment.StateCount != ocp.StateCount || environment.ControlCount != ocp.ControlCount)
            throw new ArgumentException($"The environment has n = {environment.StateCount}, m = {environment.ControlCount}; the OCP has {ocp.StateCount}, {ocp.ControlCount}.", nameof(environment));
        _options = options ?? new QLearningOptions();
        _options.Validate();
        if (lowerBounds is not null && lowerBounds.Count != ocp.ParameterCount)
            throw new ArgumentException($"The lower bounds have {lowerBounds.Count} entries; θ has {ocp.ParameterCount}.", nameof(lowerBounds));
        _lowerBounds = lowerBounds;
        _policy = new OptimizationPolicy(ocp, PolicyMode.Step, solverOptions);
        _valueSolver = new OcpSolver(ocp, solverOptions);
        _q = new MpcQFunction(ocp, tail, solverOptions);
    }

    /// <summary>θ_V, the critic-only value offset (<see cref="QLearningOptions.LearnValueOffset"/>); 0 at the start.</summary>
    public double ValueOffset { get; set; }

    /// <summary>
    /// Plans (while collecting episodes) or Q evaluations that fail from the start of an iteration, in a row and with none
    /// succeeding, after which the iteration is abandoned without an update.
    /// </summary>
    public const int FailFastCount = 25;

    /// <summary>
    /// One iteration at θ (updated in place); episodes draw their starts and noise from the run seed and the iteration. When
    /// the first <see cref="FailFastCount"/> plans or Q evaluations of the iteration all fail, it stops there and applies no
    /// update, which shortens the iterations of a diverged run before its stall rule stops it.
    /// </summary>
    public QLearningIteration RunIteration(double[] theta, int iteration, int runSeed)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.Length != _ocp.ParameterCount) throw new ArgumentException($"θ has {theta.Length} entries; the OCP has {_ocp.ParameterCount}.", nameof(theta));
        int n = _ocp.StateCount, m = _ocp.ControlCount;
        var transitions = new List<(double[] S, double[] A, double Cost, double[] Next, bool Last)>();
        double totalCost = 0;
        using var feedback = new FeedbackPolicy(_policy, theta);
        int steps = 0, episodes = 0;
        for (int e = 0; e < _options.EpisodesPerIteration; e++)
        {
            // At a θ where every plan fails (a diverged step size) nothing can be learned from this iteration; stop early
            // instead of running every episode with failing solves (minutes per iteration on the larger tasks).
            if (steps >= FailFastCount && feedback.SolveFailures == steps) break;
            episodes++;
            int seed = SeedSequence.Rollout(runSeed, iteration, e);
            var noise = new Random(SeedSequence.Noise(seed));
            var s = new double[n];
            _environment.Reset(seed, s);
            feedback.Reset();
            for (int t = 0; t < _environment.EpisodeLength; t++)
            {
                var a = new double[m];
                feedback.Act(s, a);
                for (int j = 0; j < m; j++)
                    a[j] = Math.Clamp(a[j] + _options.ExplorationSigma * TransitionRecorder.Gaussian(noise), _ocp.ControlLower[j], _ocp.ControlUpper[j]);
                var next = new double[n];
                var step = _environment.Step(a, next);
                steps++;
                totalCost += step.Cost;
                // The episode's last transition (a failure, with its penalty cost, or the time limit, where the control
                // tasks add the terminal cost to ℓ) has the target ℓ alone: no bootstrap from V(s′).
                bool last = step.Failed || step.Done || t == _environment.EpisodeLength - 1;
                transitions.Add((s, a, step.Cost, next, last));
                if (step.Failed || step.Done) break;
                s = next;
            }
        }

        var direction = new double[theta.Length];
        double tdSum = 0;
        int used = 0, failed = 0;
        var context = _ocp.DefaultContext();
        foreach (var (s, a, cost, next, last) in transitions)
        {
            if (used == 0 && failed >= FailFastCount) { failed = transitions.Count; break; }   // Q cannot be formed at this θ
            var q = _q.Evaluate(theta, s, a, context);
            if (!q.Success) { failed++; continue; }
            double bootstrap = 0;
            if (!last)
            {
                var v = next.All(double.IsFinite) ? _valueSolver.Solve(theta, next, context) : null;
                if (v is null || !v.IsSuccess) { failed++; continue; }
                bootstrap = _options.Discount * (ValueOffset + v.Objective);
            }
            // δ = ℓ + γ(θ_V + V(s′)) − (θ_V + Q(s, a)), without the bootstrap term at the episode's last transition.
            double delta = cost + bootstrap - (ValueOffset + q.Value);
            for (int i = 0; i < theta.Length; i++) direction[i] += delta * q.Gradient[i];
            tdSum += delta;
            used++;
        }
        double meanCost = totalCost / episodes;
        if (used == 0) return new QLearningIteration(meanCost, double.NaN, 0, failed, false);
        var updated = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            updated[i] = theta[i] + _options.LearningRate * direction[i] / used;
            if (_lowerBounds is not null && updated[i] < _lowerBounds[i]) updated[i] = _lowerBounds[i];
            if (!double.IsFinite(updated[i])) return new QLearningIteration(meanCost, tdSum / used, used, failed, false);
        }
        updated.CopyTo(theta, 0);
        if (_options.LearnValueOffset) ValueOffset += _options.LearningRate * tdSum / used;   // ∂Q/∂θ_V = 1
        return new QLearningIteration(meanCost, tdSum / used, used, failed, true);
    }

    /// <summary>Frees the solvers.</summary>
    public void Dispose()
    {
        _q.Dispose();
        _valueSolver.Dispose();
        _policy.Dispose();
    }
}
