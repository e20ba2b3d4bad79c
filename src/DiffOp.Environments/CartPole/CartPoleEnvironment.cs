using DiffOp.Environments.Common;

namespace DiffOp.Environments.CartPole;

/// <summary>The true cart-pole (docs/environments.md): Euler steps of <see cref="CartPoleEquations"/> with the true parameters.</summary>
public sealed class CartPoleEnvironment : ControlTaskEnvironment<CartPoleEquations>
{
    /// <summary>Creates the simulator.</summary>
    /// <param name="settings">Settings; null gives the §5 defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public CartPoleEnvironment(CartPoleSettings? settings = null)
        : base(settings ?? new CartPoleSettings())
    {
    }
}
