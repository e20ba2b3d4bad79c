using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// Which stage Hessians D_t of a <see cref="KktBlocks"/> are singular. A singular D_t is allowed (the KKT matrix can
/// still be nonsingular: curvature may come through the constraints, and the initial state is fixed by its own rows),
/// but a block elimination through D_t⁻¹ — the Riccati or Schur-complement route some reference implementations take —
/// fails there, so exports and diagnostics report these stages.
/// </summary>
/// <remarks>
/// The test: D_t is singular when its smallest singular value σ_min is at most
/// <c>relativeTolerance</c>·σ_max (an SVD of the (n+m)×(n+m) block), or when D_t is zero. Diagnostics only: it
/// allocates and is not meant for a training loop.
/// </remarks>
public static class StageHessianRank
{
    /// <summary>The default relative tolerance of the singular-value test, 1e-10.</summary>
    public const double DefaultRelativeTolerance = 1e-10;

    /// <summary>
    /// The stages t whose D_t is singular, in increasing order: 0..H−1 for the stage blocks, and H when the terminal
    /// block D_H is singular.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relativeTolerance"/> is not in [0, 1).</exception>
    public static int[] SingularStages(KktBlocks blocks, double relativeTolerance = DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (!(relativeTolerance >= 0) || relativeTolerance >= 1)
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, "The relative tolerance must be in [0, 1).");
        var singular = new List<int>();
        int w = blocks.StageWidth, n = blocks.StateCount;
        for (int t = 0; t < blocks.Horizon; t++)
            if (IsSingular(blocks.StageHessians[t], w, relativeTolerance)) singular.Add(t);
        if (IsSingular(blocks.TerminalHessian, n, relativeTolerance)) singular.Add(blocks.Horizon);
        return [.. singular];
    }

    /// <summary>True when the <paramref name="size"/>² row-major matrix has σ_min ≤ tolerance·σ_max (or is zero).</summary>
    public static bool IsSingular(ReadOnlySpan<double> matrix, int size, double relativeTolerance = DefaultRelativeTolerance)
    {
        if (size < 1 || matrix.Length != size * size)
            throw new ArgumentException($"Expected a {size}×{size} matrix ({size * size} entries), got {matrix.Length} entries.", nameof(matrix));
        var m = Matrix<double>.Build.DenseOfRowMajor(size, size, matrix.ToArray());
        var s = m.Svd(computeVectors: false).S;
        double max = s.Maximum(), min = s.Minimum();
        return !(max > 0) || min <= relativeTolerance * max;
    }
}
