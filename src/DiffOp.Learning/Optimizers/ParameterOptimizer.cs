namespace DiffOp.Learning.Optimizers;

/// <summary>Which update rule trains θ.</summary>
public enum OptimizerKind
{
    /// <summary>Plain gradient descent θ ← θ − η ĝ (the paper's rule; η = 0.1 by default).</summary>
    Sgd,
    /// <summary>Adam (Kingma &amp; Ba) with β₁ = 0.9, β₂ = 0.999, ε = 1e-8.</summary>
    Adam,
    /// <summary>
    /// Natural gradient (seed 002 §4.4): θ ← θ − η (G + λ·diag G)⁻¹ ĝ, where G = E[(∂u*_t/∂θ)ᵀ(∂u*_t/∂θ)] is the mean
    /// per-step metric of the planned actions (σ² times the Fisher matrix of the Gaussian exploration, per step). The
    /// step is the same for any rescaling of θ's entries (C_v → 1000·C_v moves the policy identically), because it is
    /// measured by how much it changes the planned actions, not θ. With a trust radius ε the step is shortened so
    /// that √(Δθᵀ(G + λ·diag G)Δθ) — the RMS change of a planned action, inflated by the damping — is at most ε (TRPO-style).
    /// </summary>
    Natural,
    /// <summary>
    /// Adam measured in action units: Adam's step for entry i is divided by √G_ii, the RMS change of a planned action per
    /// unit of θ_i (G as for <see cref="Natural"/>), so η is a change of the planned actions (controls' units) and the
    /// step is the same for any rescaling of θ's entries. Diagonal, so it needs no well-conditioned G.
    /// </summary>
    ActionAdam,
    /// <summary>
    /// Trust-region quasi-Newton (seed 003's trust-region step with a BFGS model): each iteration proposes the step that
    /// minimizes the model ĝᵀs + ½sᵀBs within ‖s‖ ≤ Δ, measured in the damped metric of <see cref="Natural"/> (so Δ is an RMS
    /// change of the planned actions and the step is invariant to rescaling θ's entries). The trainer runs the iteration's
    /// rollouts again at the candidate with the same seeds and noise (common random numbers) and accepts it when the
    /// measured decrease is at least a tenth of the model's; Δ shrinks after a poor ratio and grows after a good one. B is
    /// updated from the same-sample gradient difference (Powell-damped BFGS, so it stays positive definite). Each iteration
    /// costs two batches of rollouts; the learning-rate schedule does not apply (Δ is the step control).
    /// </summary>
    TrustRegion,
}

/// <summary>
/// An update rule with serializable state (for exact resume from a checkpoint). <c>TryStep</c> never
/// writes a non-finite θ: a non-finite gradient or step leaves θ (and the state) unchanged and returns false.
/// </summary>
public sealed partial class ParameterOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, SensitivityFloor = 0.01;

    /// <summary>Creates an optimizer for d parameters.</summary>
    /// <param name="kind">The update rule.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="parameterCount">d.</param>
    /// <param name="gradientClipNorm">Optional clipping of ĝ's norm (of the log-scale gradient where <paramref name="logScale"/> says so).</param>
    /// <param name="damping">λ of the natural gradient's damped metric.</param>
    /// <param name="trustRadius">ε of the natural gradient, Δ₀ of the trust-region rule.</param>
    /// <param name="logScale">
    /// Optional, length d: entries updated in log scale (<see cref="LogScale"/>). For <see cref="OptimizerKind.Sgd"/>,
    /// <see cref="OptimizerKind.Adam"/> and <see cref="OptimizerKind.TrustRegion"/> (whose model then lives in those
    /// coordinates); the natural-gradient rules are invariant to rescaling θ already.
    /// </param>
    public ParameterOptimizer(OptimizerKind kind, double learningRate, int parameterCount, double? gradientClipNorm = null,
        double damping = DefaultDamping, double? trustRadius = null, IReadOnlyList<bool>? logScale = null)
    {
        if (logScale is not null)
        {
            if (logScale.Count != parameterCount)
                throw new ArgumentException($"The log-scale mask has {logScale.Count} entries; θ has {parameterCount}.", nameof(logScale));
            if (!SupportsLogScale(kind) && logScale.Contains(true))
                throw new ArgumentException(
                    $"Log-scale updates are for the sgd, adam and trust-region rules; {kind} measures its steps by the change of the planned actions, which is invariant to rescaling θ already.",
                    nameof(logScale));
            LogScale = logScale.ToArray();
        }
        if (!(damping > 0) || !double.IsFinite(damping))
            throw new ArgumentOutOfRangeException(nameof(damping), damping, "The natural gradient's damping λ must be positive and finite (e.g. 1).");
        if (trustRadius is { } radius && (!(radius > 0) || !double.IsFinite(radius)))
            throw new ArgumentOutOfRangeException(nameof(trustRadius), radius, "The trust radius must be positive and finite (it is the largest RMS change of a planned action per update).");
        Damping = damping;
        TrustRadius = trustRadius;
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate η must be positive and finite.");
        if (gradientClipNorm is { } c && !(c > 0))
            throw new ArgumentOutOfRangeException(nameof(gradientClipNorm), c, "The gradient clip norm must be positive.");
        Kind = kind;
        LearningRate = learningRate;
        GradientClipNorm = gradientClipNorm;
        FirstMoment = new double[parameterCount];
        SecondMoment = new double[parameterCount];
        SensitivityReference = new double[parameterCount];
        Hessian = new double[parameterCount * parameterCount];
        if (kind == OptimizerKind.TrustRegion && trustRadius is null)
            throw new ArgumentException("The trust-region rule needs its initial radius Δ₀ (an RMS change of the planned actions, e.g. the exploration σ).", nameof(trustRadius));
        Radius = kind == OptimizerKind.TrustRegion ? trustRadius!.Value : double.NaN;
    }

    /// <summary>The rule.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>
    /// Entries updated in log scale (null: none). For such an entry with θ_i &gt; 0 the rule runs on φ_i = ln θ_i: its
    /// gradient is θ_i·ĝ_i and the update θ_i ← θ_i·exp(−Δφ_i) is a relative change, so η means "a fraction of the
    /// value" whether θ_i is 10⁻² or 10⁴, and θ_i stays positive. Meant for scale parameters — cost weights, masses,
    /// lengths — whose useful values span orders of magnitude (the voltage task's C_v: 1 at the start, 10²–10⁶ where the
    /// policy is good). An entry at θ_i ≤ 0 takes the ordinary step.
    /// </summary>
    public IReadOnlyList<bool>? LogScale { get; }

    /// <summary>
    /// True for the rules that take log-scale entries (<see cref="LogScale"/>): sgd, adam and the trust-region rule. The
    /// natural-gradient rules measure their steps by the change of the planned actions, which no rescaling of θ changes.
    /// </summary>
    public static bool SupportsLogScale(OptimizerKind kind) => kind is OptimizerKind.Sgd or OptimizerKind.Adam or OptimizerKind.TrustRegion;

    private bool InLogScale(int i, double value) => LogScale is { } mask && mask[i] && value > 0;
    /// <summary>η.</summary>
    public double LearningRate { get; }

    /// <summary>
    /// Factor in (0, 1] on η (and on the natural step's trust radius) for the next update: the trainer sets it from the
    /// learning-rate schedule. 1 by default.
    /// </summary>
    public double RateScale
    {
        get => _rateScale;
        set
        {
            if (!(value > 0) || value > 1) throw new ArgumentOutOfRangeException(nameof(value), value, "The rate scale must be in (0, 1].");
            _rateScale = value;
        }
    }

    private double _rateScale = 1.0;

    private double EffectiveRate => LearningRate * _rateScale;
    /// <summary>If set, ĝ is scaled down to this Euclidean norm before the update.</summary>
    public double? GradientClipNorm { get; }
    /// <summary>Default relative damping λ of the natural gradient's metric (G + λ·diag G).</summary>
    public const double DefaultDamping = 1.0;
    /// <summary>λ: relative damping of the natural gradient's metric (G + λ·diag G); scale-invariant, unlike G + λI.</summary>
    public double Damping { get; }
    /// <summary>ε: the natural step's largest RMS change of a planned action, √(ΔθᵀGΔθ); null for no limit.</summary>
    public double? TrustRadius { get; }
    /// <summary>True when <see cref="TryStep(Span{double}, ReadOnlySpan{double}, ReadOnlySpan{double})"/> needs the metric G.</summary>
    public bool NeedsMetric => Kind is OptimizerKind.Natural or OptimizerKind.ActionAdam or OptimizerKind.TrustRegion;
    /// <summary>Adam's m (zeros for SGD).</summary>
    public double[] FirstMoment { get; private set; }
    /// <summary>Adam's v (zeros for SGD).</summary>
    public double[] SecondMoment { get; private set; }
    /// <summary>Updates applied so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>
    /// <see cref="OptimizerKind.ActionAdam"/>'s reference sensitivities √G_ii from its first update (zeros before it and
    /// for the other rules). An entry's sensitivity is floored at 1% of its reference, so an entry that momentarily moves
    /// no action (e.g. a row of A while its voltage weight is 0) cannot take an unbounded step.
    /// </summary>
    public double[] SensitivityReference { get; private set; }

    /// <summary>Restores state saved in a checkpoint (<paramref name="sensitivityReference"/>: null for checkpoints that have none).</summary>
    public void Restore(double[] firstMoment, double[] secondMoment, int stepCount, double[]? sensitivityReference = null)
    {
        if (firstMoment.Length != FirstMoment.Length || secondMoment.Length != SecondMoment.Length)
            throw new ArgumentException($"The optimizer state has {firstMoment.Length} entries; θ has {FirstMoment.Length}.");
        if (sensitivityReference is not null && sensitivityReference.Length != FirstMoment.Length)
            throw new ArgumentException($"The optimizer's sensitivity reference has {sensitivityReference.Length} entries; θ has {FirstMoment.Length}.");
        FirstMoment = (double[])firstMoment.Clone();
        SecondMoment = (double[])secondMoment.Clone();
        SensitivityReference = sensitivityReference is null ? new double[FirstMoment.Length] : (double[])sensitivityReference.Clone();
        StepCount = stepCount;
    }

    /// <summary>Applies one update to θ in place; false (and no change) when the gradient or the step is not finite.</summary>
    /// <exception cref="InvalidOperationException">The rule is <see cref="OptimizerKind.Natural"/>, which needs the metric.</exception>
    public bool TryStep(Span<double> theta, ReadOnlySpan<double> gradient)
    {
        if (NeedsMetric) throw new InvalidOperationException("The natural gradient needs the metric G: call TryStep(theta, gradient, metric).");
        return TryStep(theta, gradient, ReadOnlySpan<double>.Empty);
    }

    /// <summary>
    /// Applies one update to θ in place, with the metric G (d × d row-major, symmetric positive semi-definite) for the
    /// natural gradient (ignored by the other rules); false (and no change) when the gradient or the step is not finite.
    /// </summary>
    public bool TryStep(Span<double> theta, ReadOnlySpan<double> gradient, ReadOnlySpan<double> metric)
    {
        if (gradient.Length != theta.Length) throw new ArgumentException($"ĝ has length {gradient.Length}; θ has {theta.Length}.", nameof(gradient));
        if (Kind == OptimizerKind.TrustRegion)
            throw new InvalidOperationException("The trust-region rule needs a ratio test on the true system: use ProposeTrustRegionStep and ConcludeTrustRegionStep (the Trainer does).");
        if (NeedsMetric)
        {
            if (metric.Length != theta.Length * theta.Length)
                throw new ArgumentException($"The metric has {metric.Length} entries; θ has {theta.Length}, so d² = {theta.Length * theta.Length} are needed.", nameof(metric));
            if (Kind == OptimizerKind.Natural) return TryNaturalStep(theta, gradient, metric);
        }
        // In log scale the rule sees ∂C/∂ln θ_i = θ_i·∂C/∂θ_i (also for the clipping norm).
        var work = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++) work[i] = InLogScale(i, theta[i]) ? theta[i] * gradient[i] : gradient[i];
        double norm = Norm(work);
        if (!double.IsFinite(norm)) return false;
        double scale = GradientClipNorm is { } clip && norm > clip ? clip / norm : 1.0;
        var next = new double[theta.Length];
        var m = (double[])FirstMoment.Clone();
        var v = (double[])SecondMoment.Clone();
        var reference = (double[])SensitivityReference.Clone();
        int t = StepCount + 1;
        for (int i = 0; i < theta.Length; i++)
        {
            double g = work[i] * scale;
            if (Kind == OptimizerKind.Sgd) next[i] = Apply(i, theta[i], EffectiveRate * g);
            else
            {
                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(Beta1, t)), vHat = v[i] / (1 - Math.Pow(Beta2, t));
                double unit = 1.0;
                if (Kind == OptimizerKind.ActionAdam)
                {
                    double sensitivity = Math.Sqrt(Math.Max(metric[(i * theta.Length) + i], 0.0));
                    if (reference[i] == 0) reference[i] = sensitivity;
                    sensitivity = Math.Max(sensitivity, SensitivityFloor * reference[i]);
                    unit = sensitivity > 0 ? 1.0 / sensitivity : 0.0;   // an entry that never moved an action is left alone
                }
                next[i] = Apply(i, theta[i], EffectiveRate * unit * mHat / (Math.Sqrt(vHat) + Epsilon));
            }
            if (!double.IsFinite(next[i])) return false;
        }
        next.CopyTo(theta);
        FirstMoment = m;
        SecondMoment = v;
        SensitivityReference = reference;
        StepCount = t;
        return true;
    }

    /// <summary>θ_i after a descent step of size <paramref name="step"/>: θ_i − step, or θ_i·exp(−step) in log scale.</summary>
    private double Apply(int i, double value, double step) => InLogScale(i, value) ? value * Math.Exp(-step) : value - step;

    private bool TryNaturalStep(Span<double> theta, ReadOnlySpan<double> gradient, ReadOnlySpan<double> metric)
    {
        int d = theta.Length;
        double norm = Norm(gradient);
        if (!double.IsFinite(norm)) return false;
        double scale = GradientClipNorm is { } clip && norm > clip ? clip / norm : 1.0;
        // Momentum on ĝ (β₁ = 0.9, bias-corrected like Adam's first moment) averages the noise of about ten batches.
        int t = StepCount + 1;
        var m = (double[])FirstMoment.Clone();
        var g = new double[d];
        for (int i = 0; i < d; i++)
        {
            m[i] = Beta1 * m[i] + (1 - Beta1) * gradient[i] * scale;
            g[i] = m[i] / (1 - Math.Pow(Beta1, t));
        }
        var damped = NaturalDirection.Damped(metric, d, Damping);
        var direction = damped is null ? null : NaturalDirection.Solve(damped, g);
        if (direction is null) return false;
        // The trust region is measured in the damped metric: in G alone a direction that hardly moves the actions
        // would look short however far it moves θ.
        double length = Math.Sqrt(Math.Max(0.0, NaturalDirection.Quadratic(damped!, direction)));
        double step = EffectiveRate;
        if (TrustRadius is { } radius && step * length > radius * _rateScale) step = radius * _rateScale / length;
        var next = new double[d];
        for (int i = 0; i < d; i++)
        {
            next[i] = theta[i] - step * direction[i];
            if (!double.IsFinite(next[i])) return false;
        }
        next.CopyTo(theta);
        FirstMoment = m;
        StepCount = t;
        return true;
    }

    /// <summary>Euclidean norm.</summary>
    public static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
