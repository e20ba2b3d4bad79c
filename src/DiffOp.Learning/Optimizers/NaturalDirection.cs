namespace DiffOp.Learning.Optimizers;

/// <summary>The natural-gradient direction p = (G + λ·diag G)⁻¹ g by a Cholesky factorization (d is small: one per iteration).</summary>
internal static class NaturalDirection
{
    /// <summary>
    /// Solves (G + λ·diag G + δI) p = g with δ = 1e-12·max diag G, which only keeps a parameter that moves no planned
    /// action (diag G = 0) from making the system singular. Null when G is not positive semi-definite or not finite.
    /// </summary>
    public static double[]? Solve(ReadOnlySpan<double> metric, ReadOnlySpan<double> g, double damping)
    {
        int d = g.Length;
        double largest = 0;
        for (int i = 0; i < d; i++) largest = Math.Max(largest, metric[(i * d) + i]);
        if (!double.IsFinite(largest)) return null;
        double floor = largest > 0 ? 1e-12 * largest : 1.0;
        var a = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                a[(i * d) + j] = 0.5 * (metric[(i * d) + j] + metric[(j * d) + i]);
        for (int i = 0; i < d; i++) a[(i * d) + i] += (damping * a[(i * d) + i]) + floor;
        // Cholesky A = L Lᵀ in place (lower triangle).
        for (int j = 0; j < d; j++)
        {
            double diagonal = a[(j * d) + j];
            for (int k = 0; k < j; k++) diagonal -= a[(j * d) + k] * a[(j * d) + k];
            if (!(diagonal > 0)) return null;
            double pivot = Math.Sqrt(diagonal);
            a[(j * d) + j] = pivot;
            for (int i = j + 1; i < d; i++)
            {
                double sum = a[(i * d) + j];
                for (int k = 0; k < j; k++) sum -= a[(i * d) + k] * a[(j * d) + k];
                a[(i * d) + j] = sum / pivot;
            }
        }
        var p = g.ToArray();
        for (int i = 0; i < d; i++)
        {
            for (int k = 0; k < i; k++) p[i] -= a[(i * d) + k] * p[k];
            p[i] /= a[(i * d) + i];
        }
        for (int i = d - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < d; k++) p[i] -= a[(k * d) + i] * p[k];
            p[i] /= a[(i * d) + i];
        }
        foreach (double v in p)
            if (!double.IsFinite(v)) return null;
        return p;
    }

    /// <summary>pᵀGp.</summary>
    public static double Quadratic(ReadOnlySpan<double> metric, ReadOnlySpan<double> p)
    {
        int d = p.Length;
        double sum = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) sum += p[i] * metric[(i * d) + j] * p[j];
        return sum;
    }
}
