using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;

namespace DiffOp.Learning.Training;

/// <summary>How the step size changes over a run of K iterations (iteration k = 0..K−1).</summary>
public enum LearningRateSchedule
{
    /// <summary>η at every iteration (the paper's rule).</summary>
    Constant,
    /// <summary>
    /// η·(f + (1 − f)·½(1 + cos(πk/K))) with f = 0.05: large steps while far from a good θ, small ones at the end, where
    /// the estimate's noise would otherwise keep θ wandering around the optimum (stochastic approximation needs a
    /// decreasing step for that).
    /// </summary>
    Cosine,
}

/// <summary>Settings of a training run (Algorithm 1). Defaults are the paper's: N = 10, β = 0.01, η = 0.1, SGD.</summary>
public sealed record TrainingOptions
{
    /// <summary>Step (re-plan every step) or Traj (plan once per episode).</summary>
    public PolicyMode Mode { get; init; } = PolicyMode.Step;
    /// <summary>K: number of iterations (<see cref="Trainer.Train"/> runs up to it; the cosine schedule spans it).</summary>
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
    /// Start blocks: consecutive blocks of this many rollouts share an initial state, and the baselines of the baseline
    /// and reward-to-go estimators use only the other rollouts of the same block (outside the rollout's antithetic pair).
    /// 0 (the default) leaves the starts to <see cref="SharedInitialState"/>. Between <see cref="SharedInitialState"/>
    /// (one start per iteration, so every batch describes one scenario) and one start per rollout or pair (whose baseline
    /// must then come from other scenarios, or — in Step mode, where a pair's scores are not exact negatives — cannot
    /// cancel the scenario's cost): e.g. 4 with antithetic pairs gives two pairs per start, each pair's baseline the other
    /// pair's mean cost (to go). The baseline never uses the rollout's own noise, so the estimate stays unbiased.
    /// Must divide <see cref="Rollouts"/>, hold at least two rollouts (pairs, with <see cref="Antithetic"/>) for a
    /// baseline, and not be combined with <see cref="SharedInitialState"/>.
    /// </summary>
    public int RolloutsPerStart { get; init; }

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

    /// <summary>
    /// Tangent-space exploration: each plan is perturbed only along range ∂U*/∂θ — the directions in which θ can move it —
    /// with isotropic Gaussian noise of standard deviation σ per direction (β must be ∞). Noise in the other directions
    /// changes the cost, and so the estimate, without telling anything about θ: in Traj mode (U has T·m entries and θ only
    /// d) removing it cuts the estimator's variance by about T·m/d, most of all near a good θ, where the cost's gradient
    /// with respect to the actions points almost entirely out of the policy's reach. The estimator keeps eq. 8's form;
    /// its mean is the gradient of the deterministic policy's cost to first order in σ (exactly, for a cost quadratic in
    /// the actions). In Step mode only the first action is used, so it changes little there.
    /// </summary>
    public bool TangentExploration { get; init; }

    /// <summary>λ of the natural gradient's damped metric G + λ·diag G (<see cref="OptimizerKind.Natural"/>).</summary>
    public double Damping { get; init; } = ParameterOptimizer.DefaultDamping;

    /// <summary>
    /// ε of the natural gradient: the largest RMS change of a planned action per update, in the controls' units; null
    /// for no limit. For <see cref="OptimizerKind.TrustRegion"/> the initial radius Δ₀ (null: σ).
    /// </summary>
    public double? TrustRadius { get; init; }

    /// <summary>
    /// <see cref="OptimizerKind.TrustRegion"/>: the share of the batch that is run again at the candidate, for the ratio test
    /// and the curvature pair — the first whole start blocks (or antithetic pairs, or rollouts) holding about this fraction of
    /// <see cref="Rollouts"/>, at least one (<see cref="CandidateTestRollouts"/>). Default 1: the whole batch, so a tested
    /// iteration costs 2N trajectories; with ¼ it costs 1.25N and the same budget buys 60% more iterations, for a
    /// noisier ratio and curvature pair (voltage control's recipe; at 10,000 trajectories over 10 seeds Traj −6.788 against
    /// −6.780 and Step −6.796 against −6.795; docs/training.md). In (0, 1].
    /// </summary>
    public double CandidateTestFraction { get; init; } = 1.0;

    /// <summary>
    /// <see cref="OptimizerKind.TrustRegion"/>: while θ stays where it is (the candidate was rejected, or the batch could not
    /// tell the gradient from its noise), the next iteration forms ĝ, its noise estimate and the metric G from its own batch
    /// together with those of up to <c>PooledBatches − 1</c> of the iterations just before it that ran at the same θ (the
    /// oldest is dropped first). All of them were drawn at that θ, so the pooled ĝ is unbiased like one batch's and its noise
    /// falls with the pool's size: the batch grows where the gradient is hard to see and stays N where it is not. A run that
    /// is resumed re-runs the pooled batches (same seeds, same results). Default 1: each iteration on its own batch. ≥ 1.
    /// </summary>
    public int PooledBatches { get; init; } = 1;

    /// <summary>
    /// Rollouts the trust-region rule runs at a candidate: the first ⌊f·N / g⌋·g requests (at least g), where f is
    /// <see cref="CandidateTestFraction"/> and g the size of the groups that must stay whole — a start block
    /// (<see cref="RolloutsPerStart"/>), an antithetic pair, or one rollout.
    /// </summary>
    public int CandidateTestRollouts
    {
        get
        {
            int groups = (int)Math.Floor((CandidateTestFraction * Rollouts / WholeGroupSize) + 1e-9);
            return Math.Clamp(groups, 1, Math.Max(1, Rollouts / WholeGroupSize)) * WholeGroupSize;
        }
    }

    /// <summary>
    /// The rollouts that belong together in the estimate and must stay whole when part of a batch is used: a start block
    /// (<see cref="RolloutsPerStart"/>), an antithetic pair, or one rollout.
    /// </summary>
    internal int WholeGroupSize => RolloutsPerStart > 0 ? RolloutsPerStart : Antithetic ? 2 : 1;

    /// <summary>
    /// Update the entries whose lower bound (<see cref="ParameterLowerBounds"/>) is ≥ 0 in log scale
    /// (<see cref="ParameterOptimizer.LogScale"/>): the rule runs on ln θ_i, so η is a relative change of a cost weight or
    /// a mass whatever its magnitude. With Adam's steps of about η per iteration, a weight that must grow from 1 to 10³
    /// needs about ln(10³)/η iterations in log scale and 10³/η in linear scale. Sgd and Adam only; ignored for entries
    /// without a lower bound ≥ 0.
    /// </summary>
    public bool LogScalePositiveParameters { get; init; }

    /// <summary>The log-scale mask <see cref="CreateOptimizer"/> uses: entry i when <see cref="LogScalePositiveParameters"/> and its lower bound is ≥ 0.</summary>
    public bool[]? LogScaleMask(int parameterCount) =>
        LogScalePositiveParameters && ParameterLowerBounds is { } bounds
            ? Enumerable.Range(0, parameterCount).Select(i => i < bounds.Count && bounds[i] >= 0).ToArray()
            : null;

    /// <summary>How η changes over the <see cref="Iterations"/> of the run.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// The paper's settings (Algorithm 1 with §6's hyperparameters): N = 10, σ = 1, β = 0.01, SGD with η = 0.1, plain
    /// REINFORCE (eq. 8), independent initial states. Kept for comparison: with β = 0.01 the noise window is so narrow
    /// that the estimate is about β²σ²/3 of the gradient and θ hardly moves (docs/training.md).
    /// </summary>
    public static TrainingOptions Paper(PolicyMode mode) => new()
    {
        Mode = mode, Rollouts = 10, Sigma = 1.0, Beta = 0.01, LearningRate = 0.1, Optimizer = OptimizerKind.Sgd,
        Estimator = GradientEstimatorKind.Reinforce,
    };

    /// <summary>
    /// The recommended settings, the best measured on the built-in tasks (docs/training.md): untruncated Gaussian
    /// exploration with σ = <paramref name="sigma"/> (in the controls' units), the leave-one-out baseline, antithetic
    /// pairs, Adam with η = <paramref name="learningRate"/> decaying on a cosine schedule, N = 10. Traj mode perturbs each
    /// plan only along the directions θ can move it (tangent-space exploration) and gives every antithetic pair its own
    /// initial state; Step mode shares one initial state per iteration (there the partner of a pair no longer mirrors the
    /// score exactly, so the baseline must come from the same start).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">σ or η is not positive and finite.</exception>
    public static TrainingOptions Recommended(PolicyMode mode, double sigma, double learningRate)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The exploration σ must be positive and finite (in the controls' units).");
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate η must be positive and finite.");
        bool traj = mode == PolicyMode.Traj;
        return new TrainingOptions
        {
            Mode = mode, Rollouts = 10, Sigma = sigma, Beta = double.PositiveInfinity, LearningRate = learningRate,
            Optimizer = OptimizerKind.Adam, Schedule = LearningRateSchedule.Cosine, Estimator = GradientEstimatorKind.ReinforceWithBaseline,
            Antithetic = true, TangentExploration = traj, SharedInitialState = !traj,
        };
    }

    /// <summary>
    /// The recommended settings for a task whose gradient estimate at N = 10 is mostly noise and whose trajectory budget is
    /// large (voltage control in Traj mode, 10,000 trajectories; docs/training.md): the exploration and estimator of
    /// <see cref="Recommended"/>, batches of N = 100, and the trust-region quasi-Newton rule (<see cref="OptimizerKind.TrustRegion"/>,
    /// Δ₀ = σ, constant schedule — Δ is its step control). A tested iteration runs two batches, so K iterations use at most
    /// 2·K·N trajectories: K = 50 is the 10,000-trajectory budget. Step mode also changes the estimator: reward-to-go with
    /// start blocks of two antithetic pairs (<see cref="RolloutsPerStart"/> = 4), so that a batch of 100 describes 25
    /// scenarios and each pair's per-step baseline is the other pair's cost to go from the same start (on voltage control
    /// this took Step mode from −6.642 to −6.795 over 5 seeds; docs/training.md).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">σ or η is not positive and finite.</exception>
    public static TrainingOptions RecommendedTrustRegion(PolicyMode mode, double sigma, double learningRate) =>
        mode == PolicyMode.Traj
            ? Recommended(mode, sigma, learningRate) with { Rollouts = 100, Optimizer = OptimizerKind.TrustRegion, Schedule = LearningRateSchedule.Constant }
            : Recommended(mode, sigma, learningRate) with
            {
                Rollouts = 100, Optimizer = OptimizerKind.TrustRegion, Schedule = LearningRateSchedule.Constant,
                Estimator = GradientEstimatorKind.RewardToGo, SharedInitialState = false, RolloutsPerStart = 4,
            };

    /// <summary>Creates this run's optimizer (fresh state).</summary>
    /// <remarks>The trust-region rule starts with Δ₀ = <see cref="TrustRadius"/>, or σ when it is not set.</remarks>
    public ParameterOptimizer CreateOptimizer(int parameterCount) =>
        new(Optimizer, LearningRate, parameterCount, GradientClipNorm, Damping,
            Optimizer == OptimizerKind.TrustRegion ? TrustRadius ?? Sigma : TrustRadius, LogScaleMask(parameterCount));

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
        if (TangentExploration && !double.IsPositiveInfinity(Beta))
            throw new ArgumentException($"Tangent-space exploration draws untruncated Gaussian noise: set Beta to ∞ (--beta inf), got {Beta}.", nameof(Beta));
        if (Antithetic && Rollouts % 2 != 0)
            throw new ArgumentException($"Antithetic sampling pairs the rollouts, so Rollouts must be even, got {Rollouts}.", nameof(Rollouts));
        if (RolloutsPerStart < 0)
            throw new ArgumentException($"RolloutsPerStart must be ≥ 0 (0: SharedInitialState decides), got {RolloutsPerStart}.", nameof(RolloutsPerStart));
        if (RolloutsPerStart > 0)
        {
            int group = Antithetic ? 2 : 1;
            if (SharedInitialState)
                throw new ArgumentException(
                    $"SharedInitialState gives all {Rollouts} rollouts one start and RolloutsPerStart = {RolloutsPerStart} gives blocks their own: choose one (--shared-start false, or drop --rollouts-per-start).",
                    nameof(RolloutsPerStart));
            if (Rollouts % RolloutsPerStart != 0)
                throw new ArgumentException(
                    $"RolloutsPerStart = {RolloutsPerStart} must divide Rollouts = {Rollouts} (every start block is complete): change --rollouts or --rollouts-per-start.",
                    nameof(RolloutsPerStart));
            if (RolloutsPerStart % group != 0)
                throw new ArgumentException(
                    $"With antithetic pairs a start block holds whole pairs, so RolloutsPerStart must be even, got {RolloutsPerStart}.", nameof(RolloutsPerStart));
            if (RolloutsPerStart < 2 * group && Estimator != GradientEstimatorKind.Reinforce)
                throw new ArgumentException(
                    $"RolloutsPerStart = {RolloutsPerStart} leaves no other {(Antithetic ? "pair" : "rollout")} of the same start for the {Estimator} estimator's baseline: " +
                    $"use {2 * group} or more, or the reinforce estimator.", nameof(RolloutsPerStart));
        }
        if (LogScalePositiveParameters && !ParameterOptimizer.SupportsLogScale(Optimizer))
            throw new ArgumentException(
                $"Log-scale updates (LogScalePositiveParameters, --log-scale) are for the sgd, adam and trust-region rules; {Optimizer} is invariant to rescaling θ already: turn one of them off.",
                nameof(LogScalePositiveParameters));
        if (!(Damping > 0) || !double.IsFinite(Damping))
            throw new ArgumentException($"Damping must be positive and finite (e.g. 1), got {Damping}.", nameof(Damping));
        if (TrustRadius is { } radius && (!(radius > 0) || !double.IsFinite(radius)))
            throw new ArgumentException($"TrustRadius must be positive and finite (the largest RMS change of a planned action per update), got {radius}.", nameof(TrustRadius));
        if (Optimizer == OptimizerKind.TrustRegion && Schedule != LearningRateSchedule.Constant)
            throw new ArgumentException(
                $"The trust-region rule sizes its steps with its radius, which the ratio test adapts: use the constant schedule (--schedule constant), got {Schedule}.", nameof(Schedule));
        if (EvaluateEvery < 1) throw new ArgumentException($"EvaluateEvery must be ≥ 1, got {EvaluateEvery}.", nameof(EvaluateEvery));
        if (!(CandidateTestFraction > 0 && CandidateTestFraction <= 1))
            throw new ArgumentException($"CandidateTestFraction must be in (0, 1] (the share of the batch run again at a trust-region candidate), got {CandidateTestFraction}.", nameof(CandidateTestFraction));
        if (CandidateTestFraction != 1 && Optimizer != OptimizerKind.TrustRegion)
            throw new ArgumentException(
                $"CandidateTestFraction (--test-fraction) is the share of a batch the trust-region rule runs again at its candidate; the {Optimizer} rule tests no candidate: drop it, or use --optimizer trust-region.",
                nameof(CandidateTestFraction));
        if (PooledBatches < 1)
            throw new ArgumentException($"PooledBatches must be ≥ 1 (1: each iteration on its own batch), got {PooledBatches}.", nameof(PooledBatches));
        if (PooledBatches > 1 && Optimizer != OptimizerKind.TrustRegion)
            throw new ArgumentException(
                $"PooledBatches (--pool-batches) pools the batches of iterations that left θ where it was, which happens under the trust-region rule; the {Optimizer} rule moves θ every iteration: drop it, or use --optimizer trust-region.",
                nameof(PooledBatches));
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
