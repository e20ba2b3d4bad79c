using DiffOp.Learning;

namespace DiffOp.Environments.Common;

/// <summary>
/// A control-task simulator (cart-pole, robot arm, quadrotor) with what the command line and tests need beyond
/// <see cref="IEnvironment"/>: its settings, the true costs and a side-effect-free step.
/// </summary>
public interface IControlTaskEnvironment : IEnvironment
{
    /// <summary>The settings of the true system.</summary>
    ControlTaskSettings Settings { get; }

    /// <summary>The current state x_k.</summary>
    ReadOnlySpan<double> State { get; }

    /// <summary>Starts an episode from the given initial state.</summary>
    /// <param name="initialState">x0 (length n, finite).</param>
    /// <param name="state">Receives x0 (length n).</param>
    void Reset(ReadOnlySpan<double> initialState, Span<double> state);

    /// <summary>The true stage cost c(x, u) with the true weights.</summary>
    /// <param name="state">x (length n).</param>
    /// <param name="control">u (length m).</param>
    /// <returns>c(x, u).</returns>
    double StageCost(ReadOnlySpan<double> state, ReadOnlySpan<double> control);

    /// <summary>The true terminal cost h(x) with the true weights.</summary>
    /// <param name="state">x (length n).</param>
    /// <returns>h(x).</returns>
    double TerminalCost(ReadOnlySpan<double> state);

    /// <summary>The true cost Σ_{k&lt;K} c(x_k, u_k) + h(x_K) of a trajectory of K controls and K + 1 states.</summary>
    /// <param name="states">x_0..x_K concatenated.</param>
    /// <param name="controls">u_0..u_{K−1} concatenated.</param>
    /// <returns>The true cost.</returns>
    double TrajectoryCost(ReadOnlySpan<double> states, ReadOnlySpan<double> controls);

    /// <summary>One Euler step of the true system without touching the episode.</summary>
    /// <param name="state">x_k (length n).</param>
    /// <param name="control">u_k (length m).</param>
    /// <param name="nextState">Receives x_{k+1} (length n).</param>
    void Predict(ReadOnlySpan<double> state, ReadOnlySpan<double> control, Span<double> nextState);
}
