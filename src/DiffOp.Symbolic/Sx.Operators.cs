namespace DiffOp.Symbolic;

public sealed partial class Sx
{
    /// <summary>Sum a + b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Sx operator +(Sx a, Sx b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsConstant && b.IsConstant)
        {
            return Constant(a.Value + b.Value);
        }

        if (a.IsZero)
        {
            return b;
        }

        if (b.IsZero)
        {
            return a;
        }

        if (b.Op == SxOp.Neg)
        {
            return a - b.A!;
        }

        if (a.Op == SxOp.Neg)
        {
            return b - a.A!;
        }

        return Binary(SxOp.Add, a, b);
    }

    /// <summary>Difference a − b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Sx operator -(Sx a, Sx b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsConstant && b.IsConstant)
        {
            return Constant(a.Value - b.Value);
        }

        if (ReferenceEquals(a, b))
        {
            return Zero;
        }

        if (b.IsZero)
        {
            return a;
        }

        if (a.IsZero)
        {
            return -b;
        }

        if (b.Op == SxOp.Neg)
        {
            return a + b.A!;
        }

        return Binary(SxOp.Sub, a, b);
    }

    /// <summary>Product a · b.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Sx operator *(Sx a, Sx b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsConstant && b.IsConstant)
        {
            return Constant(a.Value * b.Value);
        }

        if (a.IsZero || b.IsZero)
        {
            return Zero;
        }

        if (a.IsOne)
        {
            return b;
        }

        if (b.IsOne)
        {
            return a;
        }

        if (a.IsConstant && a.Value == -1.0)
        {
            return -b;
        }

        if (b.IsConstant && b.Value == -1.0)
        {
            return -a;
        }

        if (ReferenceEquals(a, b))
        {
            return Sqr(a);
        }

        return Binary(SxOp.Mul, a, b);
    }

    /// <summary>Quotient a / b.</summary>
    /// <param name="a">Numerator.</param>
    /// <param name="b">Denominator.</param>
    public static Sx operator /(Sx a, Sx b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsConstant && b.IsConstant)
        {
            return Constant(a.Value / b.Value);
        }

        if (b.IsOne)
        {
            return a;
        }

        if (a.IsZero)
        {
            return Zero;
        }

        if (b.IsConstant && b.Value == -1.0)
        {
            return -a;
        }

        return Binary(SxOp.Div, a, b);
    }

    /// <summary>Negation −x.</summary>
    /// <param name="x">Operand.</param>
    public static Sx operator -(Sx x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.IsConstant)
        {
            return Constant(-x.Value);
        }

        if (x.Op == SxOp.Neg)
        {
            return x.A!;
        }

        return Unary(SxOp.Neg, x);
    }

    /// <summary>Unary plus (returns <paramref name="x"/>).</summary>
    /// <param name="x">Operand.</param>
    public static Sx operator +(Sx x) => x;

    /// <summary>Power x^p with a constant exponent (integer or real).</summary>
    /// <param name="x">Base.</param>
    /// <param name="p">Exponent.</param>
    public static Sx Pow(Sx x, double p) => Pow(x, Constant(p));

    /// <summary>Power x^p. For a non-constant exponent the derivative uses log(x), so x must stay positive.</summary>
    /// <param name="x">Base.</param>
    /// <param name="p">Exponent.</param>
    public static Sx Pow(Sx x, Sx p)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(p);
        if (x.IsConstant && p.IsConstant)
        {
            return Constant(Math.Pow(x.Value, p.Value));
        }

        if (p.IsConstant)
        {
            switch (p.Value)
            {
                case 0.0:
                    return One;
                case 1.0:
                    return x;
                case 2.0:
                    return Sqr(x);
            }
        }

        return Binary(SxOp.Pow, x, p);
    }

    /// <summary>Square x².</summary>
    /// <param name="x">Operand.</param>
    public static Sx Sqr(Sx x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Op == SxOp.Neg)
        {
            x = x.A!;
        }

        return Fold(SxOp.Sqr, x) ?? Unary(SxOp.Sqr, x);
    }

    /// <summary>Square root √x.</summary>
    /// <param name="x">Operand (≥ 0).</param>
    public static Sx Sqrt(Sx x) => UnaryFunction(SxOp.Sqrt, x);

    /// <summary>Exponential eˣ.</summary>
    /// <param name="x">Operand.</param>
    public static Sx Exp(Sx x) => UnaryFunction(SxOp.Exp, x);

    /// <summary>Natural logarithm ln x.</summary>
    /// <param name="x">Operand (&gt; 0).</param>
    public static Sx Log(Sx x) => UnaryFunction(SxOp.Log, x);

    /// <summary>Sine (radians).</summary>
    /// <param name="x">Angle in radians.</param>
    public static Sx Sin(Sx x) => UnaryFunction(SxOp.Sin, x);

    /// <summary>Cosine (radians).</summary>
    /// <param name="x">Angle in radians.</param>
    public static Sx Cos(Sx x) => UnaryFunction(SxOp.Cos, x);

    /// <summary>Tangent (radians).</summary>
    /// <param name="x">Angle in radians.</param>
    public static Sx Tan(Sx x) => UnaryFunction(SxOp.Tan, x);

    /// <summary>Hyperbolic tangent.</summary>
    /// <param name="x">Operand.</param>
    public static Sx Tanh(Sx x) => UnaryFunction(SxOp.Tanh, x);

    /// <summary>Absolute value |x|; derivative sign(x) (subgradient 0 at x = 0).</summary>
    /// <param name="x">Operand.</param>
    public static Sx Abs(Sx x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Op is SxOp.Abs or SxOp.Sqr or SxOp.Exp)
        {
            return x;
        }

        if (x.Op == SxOp.Neg)
        {
            x = x.A!;
        }

        return UnaryFunction(SxOp.Abs, x);
    }

    /// <summary>Sign of x (−1, 0 or 1); derivative 0.</summary>
    /// <param name="x">Operand.</param>
    public static Sx Sign(Sx x) => UnaryFunction(SxOp.Sign, x);

    /// <summary>Heaviside step: 1 if x ≥ 0, else 0; derivative 0.</summary>
    /// <param name="x">Operand.</param>
    public static Sx Step(Sx x) => UnaryFunction(SxOp.Step, x);

    /// <summary>Four-quadrant arctangent atan2(y, x) in (−π, π].</summary>
    /// <param name="y">Ordinate.</param>
    /// <param name="x">Abscissa.</param>
    public static Sx Atan2(Sx y, Sx x)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(x);
        if (y.IsConstant && x.IsConstant)
        {
            return Constant(Math.Atan2(y.Value, x.Value));
        }

        return Binary(SxOp.Atan2, y, x);
    }

    /// <summary>Minimum of a and b; derivative by the indicator of the active argument (a when a ≤ b).</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand.</param>
    public static Sx Min(Sx a, Sx b) => MinMax(SxOp.Min, a, b);

    /// <summary>Maximum of a and b; derivative by the indicator of the active argument (a when a ≥ b).</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand.</param>
    public static Sx Max(Sx a, Sx b) => MinMax(SxOp.Max, a, b);

    private static Sx MinMax(SxOp op, Sx a, Sx b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsConstant && b.IsConstant)
        {
            return Constant(Apply(op, a.Value, b.Value));
        }

        return ReferenceEquals(a, b) ? a : Binary(op, a, b);
    }

    private static Sx UnaryFunction(SxOp op, Sx x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Fold(op, x) ?? Unary(op, x);
    }

    private static Sx? Fold(SxOp op, Sx x) => x.IsConstant ? Constant(Apply(op, x.Value, 0.0)) : null;

    /// <summary>
    /// Applies a (non-leaf) operation to numeric operands. The single definition of every operation's value, shared by
    /// constant folding, <see cref="Evaluate"/> and the compiled tape, so all three agree bit for bit.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static double Apply(SxOp op, double a, double b)
    {
        switch (op)
        {
            case SxOp.Neg: return -a;
            case SxOp.Sqr: return a * a;
            case SxOp.Sqrt: return Math.Sqrt(a);
            case SxOp.Exp: return Math.Exp(a);
            case SxOp.Log: return Math.Log(a);
            case SxOp.Sin: return Math.Sin(a);
            case SxOp.Cos: return Math.Cos(a);
            case SxOp.Tan: return Math.Tan(a);
            case SxOp.Tanh: return Math.Tanh(a);
            case SxOp.Abs: return Math.Abs(a);
            case SxOp.Sign: return a > 0.0 ? 1.0 : a < 0.0 ? -1.0 : a * 0.0;
            case SxOp.Step: return a >= 0.0 ? 1.0 : a < 0.0 ? 0.0 : a;
            case SxOp.Add: return a + b;
            case SxOp.Sub: return a - b;
            case SxOp.Mul: return a * b;
            case SxOp.Div: return a / b;
            case SxOp.Pow: return Math.Pow(a, b);
            case SxOp.Atan2: return Math.Atan2(a, b);
            case SxOp.Min: return Math.Min(a, b);
            case SxOp.Max: return Math.Max(a, b);
            default: throw new InvalidOperationException($"Operation {op} has no numeric value.");
        }
    }
}
