using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;

namespace DiffOp.Environments.CartPole;

/// <summary>
/// The cart-pole policy OCP (docs/environments.md): θ_f = [mc, mp, l], θ_c = θ_H = [wx, wq, wdx, wdq], wu fixed.
/// Known bounds: <c>u_max</c> → |F| ≤ u_max, <c>x_max</c> → |p| ≤ x_max (§1 constraints).
/// </summary>
public sealed class CartPolePolicyModel : ControlTaskPolicyModel<CartPoleEquations>
{
    /// <summary>Creates the model.</summary>
    /// <param name="settings">Settings; null gives the §5 defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public CartPolePolicyModel(CartPoleSettings? settings = null)
        : base(settings ?? new CartPoleSettings())
    {
    }

    /// <inheritdoc/>
    protected override void AddKnownConstraints(OcpBuilder builder)
    {
        AddControlLimit(builder);
        AddStateLimit(builder, 0);
    }
}
