using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;

namespace DiffOp.Environments.RobotArm;

/// <summary>
/// The robot-arm policy OCP (docs/environments.md): θ_f = [l1, m1, l2, m2], θ_c = θ_H = [wq1, wq2, wdq1, wdq2], wu and g
/// fixed. Known bounds: <c>u_max</c> → |τ_i| ≤ u_max, <c>x_max</c> → |q1|, |q2| ≤ x_max (§2 constraints).
/// </summary>
public sealed class RobotArmPolicyModel : ControlTaskPolicyModel<RobotArmEquations>
{
    /// <summary>Creates the model.</summary>
    /// <param name="settings">Settings; null gives the §5 defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public RobotArmPolicyModel(RobotArmSettings? settings = null)
        : base(settings ?? new RobotArmSettings())
    {
    }

    /// <inheritdoc/>
    protected override void AddKnownConstraints(OcpBuilder builder)
    {
        AddControlLimit(builder);
        AddStateLimit(builder, 0, 1);
    }
}
