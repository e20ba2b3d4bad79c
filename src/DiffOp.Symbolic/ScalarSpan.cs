namespace DiffOp.Symbolic;

/// <summary>
/// Small vector operations on spans of any <see cref="IScalar{TSelf}"/>, for equations written once for
/// <see cref="Real"/> (allocation-free) and <see cref="Sx"/> (symbolic). Results go into caller-owned spans.
/// </summary>
public static class ScalarSpan
{
    /// <summary>Inner product Σ aᵢ bᵢ.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">First vector.</param>
    /// <param name="b">Second vector (same length).</param>
    /// <returns>The inner product (0 for empty vectors).</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : IScalar<T>
    {
        CheckSameLength(a.Length, b.Length, nameof(Dot));
        T sum = T.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Squared Euclidean norm Σ aᵢ².</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">The vector.</param>
    /// <returns>|a|² (0 for an empty vector).</returns>
    public static T SquaredNorm<T>(ReadOnlySpan<T> a)
        where T : IScalar<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            sum += T.Sqr(a[i]);
        }

        return sum;
    }

    /// <summary>Weighted squared distance to a constant goal, Σ wᵢ (aᵢ − goalᵢ)².</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">The vector.</param>
    /// <param name="goal">The goal (same length).</param>
    /// <param name="weights">The weights (same length).</param>
    /// <returns>The weighted squared distance.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T WeightedSquaredDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<double> goal, ReadOnlySpan<T> weights)
        where T : IScalar<T>
    {
        CheckSameLength(a.Length, goal.Length, nameof(WeightedSquaredDistance));
        CheckSameLength(a.Length, weights.Length, nameof(WeightedSquaredDistance));
        T sum = T.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            sum += weights[i] * T.Sqr(a[i] - goal[i]);
        }

        return sum;
    }

    /// <summary>Cross product of two 3-vectors, written into <paramref name="result"/> (must not overlap the inputs).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="a">First 3-vector.</param>
    /// <param name="b">Second 3-vector.</param>
    /// <param name="result">a × b (length 3).</param>
    /// <exception cref="ArgumentException">A span does not have length 3.</exception>
    public static void Cross<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
        where T : IScalar<T>
    {
        if (a.Length != 3 || b.Length != 3 || result.Length != 3)
        {
            throw new ArgumentException($"Cross needs three 3-vectors; got lengths {a.Length}, {b.Length} and {result.Length} (result).");
        }

        result[0] = a[1] * b[2] - a[2] * b[1];
        result[1] = a[2] * b[0] - a[0] * b[2];
        result[2] = a[0] * b[1] - a[1] * b[0];
    }

    private static void CheckSameLength(int a, int b, string operation)
    {
        if (a != b)
        {
            throw new ArgumentException($"{operation} needs vectors of equal length; got {a} and {b}.");
        }
    }
}
