namespace DiffOp.Learning.Optimizers;

/// <summary>
/// The dense pieces of the trust-region rule (d is small): the subproblem min ĝᵀs + ½sᵀBs s.t. sᵀMs ≤ Δ², and the
/// Powell-damped BFGS update that keeps B positive definite when the measured curvature sᵀy is small or negative.
/// </summary>
internal static class TrustRegionSubproblem
{
    private const int MaxBisections = 200;
    private const double BoundaryTolerance = 0.01;

    /// <summary>
    /// The step: −B⁻¹ĝ when it lies inside the region, else s(μ) = −(B + μM)⁻¹ĝ with μ &gt; 0 chosen by bisection so that
    /// ‖s(μ)‖_M is within 1% below Δ (Nocedal &amp; Wright Theorem 4.1 in the metric M). Null when no finite step is found.
    /// </summary>
    public static double[]? Solve(double[] model, double[] metric, double[] gradient, double radius)
    {
        int d = gradient.Length;
        var negative = new double[d];
        for (int i = 0; i < d; i++) negative[i] = -gradient[i];
        var shifted = new double[d * d];
        double[]? StepAt(double mu)
        {
            for (int i = 0; i < shifted.Length; i++) shifted[i] = model[i] + (mu * metric[i]);
            return NaturalDirection.Solve(shifted, negative);
        }
        double Length(double[] s) => Math.Sqrt(Math.Max(0, NaturalDirection.Quadratic(metric, s)));

        var unconstrained = StepAt(0);
        if (unconstrained is not null && Length(unconstrained) <= radius) return unconstrained;
        // μ large enough for B + μM to be positive definite and the step to be inside: s(μ) ≈ −M⁻¹ĝ/μ for large μ.
        double high = 1;
        for (int i = 0; i < d; i++)
            if (metric[(i * d) + i] > 0) high = Math.Max(high, Math.Abs(model[(i * d) + i]) / metric[(i * d) + i]);
        double[]? inside = StepAt(high);
        int doublings = 0;
        while (inside is null || Length(inside) > radius)
        {
            if (++doublings > 200) return null;
            high *= 2;
            inside = StepAt(high);
        }
        double low = 0;
        for (int k = 0; k < MaxBisections; k++)
        {
            double length = Length(inside);
            if (length >= (1 - BoundaryTolerance) * radius) break;
            double mid = 0.5 * (low + high);
            var s = StepAt(mid);
            if (s is null || Length(s) > radius) low = mid;
            else { high = mid; inside = s; }
        }
        return inside;
    }

    /// <summary>
    /// B ← B − (Bs)(Bs)ᵀ/(sᵀBs) + rrᵀ/(sᵀr) with Powell's damping r = φy + (1 − φ)Bs, φ = 1 when sᵀy ≥ 0.2·sᵀBs and
    /// 0.8·sᵀBs/(sᵀBs − sᵀy) otherwise (Nocedal &amp; Wright Procedure 18.2): B stays positive definite whatever the noisy
    /// y says. No change when s is zero or anything is not finite.
    /// </summary>
    public static void DampedBfgsUpdate(double[] model, double[] step, double[] change)
    {
        int d = step.Length;
        var bs = new double[d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) bs[i] += model[(i * d) + j] * step[j];
        double sBs = 0, sy = 0;
        for (int i = 0; i < d; i++) { sBs += step[i] * bs[i]; sy += step[i] * change[i]; }
        if (!(sBs > 0) || !double.IsFinite(sBs) || !double.IsFinite(sy)) return;
        double phi = sy >= 0.2 * sBs ? 1.0 : 0.8 * sBs / (sBs - sy);
        var r = new double[d];
        double sr = 0;
        for (int i = 0; i < d; i++) { r[i] = (phi * change[i]) + ((1 - phi) * bs[i]); sr += step[i] * r[i]; }
        if (!(sr > 0) || !double.IsFinite(sr)) return;
        var updated = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                updated[(i * d) + j] = model[(i * d) + j] - (bs[i] * bs[j] / sBs) + (r[i] * r[j] / sr);
                if (!double.IsFinite(updated[(i * d) + j])) return;
            }
        updated.CopyTo(model, 0);
    }
}
