namespace DiffOp.Symbolic;

/// <summary>
/// A real scalar type that model equations can be written in once and evaluated two ways: numerically with
/// <see cref="Real"/> (a plain double; the JIT specializes generic code for it, so there is no allocation and no
/// indirection) and symbolically with <see cref="Sx"/> (builds the expression graph a policy's OCP is made of).
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
/// <remarks>
/// Write equations as <c>static T F&lt;T&gt;(…) where T : IScalar&lt;T&gt;</c>. Double literals convert implicitly
/// (<c>0.5 * x</c>, <c>T two = 2.0;</c>), and the elementary functions are reached through the type parameter
/// (<c>T.Sin(x)</c>).
/// </remarks>
public interface IScalar<TSelf>
    where TSelf : IScalar<TSelf>
{
    /// <summary>The value 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>The value 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>Converts a double (a constant, for symbolic types).</summary>
    /// <param name="value">The value.</param>
    static abstract implicit operator TSelf(double value);

    /// <summary>Sum a + b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Difference a − b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>Product a · b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>Quotient a / b.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Negation −x.</summary>
    /// <param name="x">Operand.</param>
    static abstract TSelf operator -(TSelf x);

    /// <summary>Square x².</summary>
    /// <param name="x">Operand.</param>
    static abstract TSelf Sqr(TSelf x);

    /// <summary>Square root √x.</summary>
    /// <param name="x">Operand (≥ 0).</param>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>Power xᵖ with a constant exponent.</summary>
    /// <param name="x">Base.</param>
    /// <param name="p">Exponent.</param>
    static abstract TSelf Pow(TSelf x, double p);

    /// <summary>Exponential eˣ.</summary>
    /// <param name="x">Operand.</param>
    static abstract TSelf Exp(TSelf x);

    /// <summary>Natural logarithm.</summary>
    /// <param name="x">Operand (&gt; 0).</param>
    static abstract TSelf Log(TSelf x);

    /// <summary>Sine.</summary>
    /// <param name="x">Angle in radians.</param>
    static abstract TSelf Sin(TSelf x);

    /// <summary>Cosine.</summary>
    /// <param name="x">Angle in radians.</param>
    static abstract TSelf Cos(TSelf x);

    /// <summary>Tangent.</summary>
    /// <param name="x">Angle in radians.</param>
    static abstract TSelf Tan(TSelf x);

    /// <summary>Hyperbolic tangent.</summary>
    /// <param name="x">Operand.</param>
    static abstract TSelf Tanh(TSelf x);

    /// <summary>Absolute value |x|.</summary>
    /// <param name="x">Operand.</param>
    static abstract TSelf Abs(TSelf x);
}
