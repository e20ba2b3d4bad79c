using System.Globalization;

namespace DiffOp.Symbolic;

/// <summary>
/// Immutable scalar symbolic expression node (the role of CasADi's SX scalar).
/// </summary>
/// <remarks>
/// <para>Nodes are hash-consed: building the same operation on the same operands returns the same object,
/// so common subexpressions are shared and reference equality is structural equality. Commutative operations
/// (+, ·, min, max) order their operands canonically, so <c>a + b</c> and <c>b + a</c> are the same node.</para>
/// <para>Factories simplify as they build: constants are folded and x·0 → 0, x·1 → x, x + 0 → x, x − x → 0,
/// 0 − x → −x, x/1 → x, 0/x → 0, −(−x) → x, x·x → sqr(x), x^0 → 1, x^1 → x, x^2 → sqr(x). These rewrites follow real
/// arithmetic, not IEEE special cases (x·0 is 0 even where x would evaluate to ∞ or NaN).</para>
/// <para>Symbols are never shared: every call to <see cref="Symbol(string)"/> creates a new free symbol, even
/// for a repeated name. The node table holds nodes weakly, so unused expressions are garbage collected.
/// Building expressions is thread-safe.</para>
/// </remarks>
public sealed partial class Sx
{
    private static long s_nextId;

    private readonly string? _name;

    private Sx(SxOp op, Sx? a, Sx? b, double value, string? name)
    {
        Op = op;
        A = a;
        B = b;
        Value = value;
        _name = name;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The operation of this node.</summary>
    internal SxOp Op { get; }

    /// <summary>First operand (null for constants and symbols).</summary>
    internal Sx? A { get; }

    /// <summary>Second operand (null unless binary).</summary>
    internal Sx? B { get; }

    /// <summary>Constant value (0 unless <see cref="IsConstant"/>).</summary>
    internal double Value { get; }

    /// <summary>Unique, increasing creation id (used for canonical ordering and hashing).</summary>
    internal long Id { get; }

    /// <summary>The constant 0.</summary>
    public static Sx Zero { get; } = Constant(0.0);

    /// <summary>The constant 1.</summary>
    public static Sx One { get; } = Constant(1.0);

    /// <summary>True if this node is a free symbol created by <see cref="Symbol(string)"/>.</summary>
    public bool IsSymbol => Op == SxOp.Symbol;

    /// <summary>True if this node is a numeric constant.</summary>
    public bool IsConstant => Op == SxOp.Constant;

    /// <summary>True if this node is the constant 0 (a structural zero).</summary>
    public bool IsZero => Op == SxOp.Constant && Value == 0.0;

    /// <summary>True if this node is the constant 1.</summary>
    public bool IsOne => Op == SxOp.Constant && Value == 1.0;

    /// <summary>The value of a constant node.</summary>
    /// <exception cref="InvalidOperationException">The node is not a constant.</exception>
    public double ConstantValue => IsConstant
        ? Value
        : throw new InvalidOperationException($"Expression '{Truncate(ToString())}' is not a constant; use Evaluate or a Function to get its value.");

    /// <summary>The symbol's name (for symbols); for other nodes, their infix text.</summary>
    public string Name => _name ?? ToString();

    /// <summary>Creates a new, unique free symbol. Two calls with the same name create different symbols.</summary>
    /// <param name="name">Display name, used in <see cref="ToString"/> and error messages.</param>
    public static Sx Symbol(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Sx(SxOp.Symbol, null, null, 0.0, name);
    }

    /// <summary>The constant <paramref name="value"/> (−0 is stored as 0).</summary>
    /// <param name="value">Any double, including ±∞ and NaN.</param>
    public static Sx Constant(double value)
    {
        if (value == 0.0)
        {
            value = 0.0; // normalise −0
        }

        return Intern(SxOp.Constant, null, null, value);
    }

    /// <summary>Converts a double to a constant expression, so <c>2.0 * x</c> and <c>x + 1</c> read naturally.</summary>
    /// <param name="value">The constant value.</param>
    public static implicit operator Sx(double value) => Constant(value);

    /// <summary>Readable, fully parenthesised infix text (shared subexpressions are repeated; long text is truncated).</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        Print(this, sb);
        return sb.ToString();
    }

    internal static string Truncate(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");

    internal static string FormatConstant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
