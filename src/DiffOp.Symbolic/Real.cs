using System.Globalization;
using System.Runtime.InteropServices;

namespace DiffOp.Symbolic;

/// <summary>
/// A plain double as an <see cref="IScalar{TSelf}"/>: generic equations called with <c>T = Real</c> run as ordinary
/// double arithmetic (the JIT specializes value-type generics, so there is no boxing, allocation or indirection).
/// Every operation is the corresponding IEEE double operation or <see cref="Math"/> function.
/// </summary>
/// <remarks>
/// Same size and layout as a double, so spans convert both ways without copying (<see cref="AsReals(Span{double})"/>,
/// <see cref="AsDoubles(Span{Real})"/>). There is deliberately no implicit conversion back to double (it would make
/// <c>real * 2.0</c> ambiguous); use <see cref="Value"/>.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Real : IScalar<Real>, IEquatable<Real>
{
    /// <summary>Wraps <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public Real(double value) => Value = value;

    /// <summary>The wrapped double.</summary>
    public double Value { get; }

    /// <summary>The value 0.</summary>
    public static Real Zero => new(0.0);

    /// <summary>The value 1.</summary>
    public static Real One => new(1.0);

    /// <summary>Wraps a double.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Real(double value) => new(value);

    /// <summary>Unwraps to a double.</summary>
    /// <param name="value">The value.</param>
    public static explicit operator double(Real value) => value.Value;

    /// <summary>Sum a + b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Real operator +(Real a, Real b) => new(a.Value + b.Value);

    /// <summary>Difference a − b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Real operator -(Real a, Real b) => new(a.Value - b.Value);

    /// <summary>Product a · b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Real operator *(Real a, Real b) => new(a.Value * b.Value);

    /// <summary>Quotient a / b.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    public static Real operator /(Real a, Real b) => new(a.Value / b.Value);

    /// <summary>Negation −x.</summary>
    /// <param name="x">Operand.</param>
    public static Real operator -(Real x) => new(-x.Value);

    /// <summary>Identity +x.</summary>
    /// <param name="x">Operand.</param>
    public static Real operator +(Real x) => x;

    /// <summary>Exact equality of the wrapped doubles.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static bool operator ==(Real a, Real b) => a.Value == b.Value;

    /// <summary>Exact inequality of the wrapped doubles.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static bool operator !=(Real a, Real b) => a.Value != b.Value;

    /// <summary>Square x·x.</summary>
    /// <param name="x">Operand.</param>
    public static Real Sqr(Real x) => new(x.Value * x.Value);

    /// <summary>Square root.</summary>
    /// <param name="x">Operand.</param>
    public static Real Sqrt(Real x) => new(Math.Sqrt(x.Value));

    /// <summary>Power xᵖ.</summary>
    /// <param name="x">Base.</param>
    /// <param name="p">Exponent.</param>
    public static Real Pow(Real x, double p) => new(Math.Pow(x.Value, p));

    /// <summary>Exponential.</summary>
    /// <param name="x">Operand.</param>
    public static Real Exp(Real x) => new(Math.Exp(x.Value));

    /// <summary>Natural logarithm.</summary>
    /// <param name="x">Operand.</param>
    public static Real Log(Real x) => new(Math.Log(x.Value));

    /// <summary>Sine.</summary>
    /// <param name="x">Angle in radians.</param>
    public static Real Sin(Real x) => new(Math.Sin(x.Value));

    /// <summary>Cosine.</summary>
    /// <param name="x">Angle in radians.</param>
    public static Real Cos(Real x) => new(Math.Cos(x.Value));

    /// <summary>Tangent.</summary>
    /// <param name="x">Angle in radians.</param>
    public static Real Tan(Real x) => new(Math.Tan(x.Value));

    /// <summary>Hyperbolic tangent.</summary>
    /// <param name="x">Operand.</param>
    public static Real Tanh(Real x) => new(Math.Tanh(x.Value));

    /// <summary>Absolute value.</summary>
    /// <param name="x">Operand.</param>
    public static Real Abs(Real x) => new(Math.Abs(x.Value));

    /// <summary>Views doubles as reals (no copy).</summary>
    /// <param name="values">The doubles.</param>
    /// <returns>The same memory as reals.</returns>
    public static Span<Real> AsReals(Span<double> values) => MemoryMarshal.Cast<double, Real>(values);

    /// <summary>Views read-only doubles as reals (no copy).</summary>
    /// <param name="values">The doubles.</param>
    /// <returns>The same memory as reals.</returns>
    public static ReadOnlySpan<Real> AsReals(ReadOnlySpan<double> values) => MemoryMarshal.Cast<double, Real>(values);

    /// <summary>Views reals as doubles (no copy).</summary>
    /// <param name="values">The reals.</param>
    /// <returns>The same memory as doubles.</returns>
    public static Span<double> AsDoubles(Span<Real> values) => MemoryMarshal.Cast<Real, double>(values);

    /// <summary>Views read-only reals as doubles (no copy).</summary>
    /// <param name="values">The reals.</param>
    /// <returns>The same memory as doubles.</returns>
    public static ReadOnlySpan<double> AsDoubles(ReadOnlySpan<Real> values) => MemoryMarshal.Cast<Real, double>(values);

    /// <summary>Exact equality of the wrapped doubles (as <see cref="double.Equals(double)"/>: NaN equals NaN).</summary>
    /// <param name="other">The other value.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(Real other) => Value.Equals(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Real other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The value in invariant culture, round-trippable.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
