using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.CartPole;

/// <summary>
/// Cart-pole equations of docs/environments.md, generic over the scalar type. State x = [p, θ, ṗ, θ̇] (θ = 0 hangs
/// down, θ = π is upright), control u = [F]. Physical span: [mc, mp, l, g] (θ_f = [mc, mp, l], then the fixed g).
/// Cost weights [wx, wq, wdx, wdq] around the goal x* = [0, π, 0, 0].
/// </summary>
public sealed class CartPoleEquations : IControlTaskEquations
{
    private static readonly double[] GoalState = [0.0, Math.PI, 0.0, 0.0];

    private CartPoleEquations()
    {
    }

    /// <summary>n = 4.</summary>
    public static int StateCount => 4;

    /// <summary>m = 1.</summary>
    public static int ControlCount => 1;

    /// <summary>The goal x* = [0, π, 0, 0] (pole upright, cart at rest at the origin).</summary>
    public static ReadOnlySpan<double> Goal => GoalState;

    /// <summary>
    /// ẋ = [ṗ, θ̇, p̈, θ̈] with p̈ = (F + mp sinθ (l θ̇² + g cosθ)) / (mc + mp sin²θ) and
    /// θ̈ = (−F cosθ − mp l θ̇² sinθ cosθ − (mc + mp) g sinθ) / (l (mc + mp sin²θ)) (§1).
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">[p, θ, ṗ, θ̇].</param>
    /// <param name="control">[F].</param>
    /// <param name="physical">[mc, mp, l, g].</param>
    /// <param name="derivative">ẋ (length 4).</param>
    public static void Derivative<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> physical, Span<T> derivative)
        where T : IScalar<T>
    {
        T cartMass = physical[0], poleMass = physical[1], length = physical[2], gravity = physical[3];
        T angle = state[1], cartVelocity = state[2], angularRate = state[3], force = control[0];
        T sin = T.Sin(angle), cos = T.Cos(angle);
        T denominator = cartMass + poleMass * sin * sin;
        T rateSquared = angularRate * angularRate;
        derivative[0] = cartVelocity;
        derivative[1] = angularRate;
        derivative[2] = (force + poleMass * sin * (length * rateSquared + gravity * cos)) / denominator;
        derivative[3] = (-force * cos - poleMass * length * rateSquared * sin * cos - (cartMass + poleMass) * gravity * sin) / (length * denominator);
    }

    /// <summary>h(x) = wx p² + wq (θ − π)² + wdx ṗ² + wdq θ̇² (§1).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="weights">[wx, wq, wdx, wdq].</param>
    /// <returns>h(x).</returns>
    public static T TerminalCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> weights)
        where T : IScalar<T>
        => ScalarSpan.WeightedSquaredDistance(state, GoalState, weights);

    /// <summary>c(x, u) = h(x) + wu F² (§1).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="control">[F].</param>
    /// <param name="weights">[wx, wq, wdx, wdq].</param>
    /// <param name="controlWeight">wu.</param>
    /// <returns>c(x, u).</returns>
    public static T StageCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> weights, T controlWeight)
        where T : IScalar<T>
        => TerminalCost(state, weights) + controlWeight * ScalarSpan.SquaredNorm(control);
}
