using MathNet.Numerics.Distributions;

namespace DiffOp.Learning.Exploration;

/// <summary>
/// The paper's exploration (eq. 4): each action component u_i ~ N(u*_i, σ²) truncated — not clipped — to
/// [u*_i − w, u*_i + w] with half-width w = βσ². The window moves with u*, so the truncation normalizer does not
/// depend on θ and ∇θ log π(u) = (u − u*)ᵀ ∂u*/∂θ / σ² (docs/design.md). β = ∞ gives the plain Gaussian, for which
/// eq. 8 is the unbiased REINFORCE gradient; with the paper's β = 0.01 and σ ≲ 1, w ≪ σ and the sample is nearly
/// uniform on ±w: the estimator then points along the true gradient scaled by about Var(ε)/σ² ≈ β²σ²/3.
/// Sampling uses the inverse CDF, so narrow windows cost no rejections.
/// </summary>
public sealed record TruncatedGaussianExploration
{
    /// <summary>Creates the exploration with standard deviation σ &gt; 0 and window factor β &gt; 0 (∞ allowed).</summary>
    public TruncatedGaussianExploration(double sigma, double beta)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be positive and finite.");
        if (!(beta > 0) || double.IsNaN(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be positive (use +∞ for an untruncated Gaussian).");
        Sigma = sigma;
        Beta = beta;
        HalfWidth = beta * sigma * sigma;
        double z = HalfWidth / sigma;
        _lower = double.IsPositiveInfinity(z) ? 0.0 : Normal.CDF(0, 1, -z);
        _upper = double.IsPositiveInfinity(z) ? 1.0 : Normal.CDF(0, 1, z);
    }

    private readonly double _lower, _upper;

    /// <summary>σ.</summary>
    public double Sigma { get; }

    /// <summary>β.</summary>
    public double Beta { get; }

    /// <summary>w = βσ² (∞ when β = ∞).</summary>
    public double HalfWidth { get; }

    /// <summary>Draws one deviation ε = u − u* (|ε| ≤ w).</summary>
    public double SampleDeviation(Random random)
    {
        // ε = σ Φ⁻¹(U) with U uniform on [Φ(−w/σ), Φ(w/σ)].
        double p = _lower + random.NextDouble() * (_upper - _lower);
        if (p <= 0) p = double.Epsilon;
        double e = Sigma * Normal.InvCDF(0, 1, p);
        return Math.Clamp(e, -HalfWidth, HalfWidth);
    }

    /// <summary>Adds a sampled deviation to every entry of <paramref name="planned"/>, writing the action into <paramref name="action"/>.</summary>
    public void Sample(ReadOnlySpan<double> planned, Span<double> action, Random random)
    {
        for (int i = 0; i < planned.Length; i++) action[i] = planned[i] + SampleDeviation(random);
    }

    /// <summary>The variance of one deviation: σ²(1 − 2zφ(z)/(Φ(z) − Φ(−z))), z = w/σ.</summary>
    public double DeviationVariance()
    {
        double z = HalfWidth / Sigma;
        if (double.IsPositiveInfinity(z)) return Sigma * Sigma;
        return Sigma * Sigma * (1 - 2 * z * Normal.PDF(0, 1, z) / (_upper - _lower));
    }
}
