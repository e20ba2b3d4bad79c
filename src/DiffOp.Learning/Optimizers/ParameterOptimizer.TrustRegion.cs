namespace DiffOp.Learning.Optimizers;

/// <summary>
/// A trust-region candidate (<see cref="ParameterOptimizer.ProposeTrustRegionStep"/>): the trainer measures the cost at
/// <see cref="Candidate"/> and hands the measured decrease to <see cref="ParameterOptimizer.ConcludeTrustRegionStep"/>.
/// </summary>
/// <param name="Candidate">θ + s, projected onto θ's lower bounds (with <see cref="ParameterOptimizer.LogScale"/>: those entries
/// θ_i·exp(s_i)).</param>
/// <param name="Step">s = candidate − θ after the projection, in the model's coordinates (ln θ_i for the log-scale entries).</param>
/// <param name="Gradient">The ĝ at θ the model was built from, in the model's coordinates (before the shrinkage, see <see cref="GradientShrink"/>).</param>
/// <param name="PredictedDecrease">−(κĝᵀs + ½sᵀBs) with κ = <see cref="GradientShrink"/>: the decrease the model promises (≤ 0: no useful step).</param>
/// <param name="StepLength">‖s‖ in the damped metric: the RMS change of the planned actions the step makes, inflated by the damping.</param>
/// <param name="ClampedParameters">Entries the projection onto the lower bounds moved.</param>
public sealed record TrustRegionProposal(double[] Candidate, double[] Step, double[] Gradient, double PredictedDecrease, double StepLength, int ClampedParameters)
{
    /// <summary>The model's B (d × d row-major) the step came from.</summary>
    internal double[] Model { get; init; } = [];

    /// <summary>The entries the model treats in log scale (φ_i = ln θ_i); empty when none.</summary>
    internal bool[] LogEntries { get; init; } = [];

    /// <summary>θ the proposal was made at (in θ's own coordinates).</summary>
    internal double[] Theta { get; init; } = [];

    /// <summary>
    /// The factor in [0, 1] on ĝ in the model's linear term (1 without a noise estimate). 0: ĝ is indistinguishable from its
    /// noise, so there is no step to test; concluding such a proposal changes neither θ nor Δ.
    /// </summary>
    public double GradientShrink { get; init; } = 1;
}

/// <summary>What the ratio test decided (<see cref="ParameterOptimizer.ConcludeTrustRegionStep"/>).</summary>
/// <param name="Accepted">True when θ moves to the candidate.</param>
/// <param name="Ratio">ρ = measured decrease / predicted decrease (NaN when nothing could be measured).</param>
/// <param name="Radius">Δ for the next iteration.</param>
public sealed record TrustRegionOutcome(bool Accepted, double Ratio, double Radius);

public sealed partial class ParameterOptimizer
{
    /// <summary>A candidate is accepted when ρ is at least this (Nocedal &amp; Wright's η₁, Algorithm 4.1).</summary>
    public const double AcceptRatio = 0.1;

    /// <summary>
    /// An accepted interior step (shorter than 0.9 Δ) whose measured decrease is more than this many times the predicted
    /// one halves B: the cost is flatter along the step than the model says, and Δ cannot correct that (it only grows after
    /// a step that reached it).
    /// </summary>
    public const double FlatterThanModelRatio = 2.0;
    private const double ShrinkBelow = 0.25, GrowAbove = 0.75, ShrinkFactor = 0.5, GrowFactor = 2.0, RadiusRange = 1e6;

    /// <summary>
    /// <see cref="OptimizerKind.TrustRegion"/>'s quasi-Newton model B of the cost's Hessian (d × d row-major; zeros until its
    /// first proposal, which sets B to the damped metric scaled so the first step just reaches Δ₀).
    /// </summary>
    public double[] Hessian { get; private set; }

    /// <summary><see cref="OptimizerKind.TrustRegion"/>'s current radius Δ (RMS change of the planned actions); NaN for the other rules.</summary>
    public double Radius { get; private set; }

    /// <summary>Restores the trust-region state saved in a checkpoint.</summary>
    /// <exception cref="ArgumentException">The state has the wrong size, a non-finite entry, or Δ ≤ 0.</exception>
    public void RestoreTrustRegion(double[] hessian, double radius)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        if (hessian.Length != Hessian.Length)
            throw new ArgumentException($"The trust-region model has {hessian.Length} entries; θ has {FirstMoment.Length}, so d² = {Hessian.Length} are needed.", nameof(hessian));
        if (hessian.Any(v => !double.IsFinite(v))) throw new ArgumentException("The trust-region model has a non-finite entry.", nameof(hessian));
        if (!(radius > 0) || !double.IsFinite(radius)) throw new ArgumentException($"The trust radius must be positive and finite, got {radius}.", nameof(radius));
        Hessian = (double[])hessian.Clone();
        Radius = radius;
    }

    /// <summary>
    /// Proposes the step s minimizing ĝᵀs + ½sᵀBs subject to √(sᵀMs) ≤ Δ, where M = G + λ·diag G is the damped metric of the
    /// planned actions (as for the natural gradient), then projects θ + s onto <paramref name="lowerBounds"/>. Changes no
    /// state. Null when ĝ or G is not finite or M is singular. With <see cref="LogScale"/>, the entries it marks (at positive
    /// values) are modelled in φ_i = ln θ_i: the gradient and the metric are scaled by θ_i, their lower bounds drop out
    /// (θ_i = e^φ_i stays positive), and the candidate is θ_i·e^s_i — a step that is a fraction of the value, so a cost
    /// weight can grow by orders of magnitude in a few steps where its scale is what matters.
    /// </summary>
    /// <param name="theta">θ.</param>
    /// <param name="gradient">ĝ at θ.</param>
    /// <param name="metric">G at θ, d × d row-major.</param>
    /// <param name="lowerBounds">θ's lower bounds (−∞ where unbounded), or null.</param>
    /// <param name="jackknife">
    /// Leave-one-group-out estimates of ĝ (<see cref="Training.TrainingBatch.LeaveOneGroupOut"/>), or null/empty to take ĝ as
    /// exact. With them the model's gradient is shrunk, ĝ·max(0, 1 − tr(M⁻¹Σ)/ĝᵀM⁻¹ĝ) with Σ the jackknife covariance of
    /// ĝ: a step chosen along a noisy ĝ decreases the cost by only about that fraction of ĝᵀs, so without the shrinkage
    /// the ratio test would see ρ ≈ cos(ĝ, ∇C) and shrink Δ for ever. Zero shrunk gradient: no step, Δ unchanged.
    /// </param>
    public TrustRegionProposal? ProposeTrustRegionStep(ReadOnlySpan<double> theta, ReadOnlySpan<double> gradient, ReadOnlySpan<double> metric, IReadOnlyList<double>? lowerBounds,
        IReadOnlyList<double[]>? jackknife = null)
    {
        if (Kind != OptimizerKind.TrustRegion) throw new InvalidOperationException($"ProposeTrustRegionStep belongs to the trust-region rule; this optimizer is {Kind}.");
        int d = theta.Length;
        if (gradient.Length != d) throw new ArgumentException($"ĝ has length {gradient.Length}; θ has {d}.", nameof(gradient));
        if (metric.Length != d * d) throw new ArgumentException($"The metric has {metric.Length} entries; θ has {d}, so d² = {d * d} are needed.", nameof(metric));
        if (!double.IsFinite(Norm(gradient))) return null;
        // Log-scale entries (LogScale): the model runs on φ_i = ln θ_i, with ∂C/∂φ_i = θ_i·∂C/∂θ_i and the metric scaled alike.
        var log = new bool[d];
        for (int i = 0; i < d; i++) log[i] = InLogScale(i, theta[i]);
        bool anyLog = log.Contains(true);
        var originalTheta = theta.ToArray();
        var phi = theta.ToArray();
        var g = gradient.ToArray();
        if (anyLog)
        {
            var scaledMetric = metric.ToArray();
            for (int i = 0; i < d; i++)
            {
                if (!log[i]) continue;
                phi[i] = Math.Log(theta[i]);
                g[i] *= theta[i];
                for (int j = 0; j < d; j++) { scaledMetric[(i * d) + j] *= theta[i]; scaledMetric[(j * d) + i] *= theta[i]; }
            }
            metric = scaledMetric;
            if (jackknife is not null) jackknife = jackknife.Select(e => e.Select((v, i) => log[i] ? v * originalTheta[i] : v).ToArray()).ToArray();
            if (lowerBounds is not null) lowerBounds = lowerBounds.Select((b, i) => log[i] ? double.NegativeInfinity : b).ToArray();
        }
        theta = phi;
        if (GradientClipNorm is { } clip && Norm(g) > clip)
        {
            double scale = clip / Norm(g);
            for (int i = 0; i < d; i++) g[i] *= scale;
        }
        var damped = NaturalDirection.Damped(metric, d, Damping);
        if (damped is null) return null;
        // Without a noise estimate ĝ is taken as exact; with one, ĝ is shrunk by its own signal-to-noise ratio.
        double shrink = 1;
        if (jackknife is { Count: >= 2 })
        {
            int n = jackknife.Count;
            var mean = new double[d];
            foreach (var e in jackknife)
                for (int i = 0; i < d; i++) mean[i] += e[i] / n;
            double noise = 0;
            foreach (var e in jackknife)
            {
                var deviation = e.Zip(mean, (x, y) => x - y).ToArray();
                noise += MetricInverseNorm(damped, deviation, deviation) * (n - 1) / n;
            }
            double signal = MetricInverseNorm(damped, g, g);
            if (!(signal > 0) || !double.IsFinite(noise)) return null;
            shrink = Math.Max(0, 1 - (noise / signal));
            if (shrink == 0) return new TrustRegionProposal(originalTheta, new double[d], g, 0, 0, 0) { Model = (double[])Hessian.Clone(), GradientShrink = 0, LogEntries = log, Theta = originalTheta };
        }
        var modelGradient = g.Select(v => shrink * v).ToArray();
        var model = (double[])Hessian.Clone();
        if (model.All(v => v == 0))
        {
            // First model: B₀ = c·M with c chosen so that the unconstrained step −B₀⁻¹ĝ has length Δ₀ (a natural-gradient step).
            var natural = NaturalDirection.Solve(damped, modelGradient);
            if (natural is null) return null;
            double naturalLength = Math.Sqrt(Math.Max(0, NaturalDirection.Quadratic(damped, natural)));
            if (!(naturalLength > 0) || !double.IsFinite(naturalLength)) return null;
            double c = naturalLength / Radius;
            for (int i = 0; i < model.Length; i++) model[i] = c * damped[i];
        }
        var step = TrustRegionSubproblem.Solve(model, damped, modelGradient, Radius);
        if (step is null) return null;
        var candidate = new double[d];
        int clamped = 0;
        for (int i = 0; i < d; i++)
        {
            candidate[i] = theta[i] + step[i];
            if (lowerBounds is not null && candidate[i] < lowerBounds[i]) { candidate[i] = lowerBounds[i]; clamped++; }
            step[i] = candidate[i] - theta[i];
            if (!double.IsFinite(candidate[i])) return null;
        }
        double linear = 0;
        for (int i = 0; i < d; i++) linear += modelGradient[i] * step[i];
        double predicted = -(linear + (0.5 * NaturalDirection.Quadratic(model, step)));
        double length = Math.Sqrt(Math.Max(0, NaturalDirection.Quadratic(damped, step)));
        for (int i = 0; i < d; i++)
        {
            if (!log[i]) continue;
            candidate[i] = Math.Exp(candidate[i]);
            if (!(candidate[i] > 0) || !double.IsFinite(candidate[i])) return null;
        }
        return new TrustRegionProposal(candidate, step, g, predicted, length, clamped) { Model = model, GradientShrink = shrink, LogEntries = log, Theta = originalTheta };
    }

    /// <summary>xᵀM⁻¹y for the damped metric M (NaN when M is singular).</summary>
    private static double MetricInverseNorm(double[] damped, double[] x, double[] y)
    {
        var solved = NaturalDirection.Solve(damped, y);
        if (solved is null) return double.NaN;
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * solved[i];
        return sum;
    }

    /// <summary>
    /// The ratio test: ρ = <paramref name="measuredDecrease"/> / predicted decrease; the step is accepted when ρ ≥
    /// <see cref="AcceptRatio"/>. Δ halves when ρ &lt; ¼ and doubles when ρ &gt; ¾ and
    /// the step reached the boundary. B takes a Powell-damped BFGS update from y = <paramref name="candidateGradient"/> − ĝ
    /// (an estimate at the candidate from the same samples as ĝ), whether or not the step is accepted; empty: no update.
    /// An accepted interior step with ρ &gt; <see cref="FlatterThanModelRatio"/> then halves B.
    /// </summary>
    /// <param name="proposal">The proposal being tested.</param>
    /// <param name="measuredDecrease">Cost at θ minus cost at the candidate on common random numbers; NaN rejects.</param>
    /// <param name="candidateGradient">ĝ at the candidate from the same rollouts' seeds, or empty.</param>
    /// <param name="gradientOnSameSamples">
    /// ĝ at θ from exactly the rollouts <paramref name="candidateGradient"/> repeats, when that is only part of the batch
    /// (<see cref="Training.TrainingOptions.CandidateTestFraction"/>); empty: the proposal's own ĝ (the whole batch was repeated).
    /// </param>
    public TrustRegionOutcome ConcludeTrustRegionStep(TrustRegionProposal proposal, double measuredDecrease, ReadOnlySpan<double> candidateGradient,
        ReadOnlySpan<double> gradientOnSameSamples = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (Kind != OptimizerKind.TrustRegion) throw new InvalidOperationException($"ConcludeTrustRegionStep belongs to the trust-region rule; this optimizer is {Kind}.");
        if (proposal.GradientShrink == 0)
        {
            StepCount++;
            return new TrustRegionOutcome(false, double.NaN, Radius);
        }
        double ratio = proposal.PredictedDecrease > 0 && double.IsFinite(measuredDecrease) ? measuredDecrease / proposal.PredictedDecrease : double.NaN;
        bool accepted = ratio >= AcceptRatio;
        double initial = TrustRadius!.Value;
        double radius = Radius;
        // Halve Δ itself, not the (possibly much shorter) step: with a curved model the step is often interior, and a noisy
        // ratio would otherwise collapse Δ by orders of magnitude in one iteration (seen on voltage: 0.004 → 4e-5), after
        // which the doubling rule needs many iterations to recover.
        if (!(ratio >= ShrinkBelow)) radius = ShrinkFactor * radius;
        else if (ratio > GrowAbove && proposal.StepLength >= 0.9 * radius) radius *= GrowFactor;
        radius = Math.Clamp(radius, initial / RadiusRange, initial * RadiusRange);
        var model = proposal.Model.Length == Hessian.Length ? (double[])proposal.Model.Clone() : (double[])Hessian.Clone();
        if (candidateGradient.Length == proposal.Gradient.Length)
        {
            if (!gradientOnSameSamples.IsEmpty && gradientOnSameSamples.Length != proposal.Gradient.Length)
                throw new ArgumentException($"The gradient on the same samples has length {gradientOnSameSamples.Length}; θ has {proposal.Gradient.Length}.", nameof(gradientOnSameSamples));
            var y = new double[proposal.Gradient.Length];
            for (int i = 0; i < y.Length; i++)
            {
                // In the model's coordinates: a log-scale entry's gradient at the candidate is θ_i(candidate)·ĝ_i, at θ θ_i·ĝ_i.
                bool log = proposal.LogEntries.Length == y.Length && proposal.LogEntries[i];
                double scale = log ? proposal.Candidate[i] : 1;
                double atTheta = gradientOnSameSamples.IsEmpty ? proposal.Gradient[i] : (log ? proposal.Theta[i] : 1) * gradientOnSameSamples[i];
                y[i] = (scale * candidateGradient[i]) - atTheta;
            }
            TrustRegionSubproblem.DampedBfgsUpdate(model, proposal.Step, y);
        }
        // The model's curvature along an interior step was too high by more than a factor of two: halve B so the next steps
        // along such a valley can be longer (on voltage control in Step mode this kept the slow seed of ten from stalling).
        if (accepted && ratio > FlatterThanModelRatio && proposal.StepLength < 0.9 * Radius)
            for (int i = 0; i < model.Length; i++) model[i] *= 0.5;
        Hessian = model;
        Radius = radius;
        StepCount++;
        return new TrustRegionOutcome(accepted, ratio, radius);
    }
}
