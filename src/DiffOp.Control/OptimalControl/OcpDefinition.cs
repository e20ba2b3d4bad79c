using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// The symbolic pieces of an OCP: symbols x (n), u (m), θ (d, all learnable blocks concatenated),
/// p (context blocks concatenated), and the expressions c, c_H, f, g, g_H written in them.
/// </summary>
/// <param name="State">x.</param>
/// <param name="Control">u.</param>
/// <param name="Theta">θ.</param>
/// <param name="Context">p.</param>
/// <param name="StageCost">c(x,u;θ,p).</param>
/// <param name="TerminalCost">c_H(x;θ,p).</param>
/// <param name="Dynamics">f(x,u;θ,p), the next state.</param>
/// <param name="PathConstraints">g(x,u;θ,p) ≤ 0.</param>
/// <param name="TerminalConstraints">g_H(x;θ,p) ≤ 0.</param>
public sealed record OcpDefinition(
    SxVector State, SxVector Control, SxVector Theta, SxVector Context,
    Sx StageCost, Sx TerminalCost, SxVector Dynamics, SxVector PathConstraints, SxVector TerminalConstraints);
