using DiffOp.Symbolic;

namespace DiffOp.Environments.Common;

/// <summary>The discretisation of every control task (docs/environments.md): x_{k+1} = x_k + dt·f(x_k, u_k), no sub-steps.</summary>
public static class ExplicitEuler
{
    /// <summary>
    /// Turns the derivative f(x_k, u_k) held in <paramref name="derivativeThenNext"/> into x_{k+1} in place.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x_k.</param>
    /// <param name="timeStep">dt.</param>
    /// <param name="derivativeThenNext">On entry f(x_k, u_k); on return x_{k+1} (same length as the state).</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Advance<T>(ReadOnlySpan<T> state, T timeStep, Span<T> derivativeThenNext)
        where T : IScalar<T>
    {
        if (state.Length != derivativeThenNext.Length)
        {
            throw new ArgumentException(
                $"The Euler step needs a derivative as long as the state ({state.Length}); got {derivativeThenNext.Length}.",
                nameof(derivativeThenNext));
        }

        for (int i = 0; i < state.Length; i++)
        {
            derivativeThenNext[i] = state[i] + timeStep * derivativeThenNext[i];
        }
    }
}
