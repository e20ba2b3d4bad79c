using DiffOp.Environments.CartPole;
using DiffOp.Environments.Quadrotor;
using DiffOp.Environments.RobotArm;
using DiffOp.Environments.Rocket;
using DiffOp.Environments.Voltage;
using DiffOp.Learning;

namespace DiffOp.Environments.Common;

/// <summary>
/// The benchmark environments by command-line name: creates the simulator (true system) and the policy model, both
/// with the same <c>key=value</c> overrides (docs/environments.md key table). Names are case-insensitive.
/// </summary>
public static class EnvironmentCatalog
{
    // Extension point: add one EnvironmentRegistration per environment.
    private static readonly EnvironmentRegistration[] Entries =
    [
        ControlTask(CartPoleSettings.Name, "cart-pole swing-up (docs/environments.md)",
            () => new CartPoleSettings(), s => new CartPoleEnvironment(s), s => new CartPolePolicyModel(s)),
        ControlTask(RobotArmSettings.Name, "two-link planar robot arm (docs/environments.md)",
            () => new RobotArmSettings(), s => new RobotArmEnvironment(s), s => new RobotArmPolicyModel(s)),
        ControlTask(QuadrotorSettings.Name, "6-DoF quadrotor (docs/environments.md)",
            () => new QuadrotorSettings(), s => new QuadrotorEnvironment(s), s => new QuadrotorPolicyModel(s)),
        ControlTask(RocketSettings.Name, "6-DoF rocket powered landing (docs/environments.md)",
            () => new RocketSettings(), s => new RocketEnvironment(s), s => new RocketPolicyModel(s)),
        new(VoltagePolicySettings.Name, "reactive-power voltage control on the IEEE 13-bus feeder (docs/environments-voltage.md)",
            overrides => new VoltageEnvironment(VoltageSettingsOverrideParser.Apply(new VoltagePolicySettings(), overrides).System),
            overrides => new VoltagePolicyModel(VoltageSettingsOverrideParser.Apply(new VoltagePolicySettings(), overrides))),
    ];

    /// <summary>Every registered environment, in listing order.</summary>
    public static IReadOnlyList<EnvironmentRegistration> Registrations => Entries;

    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names => Array.ConvertAll(Entries, e => e.Name);

    /// <summary>Finds an environment by name (case-insensitive).</summary>
    /// <param name="name">The name, e.g. "cartpole".</param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentException">No environment has that name; the message lists the names.</exception>
    public static EnvironmentRegistration Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Array.Find(Entries, e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown environment '{name}'. Known environments: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Creates the simulator of <paramref name="name"/> with the given overrides.</summary>
    /// <param name="name">Environment name.</param>
    /// <param name="overrides"><c>key=value</c> settings; null for the defaults.</param>
    /// <returns>The simulator.</returns>
    /// <exception cref="ArgumentException">Unknown name, or a bad override (the message lists the valid keys).</exception>
    public static IEnvironment CreateSimulator(string name, IEnumerable<string>? overrides = null) =>
        Find(name).CreateSimulator(overrides?.ToArray() ?? []);

    /// <summary>Creates the policy model of <paramref name="name"/> with the given overrides.</summary>
    /// <param name="name">Environment name.</param>
    /// <param name="overrides"><c>key=value</c> settings; null for the defaults.</param>
    /// <returns>The policy model.</returns>
    /// <exception cref="ArgumentException">Unknown name, or a bad override (the message lists the valid keys).</exception>
    public static IPolicyModel CreatePolicyModel(string name, IEnumerable<string>? overrides = null) =>
        Find(name).CreatePolicyModel(overrides?.ToArray() ?? []);

    private static EnvironmentRegistration ControlTask<TSettings>(
        string name, string description, Func<TSettings> defaults, Func<TSettings, IEnvironment> simulator, Func<TSettings, IPolicyModel> model)
        where TSettings : ControlTaskSettings
        => new(name, description,
            overrides => simulator(SettingsOverrideParser.Apply(defaults(), overrides)),
            overrides => model(SettingsOverrideParser.Apply(defaults(), overrides)));
}
