using DiffOp.Environments.Common;

namespace DiffOp.Environments.Quadrotor;

/// <summary>The true quadrotor (docs/environments.md): Euler steps of <see cref="QuadrotorEquations"/> with the true parameters.</summary>
public sealed class QuadrotorEnvironment : ControlTaskEnvironment<QuadrotorEquations>
{
    /// <summary>Creates the simulator.</summary>
    /// <param name="settings">Settings; null gives the §5 defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public QuadrotorEnvironment(QuadrotorSettings? settings = null)
        : base(settings ?? new QuadrotorSettings())
    {
    }
}
