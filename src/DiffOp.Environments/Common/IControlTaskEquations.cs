using DiffOp.Symbolic;

namespace DiffOp.Environments.Common;

/// <summary>
/// The equations of a control task (docs/environments.md–§3), written once and generic over the scalar type: the
/// simulator evaluates them with <see cref="Real"/> (plain doubles, true parameters) and the policy model with
/// <see cref="Sx"/> (symbolic, learnable parameters), so the two cannot drift apart.
/// </summary>
/// <remarks>
/// <para>The physical-parameter span is the learnable block θ_f in the order of the environment's section, followed
/// by the fixed constants (<see cref="ControlTaskSettings.FixedConstants"/>, e.g. g), so the same equation serves a
/// symbol or a number in every slot.</para>
/// <para>Costs (docs/environments.md): the stage cost is the terminal cost plus the fixed control term, and the
/// terminal cost is the stage cost without the control term, with its own weights.</para>
/// </remarks>
public interface IControlTaskEquations
{
    /// <summary>State dimension n.</summary>
    static abstract int StateCount { get; }

    /// <summary>Control dimension m.</summary>
    static abstract int ControlCount { get; }

    /// <summary>Continuous-time dynamics ẋ = f(x, u; physical), written into <paramref name="derivative"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x (length n).</param>
    /// <param name="control">u (length m).</param>
    /// <param name="physical">Learnable physical parameters followed by the fixed constants.</param>
    /// <param name="derivative">ẋ (length n); must not overlap the inputs.</param>
    static abstract void Derivative<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> physical, Span<T> derivative)
        where T : IScalar<T>;

    /// <summary>Terminal cost h(x; w): the stage cost without the control term.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x (length n).</param>
    /// <param name="weights">The learnable cost weights in the environment's order.</param>
    /// <returns>h(x).</returns>
    static abstract T TerminalCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> weights)
        where T : IScalar<T>;

    /// <summary>Stage cost c(x, u; w) = h(x; w) + w_u |u|².</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x (length n).</param>
    /// <param name="control">u (length m).</param>
    /// <param name="weights">The learnable cost weights in the environment's order.</param>
    /// <param name="controlWeight">The fixed control weight w_u.</param>
    /// <returns>c(x, u).</returns>
    static abstract T StageCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> weights, T controlWeight)
        where T : IScalar<T>;
}
