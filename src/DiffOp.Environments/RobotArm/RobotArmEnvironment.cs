using DiffOp.Environments.Common;

namespace DiffOp.Environments.RobotArm;

/// <summary>The true two-link robot arm (docs/environments.md): Euler steps of <see cref="RobotArmEquations"/> with the true parameters.</summary>
public sealed class RobotArmEnvironment : ControlTaskEnvironment<RobotArmEquations>
{
    /// <summary>Creates the simulator.</summary>
    /// <param name="settings">Settings; null gives the §5 defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public RobotArmEnvironment(RobotArmSettings? settings = null)
        : base(settings ?? new RobotArmSettings())
    {
    }
}
