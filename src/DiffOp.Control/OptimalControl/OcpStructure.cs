using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl;

/// <summary>Structural facts about an OCP read off its symbolic definition.</summary>
public static class OcpStructure
{
    /// <summary>
    /// True when the OCP is a quadratic program in ζ = (x, u) for every θ and p: the stage and terminal costs have a
    /// Hessian in (x, u) that does not depend on (x, u), and the dynamics and constraints have a Jacobian that does
    /// not (they are affine). Convexity is not checked: it depends on θ.
    /// </summary>
    public static bool IsQuadraticProgram(OcpDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var stateControl = new SxVector([.. definition.State, .. definition.Control]);
        var state = definition.State;
        return IndependentOf(Derivatives.Hessian(definition.StageCost, stateControl), stateControl)
               && IndependentOf(Derivatives.Hessian(definition.TerminalCost, state), state)
               && IndependentOf(Derivatives.Jacobian(definition.Dynamics, stateControl), stateControl)
               && IndependentOf(Derivatives.Jacobian(definition.PathConstraints, stateControl), stateControl)
               && IndependentOf(Derivatives.Jacobian(definition.TerminalConstraints, state), state);
    }

    /// <summary>Every entry has an identically zero gradient with respect to <paramref name="variables"/>.</summary>
    private static bool IndependentOf(SxSparseMatrix matrix, SxVector variables)
    {
        foreach (var entry in matrix.NonZeros)
        {
            if (entry.IsConstant) continue;
            foreach (var d in Derivatives.Gradient(entry, variables))
            {
                if (!d.IsZero) return false;
            }
        }
        return true;
    }
}
