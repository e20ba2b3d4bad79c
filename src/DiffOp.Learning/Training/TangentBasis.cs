namespace DiffOp.Learning.Training;

/// <summary>Helpers of tangent-space exploration: an orthonormal basis of range J, and standard normal draws.</summary>
internal static class TangentBasis
{
    /// <summary>
    /// Modified Gram–Schmidt (twice, for accuracy) on the d columns of the row-major rows × d matrix
    /// <paramref name="jacobian"/>; writes the orthonormal basis vectors one after another (each of length
    /// <paramref name="rows"/>) into <paramref name="basis"/> and returns how many there are (the numerical rank:
    /// a column whose remainder is below 1e-10 of its norm is dependent on the earlier ones and skipped).
    /// </summary>
    public static int Orthonormalize(ReadOnlySpan<double> jacobian, int rows, int columns, Span<double> basis)
    {
        int rank = 0;
        for (int c = 0; c < columns; c++)
        {
            var v = basis.Slice(rank * rows, rows);
            double original = 0;
            for (int r = 0; r < rows; r++)
            {
                v[r] = jacobian[(r * columns) + c];
                original += v[r] * v[r];
            }
            if (original == 0) continue;
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < rank; k++)
                {
                    var q = basis.Slice(k * rows, rows);
                    double dot = 0;
                    for (int r = 0; r < rows; r++) dot += q[r] * v[r];
                    for (int r = 0; r < rows; r++) v[r] -= dot * q[r];
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) norm += v[r] * v[r];
            if (!(norm > 1e-20 * original)) continue;
            double inverse = 1.0 / Math.Sqrt(norm);
            for (int r = 0; r < rows; r++) v[r] *= inverse;
            rank++;
        }
        return rank;
    }

    /// <summary>A standard normal draw by the Box–Muller transform (two uniforms per draw, deterministic for a given stream).</summary>
    public static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
