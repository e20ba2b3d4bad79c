namespace DiffOp.Learning.Optimizers;

/// <summary>The natural-gradient direction p = (G + λ·diag G)⁻¹ g by a Cholesky factorization (d is small: one per iteration).</summary>
internal static class NaturalDirection
{
    /// <summary>
    /// Solves A p = g for the damped metric A = <see cref="Damped"/>(G) by a Cholesky factorization (A is left
    /// unchanged). Null when A is not positive definite or the result is not finite.
    /// </summary>
    public static double[]? Solve(ReadOnlySpan<double> damped, ReadOnlySpan<double> g)
    {
        int d = g.Length;
        var a = damped.ToArray();
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

    /// <summary>
    /// The symmetrized damped metric G + λ·diag G; an entry with G_ii = 0 (it moves no planned action) gets 1 on the
    /// diagonal, which keeps the system regular without mixing the entries' units. Null when G is not finite.
    /// </summary>
    public static double[]? Damped(ReadOnlySpan<double> metric, int d, double damping)
    {
        var a = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double v = 0.5 * (metric[(i * d) + j] + metric[(j * d) + i]);
                if (!double.IsFinite(v)) return null;
                a[(i * d) + j] = v;
            }
        for (int i = 0; i < d; i++)
        {
            double diagonal = a[(i * d) + i];
            a[(i * d) + i] = diagonal > 0 ? diagonal * (1 + damping) : 1.0;
        }
        return a;
    }

    /// <summary>pᵀMp for a d × d row-major M.</summary>
    public static double Quadratic(ReadOnlySpan<double> matrix, ReadOnlySpan<double> p)
    {
        int d = p.Length;
        double sum = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) sum += p[i] * matrix[(i * d) + j] * p[j];
        return sum;
    }
}
