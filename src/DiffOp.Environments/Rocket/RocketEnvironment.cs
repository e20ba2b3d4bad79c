using DiffOp.Environments.Common;

namespace DiffOp.Environments.Rocket;

/// <summary>The true rocket (docs/environments.md): Euler steps of <see cref="RocketEquations"/> with the true parameters.</summary>
public sealed class RocketEnvironment : ControlTaskEnvironment<RocketEquations>
{
    /// <summary>Creates the simulator.</summary>
    /// <param name="settings">Settings; null gives the defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public RocketEnvironment(RocketSettings? settings = null)
        : base(settings ?? new RocketSettings())
    {
    }
}
