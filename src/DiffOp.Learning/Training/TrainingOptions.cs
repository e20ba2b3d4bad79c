using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;

namespace DiffOp.Learning.Training;

/// <summary>Settings of a training run (Algorithm 1). Defaults are the paper's: N = 10, β = 0.01, η = 0.1, SGD.</summary>
public sealed record TrainingOptions
{
    /// <summary>Step (re-plan every step) or Traj (plan once per episode).</summary>
    public PolicyMode Mode { get; init; } = PolicyMode.Step;
    /// <summary>K: number of iterations.</summary>
    public int Iterations { get; init; } = 100;
    /// <summary>N: rollouts per iteration.</summary>
    public int Rollouts { get; init; } = 10;
    /// <summary>σ of the exploration.</summary>
    public double Sigma { get; init; } = 1.0;
    /// <summary>β: truncation window w = βσ² (∞ = plain Gaussian).</summary>
    public double Beta { get; init; } = 0.01;
    /// <summary>η.</summary>
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Update rule.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    /// <summary>Gradient estimator.</summary>
    public GradientEstimatorKind Estimator { get; init; } = GradientEstimatorKind.Reinforce;
    /// <summary>Optional gradient-norm clipping.</summary>
    public double? GradientClipNorm { get; init; }
    /// <summary>
    /// When true, the N rollouts of an iteration start from the same initial state (scenario) and differ only in
    /// their exploration noise (common random numbers). The batch-mean baseline then removes the cost differences
    /// between initial states, which otherwise dominate the estimator's variance when initial states vary widely
    /// (e.g. voltage scenarios). The estimate stays unbiased: the shared start is still drawn afresh each iteration.
    /// </summary>
    public bool SharedInitialState { get; init; }

    /// <summary>
    /// Optional lower bounds on θ (−∞ where unbounded; length d). After every update θ is projected onto them
    /// (projected gradient descent), so a large step cannot make a mass negative or a cost weight negative.
    /// </summary>
    public IReadOnlyList<double>? ParameterLowerBounds { get; init; }

    /// <summary>
    /// E: fixed deterministic evaluation episodes (u = u*, seeds <see cref="SeedSequence.Evaluation"/>) run at the
    /// iteration's θ alongside its exploring rollouts; their mean cost is a learning curve free of exploration noise
    /// and of the draw of initial states. 0 (the default) turns evaluation off.
    /// </summary>
    public int EvaluationEpisodes { get; init; }

    /// <summary>Evaluate every this many iterations (and always at the first).</summary>
    public int EvaluateEvery { get; init; } = 1;

    /// <summary>Run seed: initial θ (where drawn), initial states and noise all derive from it.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Antithetic sampling: rollouts come in pairs (2k, 2k+1) with the same initial state and mirrored noise (+ε, −ε).
    /// Each rollout is still distributed as the exploration says, so every estimator stays unbiased; baselines leave the
    /// partner out. Needs an even <see cref="Rollouts"/>.
    /// </summary>
    public bool Antithetic { get; init; }

    /// <summary>
    /// Normalize the score by the variance of the (truncated) exploration noise instead of σ²: for a narrow window
    /// (the paper's β = 0.01) the plain estimator's mean is about (Var ε/σ²)·∇C; normalized, it is ∇C (exactly, for a
    /// cost quadratic in the actions). No effect for β = ∞.
    /// </summary>
    public bool NormalizeTruncatedScore { get; init; }

    /// <summary>λ of the natural gradient's damped metric G + λ·diag G (<see cref="OptimizerKind.Natural"/>).</summary>
    public double Damping { get; init; } = ParameterOptimizer.DefaultDamping;

    /// <summary>
    /// ε of the natural gradient: the largest RMS change of a planned action per update, in the controls' units; null
    /// for no limit (<see cref="OptimizerKind.Natural"/> only).
    /// </summary>
    public double? TrustRadius { get; init; }

    /// <summary>Creates this run's optimizer (fresh state).</summary>
    public ParameterOptimizer CreateOptimizer(int parameterCount) =>
        new(Optimizer, LearningRate, parameterCount, GradientClipNorm, Damping, TrustRadius);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Iterations < 1) throw new ArgumentException($"Iterations must be ≥ 1, got {Iterations}.", nameof(Iterations));
        if (Rollouts < 1) throw new ArgumentException($"Rollouts must be ≥ 1, got {Rollouts}.", nameof(Rollouts));
        if (!(Sigma > 0) || !double.IsFinite(Sigma)) throw new ArgumentException($"Sigma must be positive and finite, got {Sigma}.", nameof(Sigma));
        if (!(Beta > 0) || double.IsNaN(Beta)) throw new ArgumentException($"Beta must be positive (∞ allowed), got {Beta}.", nameof(Beta));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"LearningRate must be positive and finite, got {LearningRate}.", nameof(LearningRate));
        if (GradientClipNorm is { } c && !(c > 0)) throw new ArgumentException($"GradientClipNorm must be positive, got {c}.", nameof(GradientClipNorm));
        if (EvaluationEpisodes < 0) throw new ArgumentException($"EvaluationEpisodes must be ≥ 0, got {EvaluationEpisodes}.", nameof(EvaluationEpisodes));
        if (Antithetic && Rollouts % 2 != 0)
            throw new ArgumentException($"Antithetic sampling pairs the rollouts, so Rollouts must be even, got {Rollouts}.", nameof(Rollouts));
        if (!(Damping > 0) || !double.IsFinite(Damping))
            throw new ArgumentException($"Damping must be positive and finite (e.g. 1e-3), got {Damping}.", nameof(Damping));
        if (TrustRadius is { } radius && (!(radius > 0) || !double.IsFinite(radius)))
            throw new ArgumentException($"TrustRadius must be positive and finite (the largest RMS change of a planned action per update), got {radius}.", nameof(TrustRadius));
        if (EvaluateEvery < 1) throw new ArgumentException($"EvaluateEvery must be ≥ 1, got {EvaluateEvery}.", nameof(EvaluateEvery));
        if (ParameterLowerBounds is { } bounds)
        {
            for (int i = 0; i < bounds.Count; i++)
            {
                if (double.IsNaN(bounds[i]) || double.IsPositiveInfinity(bounds[i]))
                    throw new ArgumentException($"ParameterLowerBounds[{i}] must be a number or −∞, got {bounds[i]}.", nameof(ParameterLowerBounds));
            }
        }
    }
}
