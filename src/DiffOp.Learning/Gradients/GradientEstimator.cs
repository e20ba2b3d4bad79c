namespace DiffOp.Learning.Gradients;

/// <summary>Which policy-gradient estimator turns a batch of rollouts into ĝ.</summary>
public enum GradientEstimatorKind
{
    /// <summary>Paper eq. (8): ĝ = (1/N) Σ_n L(τ_n) s_n, with s_n the rollout's score Σ_t (u_t − u*_t)ᵀ∂u*_t/∂θ/σ².</summary>
    Reinforce,
    /// <summary>
    /// REINFORCE with the batch-mean baseline (variance reduction, seed 002 §4.1), leave-one-out so it stays
    /// unbiased: ĝ = (1/N) Σ_n (L_n − mean_{k≠n} L_k) s_n = (1/(N−1)) Σ_n (L_n − L̄) s_n.
    /// </summary>
    ReinforceWithBaseline,
}

/// <summary>Computes ĝ from the kept (not dropped) rollouts of one iteration.</summary>
public static class GradientEstimator
{
    /// <summary>ĝ (length d); all zeros when no rollout was kept.</summary>
    public static double[] Estimate(GradientEstimatorKind kind, IReadOnlyList<Training.RolloutResult> rollouts, int parameterCount)
    {
        var kept = rollouts.Where(r => !r.Dropped).ToArray();
        var g = new double[parameterCount];
        int n = kept.Length;
        if (n == 0) return g;
        if (kind == GradientEstimatorKind.ReinforceWithBaseline && n < 2)
            kind = GradientEstimatorKind.Reinforce;   // a leave-one-out baseline needs two rollouts
        double mean = kept.Average(r => r.Cost);
        foreach (var r in kept)
        {
            double weight = kind == GradientEstimatorKind.Reinforce ? r.Cost / n : (r.Cost - mean) / (n - 1);
            for (int i = 0; i < parameterCount; i++) g[i] += weight * r.Score[i];
        }
        return g;
    }
}
