namespace DiffOp.Control.OptimalControl;

/// <summary>
/// A named block of the flat parameter vector: learnable θ blocks (e.g. "theta_c", "theta_f") or
/// context p blocks (x-independent data set per solve, e.g. goals). Entries occupy
/// [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>) of the flat vector.
/// </summary>
/// <param name="Name">The block's name, unique within its vector.</param>
/// <param name="Offset">Start index in the flat vector.</param>
/// <param name="Length">Number of entries.</param>
/// <param name="DefaultValues">Initial values (θ) or defaults (context), length <paramref name="Length"/>.</param>
public sealed record ParameterBlock(string Name, int Offset, int Length, IReadOnlyList<double> DefaultValues)
{
    /// <summary>
    /// The smallest value each entry may take during training (length <see cref="Length"/>; −∞ where unbounded), declared
    /// with the block (<see cref="OcpBuilder.AddParameter(string, IReadOnlyList{double}, IReadOnlyList{double})"/>): e.g. 0 for
    /// cost weights, a positive floor for masses. Context blocks are never bounded.
    /// </summary>
    public IReadOnlyList<double> LowerBounds { get; init; } = Array.AsReadOnly(Enumerable.Repeat(double.NegativeInfinity, Length).ToArray());

    /// <summary>True when <paramref name="index"/> (a flat index) falls in this block.</summary>
    public bool Contains(int index) => index >= Offset && index < Offset + Length;
}
