namespace DiffOp.Control.Ocp;

/// <summary>
/// A named block of the flat parameter vector: learnable θ blocks (e.g. "theta_c", "theta_f") or
/// context p blocks (x-independent data set per solve, e.g. goals). Entries occupy
/// [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>) of the flat vector.
/// </summary>
/// <param name="Name">The block's name, unique within its vector.</param>
/// <param name="Offset">Start index in the flat vector.</param>
/// <param name="Length">Number of entries.</param>
/// <param name="DefaultValues">Initial values (θ) or defaults (context), length <paramref name="Length"/>.</param>
public sealed record ParameterBlock(string Name, int Offset, int Length, IReadOnlyList<double> DefaultValues);
