using DiffOp.Symbolic;

namespace DiffOp.Environments.Common;

/// <summary>
/// A 3-vector of any <see cref="IScalar{TSelf}"/>, as a value (no allocation for <see cref="Real"/>; three node
/// references for <see cref="Sx"/>). Used by the rigid-body equations.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
/// <param name="X">First component.</param>
/// <param name="Y">Second component.</param>
/// <param name="Z">Third component.</param>
public readonly record struct Vector3<T>(T X, T Y, T Z)
    where T : IScalar<T>
{
    /// <summary>Reads three consecutive entries of a span.</summary>
    /// <param name="values">The span.</param>
    /// <param name="offset">Index of the first component.</param>
    /// <returns>(values[offset], values[offset + 1], values[offset + 2]).</returns>
    public static Vector3<T> Read(ReadOnlySpan<T> values, int offset) => new(values[offset], values[offset + 1], values[offset + 2]);

    /// <summary>Sum a + b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Vector3<T> operator +(Vector3<T> a, Vector3<T> b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Difference a − b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Vector3<T> operator -(Vector3<T> a, Vector3<T> b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Scaling s · v.</summary>
    /// <param name="s">Scalar.</param>
    /// <param name="v">Vector.</param>
    public static Vector3<T> operator *(T s, Vector3<T> v) => new(s * v.X, s * v.Y, s * v.Z);

    /// <summary>Cross product a × b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>a × b.</returns>
    public static Vector3<T> Cross(Vector3<T> a, Vector3<T> b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>Squared norm X² + Y² + Z².</summary>
    /// <returns>|v|².</returns>
    public T SquaredNorm() => T.Sqr(X) + T.Sqr(Y) + T.Sqr(Z);

    /// <summary>Writes the components to three consecutive entries of a span.</summary>
    /// <param name="destination">The span.</param>
    /// <param name="offset">Index of the first component.</param>
    public void Write(Span<T> destination, int offset)
    {
        destination[offset] = X;
        destination[offset + 1] = Y;
        destination[offset + 2] = Z;
    }
}
