using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;

namespace DiffOp.Learning.Training;

/// <summary>
/// One iteration's exploring rollouts as the <see cref="Trainer"/> makes them, and the gradient estimate it forms from
/// their results: public so that tools (e.g. the estimator-variance measurement) use exactly the trainer's rules.
/// </summary>
public static class TrainingBatch
{
    /// <summary>
    /// The N exploring requests of iteration <paramref name="iteration"/> (0-based). Seeds depend only on (run seed,
    /// iteration, rollout index); a shared start gives every rollout rollout 0's initial state, a start block
    /// (<see cref="TrainingOptions.RolloutsPerStart"/>) its first rollout's; antithetic pairs (2k, 2k+1) share the even
    /// rollout's seeds and the odd one mirrors its noise.
    /// </summary>
    /// <param name="options">The run's settings (validated by the caller).</param>
    /// <param name="iteration">0-based iteration.</param>
    /// <param name="needsMetric">True when the optimizer needs the metric G (<see cref="Optimizers.ParameterOptimizer.NeedsMetric"/>).</param>
    public static IReadOnlyList<RolloutRequest> ExploringRequests(TrainingOptions options, int iteration, bool needsMetric)
    {
        ArgumentNullException.ThrowIfNull(options);
        var detail = (options.Estimator == GradientEstimatorKind.RewardToGo ? RolloutDetail.StageScores : RolloutDetail.None)
                     | (needsMetric ? RolloutDetail.Metric : RolloutDetail.None);
        return Enumerable.Range(0, options.Rollouts).Select(k =>
        {
            int source = options.Antithetic ? k - (k % 2) : k;
            int seed = SeedSequence.Rollout(options.Seed, iteration, source);
            // A shared start (or a start block) takes the initial state of its first rollout; the noise stays the rollout's (or pair's) own.
            int? startOf = options.SharedInitialState ? 0 : options.RolloutsPerStart > 0 ? k - (k % options.RolloutsPerStart) : null;
            var request = startOf is { } first
                ? new RolloutRequest(SeedSequence.Rollout(options.Seed, iteration, first), Explore: true, NoiseSeed: SeedSequence.Noise(seed))
                : new RolloutRequest(seed, Explore: true);
            return request with { Mirror = options.Antithetic && k % 2 == 1, Detail = detail, Tangent = options.TangentExploration };
        }).ToArray();
    }

    /// <summary>ĝ from the iteration's exploring results with the options' estimator, pairing and score normalization.</summary>
    public static double[] Estimate(TrainingOptions options, IReadOnlyList<RolloutResult> results, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        return EstimateWithout(options, results, parameterCount, leftOut: default);
    }

    /// <summary>ĝ with the rollouts <paramref name="leftOut"/> (first index, count) treated as dropped.</summary>
    private static double[] EstimateWithout(TrainingOptions options, IReadOnlyList<RolloutResult> results, int parameterCount, (int First, int Count) leftOut) =>
        GradientEstimator.Estimate(options.Estimator, results, parameterCount, options.Antithetic ? 2 : 1, ScoreScale(options), options.RolloutsPerStart, leftOut);

    /// <summary>
    /// The jackknife of <see cref="Estimate"/>: one estimate per group of kept rollouts (a rollout, an antithetic pair, or
    /// with <see cref="TrainingOptions.RolloutsPerStart"/> a whole start block, since the block's baselines depend on all
    /// of it) with that group left out. Their spread estimates the noise of ĝ: Cov ĝ ≈ (n − 1)/n Σ_j (ĝ₍₋ⱼ₎ − ĝ₍.₎)(ĝ₍₋ⱼ₎ − ĝ₍.₎)ᵀ.
    /// Empty when fewer than two groups were kept.
    /// </summary>
    public static IReadOnlyList<double[]> LeaveOneGroupOut(TrainingOptions options, IReadOnlyList<RolloutResult> results, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(results);
        int groupSize = options.WholeGroupSize;
        var groups = Enumerable.Range(0, results.Count).Where(i => !results[i].Dropped).Select(i => i / groupSize).Distinct().ToArray();
        if (groups.Length < 2) return [];
        return groups.Select(left => EstimateWithout(options, results, parameterCount, leftOut: (left * groupSize, groupSize))).ToArray();
    }

    /// <summary>σ²/Var(ε) when the score is normalized by the truncated noise's variance, else 1.</summary>
    public static double ScoreScale(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.NormalizeTruncatedScore
            ? options.Sigma * options.Sigma / new TruncatedGaussianExploration(options.Sigma, options.Beta).DeviationVariance()
            : 1.0;
    }
}
