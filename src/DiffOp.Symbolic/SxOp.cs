namespace DiffOp.Symbolic;

/// <summary>Operation of an <see cref="Sx"/> node. Unary operations use operand A only.</summary>
internal enum SxOp : byte
{
    Constant,
    Symbol,

    // Unary.
    Neg,
    Sqr,
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Tanh,
    Abs,
    /// <summary>sign(x) ∈ {−1, 0, 1}; derivative 0 (subgradient convention).</summary>
    Sign,
    /// <summary>Heaviside step: 1 if x ≥ 0 else 0; derivative 0.</summary>
    Step,

    // Binary.
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Atan2,
    Min,
    Max,
}

/// <summary>Helpers on <see cref="SxOp"/>.</summary>
internal static class SxOpInfo
{
    public static bool IsBinary(SxOp op) => op >= SxOp.Add;

    public static bool IsCommutative(SxOp op) => op is SxOp.Add or SxOp.Mul or SxOp.Min or SxOp.Max;
}
