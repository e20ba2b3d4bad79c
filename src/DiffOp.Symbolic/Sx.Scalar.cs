namespace DiffOp.Symbolic;

/// <summary>
/// <see cref="Sx"/> is an <see cref="IScalar{TSelf}"/>: its existing operators, implicit conversion from double and
/// elementary functions implement the interface, so generic equations build expression graphs when called with
/// <c>T = Sx</c>. This file adds no behaviour.
/// </summary>
public sealed partial class Sx : IScalar<Sx>
{
}
