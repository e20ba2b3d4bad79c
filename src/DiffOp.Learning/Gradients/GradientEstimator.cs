using DiffOp.Learning.Training;

namespace DiffOp.Learning.Gradients;

/// <summary>Which policy-gradient estimator turns a batch of rollouts into ĝ. All of them are unbiased for β = ∞.</summary>
public enum GradientEstimatorKind
{
    /// <summary>Paper eq. (8): ĝ = (1/N) Σ_n L(τ_n) s_n, with s_n the rollout's score Σ_t (u_t − u*_t)ᵀ∂u*_t/∂θ/σ².</summary>
    Reinforce,
    /// <summary>
    /// REINFORCE with the batch-mean baseline (variance reduction, seed 002 §4.1), leave-one-out so it stays
    /// unbiased: ĝ = (1/N) Σ_n (L_n − mean_{k≠n} L_k) s_n = (1/(N−1)) Σ_n (L_n − L̄) s_n. With antithetic pairs the
    /// baseline leaves out the rollout's partner too (it shares the rollout's noise).
    /// </summary>
    ReinforceWithBaseline,
    /// <summary>
    /// Reward-to-go with a per-step leave-one-out baseline: ĝ = (1/N) Σ_n Σ_t s_{n,t} (R_{n,t} − b_{n,t}), where
    /// R_{n,t} = Σ_{s≥t} c_{n,s} and b_{n,t} is the mean of R_{k,t} over the other rollouts (partners excluded). The
    /// action at step t cannot change the costs before t, so dropping them removes variance and no mean. Needs the
    /// per-step scores (<see cref="RolloutDetail.StageScores"/>).
    /// </summary>
    RewardToGo,
}

/// <summary>Computes ĝ from the kept (not dropped) rollouts of one iteration.</summary>
public static class GradientEstimator
{
    /// <summary>ĝ (length d); all zeros when no rollout was kept.</summary>
    /// <param name="kind">The estimator.</param>
    /// <param name="rollouts">The iteration's exploring rollouts, in request order.</param>
    /// <param name="parameterCount">d.</param>
    /// <param name="groupSize">
    /// 1, or 2 when the rollouts come in antithetic pairs (2k, 2k+1): a baseline then never uses the rollout's partner,
    /// whose noise is the rollout's own with the opposite sign.
    /// </param>
    /// <param name="scoreScale">
    /// Factor on every score: 1 for the score's own 1/σ², σ²/Var(ε) to normalize by the variance of a truncated
    /// Gaussian (so that the mean is the gradient of the cost rather than (Var ε/σ²)·∇C).
    /// </param>
    /// <param name="startBlock">
    /// 0: a baseline uses every other kept rollout (outside the rollout's group). k &gt; 0: rollouts come in blocks of k
    /// that share an initial state (<see cref="TrainingOptions.RolloutsPerStart"/>), and a baseline uses only the other
    /// groups of the rollout's own block, so it removes that start's cost without using the rollout's own noise.
    /// </param>
    /// <exception cref="ArgumentException">Reward-to-go without per-step scores, a group size other than 1 or 2, or a start block that is not a positive multiple of the group size.</exception>
    public static double[] Estimate(GradientEstimatorKind kind, IReadOnlyList<RolloutResult> rollouts, int parameterCount, int groupSize = 1, double scoreScale = 1.0,
        int startBlock = 0) => Estimate(kind, rollouts, parameterCount, groupSize, scoreScale, startBlock, leftOut: default);

    /// <summary>
    /// <see cref="Estimate(GradientEstimatorKind, IReadOnlyList{RolloutResult}, int, int, double, int)"/> as if the rollouts
    /// <paramref name="leftOut"/> (first index, count) had been dropped: a jackknife replicate without copying the batch.
    /// </summary>
    internal static double[] Estimate(GradientEstimatorKind kind, IReadOnlyList<RolloutResult> rollouts, int parameterCount, int groupSize, double scoreScale,
        int startBlock, (int First, int Count) leftOut)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        if (groupSize is not (1 or 2)) throw new ArgumentException($"The group size must be 1 or 2 (antithetic pairs), got {groupSize}.", nameof(groupSize));
        if (startBlock < 0 || startBlock % groupSize != 0)
            throw new ArgumentException($"A start block holds whole groups: it must be 0 or a positive multiple of the group size {groupSize}, got {startBlock}.", nameof(startBlock));
        var g = new double[parameterCount];
        var kept = Enumerable.Range(0, rollouts.Count)
            .Where(i => !rollouts[i].Dropped && (i < leftOut.First || i >= leftOut.First + leftOut.Count)).ToArray();
        int n = kept.Length;
        if (n == 0) return g;
        if (kind == GradientEstimatorKind.RewardToGo) RewardToGo(rollouts, kept, groupSize, startBlock, g);
        else if (kind == GradientEstimatorKind.ReinforceWithBaseline && groupSize == 1 && startBlock == 0 && n >= 2)
        {
            double mean = kept.Average(i => rollouts[i].Cost);
            foreach (int i in kept) Add(g, (rollouts[i].Cost - mean) / (n - 1), rollouts[i].Score);
        }
        else
        {
            bool baseline = kind == GradientEstimatorKind.ReinforceWithBaseline;
            var whole = baseline && startBlock == 0 ? WholeBatch(kept, k => rollouts[k].Cost) : default;
            foreach (int i in kept)
            {
                double b = !baseline ? 0.0 : startBlock == 0 ? MeanOutsideGroup(whole, kept, i, groupSize, k => rollouts[k].Cost) : MeanInBlockOutsideGroup(kept, i, groupSize, startBlock, k => rollouts[k].Cost);
                Add(g, (rollouts[i].Cost - b) / n, rollouts[i].Score);
            }
        }
        if (scoreScale != 1.0)
            for (int i = 0; i < g.Length; i++) g[i] *= scoreScale;
        return g;
    }

    private static void RewardToGo(IReadOnlyList<RolloutResult> rollouts, int[] kept, int groupSize, int startBlock, double[] g)
    {
        int d = g.Length, n = kept.Length;
        int longest = kept.Max(i => rollouts[i].Steps);
        // R[k][t] = Σ_{s≥t} c_{k,s} (0 past the rollout's end).
        var toGo = new double[rollouts.Count][];
        foreach (int k in kept)
        {
            var r = rollouts[k];
            if (r.StageScores is null || r.StageScores.Length != r.Steps * d || r.StageCosts.Length != r.Steps)
                throw new ArgumentException(
                    $"Rollout {k} has no per-step scores: the reward-to-go estimator needs rollouts requested with RolloutDetail.StageScores.",
                    nameof(rollouts));
            var R = new double[longest];
            double sum = 0;
            for (int t = r.Steps - 1; t >= 0; t--) { sum += r.StageCosts[t]; R[t] = sum; }
            toGo[k] = R;
        }
        // Without start blocks a baseline is the whole batch's mean outside the group: the batch's sums per step, once.
        var wholeAt = new (double Sum, int Count)[longest];
        if (startBlock == 0)
            for (int t = 0; t < longest; t++) { int step = t; wholeAt[t] = WholeBatch(kept, other => toGo[other]![step]); }
        foreach (int k in kept)
        {
            var r = rollouts[k];
            for (int t = 0; t < r.Steps; t++)
            {
                int step = t;
                double b = startBlock == 0
                    ? MeanOutsideGroup(wholeAt[t], kept, k, groupSize, other => toGo[other]![step])
                    : MeanInBlockOutsideGroup(kept, k, groupSize, startBlock, other => toGo[other]![step]);
                double weight = (toGo[k]![t] - b) / n;
                Add(g, weight, r.StageScores.AsSpan(t * d, d));
            }
        }
    }

    /// <summary>
    /// Mean of value(r) over the kept rollouts of rollout i's start block outside i's group; 0 when there is none (no
    /// baseline). kept is ascending, so the block is one slice of it: a pooled batch of many blocks stays linear in its size.
    /// </summary>
    private static double MeanInBlockOutsideGroup(int[] kept, int i, int groupSize, int startBlock, Func<int, double> value)
    {
        double sum = 0;
        int count = 0;
        int first = i - (i % startBlock);
        for (int j = LowerBound(kept, first), end = LowerBound(kept, first + startBlock); j < end; j++)
        {
            int k = kept[j];
            if (k / groupSize == i / groupSize) continue;
            sum += value(k);
            count++;
        }
        return count > 0 ? sum / count : 0.0;
    }

    /// <summary>Σ value and the count over every kept rollout.</summary>
    private static (double Sum, int Count) WholeBatch(int[] kept, Func<int, double> value)
    {
        double sum = 0;
        foreach (int k in kept) sum += value(k);
        return (sum, kept.Length);
    }

    /// <summary>
    /// Mean of value(r) over kept rollouts outside rollout i's group, from the whole batch's sum minus the group's members
    /// (linear in the batch instead of quadratic: a pooled batch has hundreds of rollouts); 0 when there is none.
    /// </summary>
    private static double MeanOutsideGroup((double Sum, int Count) whole, int[] kept, int i, int groupSize, Func<int, double> value)
    {
        double sum = whole.Sum;
        int count = whole.Count;
        int first = i - (i % groupSize);
        for (int k = first; k < first + groupSize; k++)
        {
            if (Array.BinarySearch(kept, k) < 0) continue;
            sum -= value(k);
            count--;
        }
        return count > 0 ? sum / count : 0.0;
    }

    /// <summary>The first position in the ascending <paramref name="sorted"/> whose value is at least <paramref name="value"/>.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        int index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }

    private static void Add(double[] g, double weight, ReadOnlySpan<double> score)
    {
        for (int i = 0; i < g.Length; i++) g[i] += weight * score[i];
    }
}
