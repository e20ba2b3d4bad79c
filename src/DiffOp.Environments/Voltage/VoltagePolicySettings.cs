using System.Globalization;

namespace DiffOp.Environments.Voltage;

/// <summary>
/// Settings of the voltage task as a whole (docs/environments-voltage.md–7.4): the true system
/// (<see cref="System"/>: T, q box, cost weights C, power flow) and what only the policy's OCP uses (horizon H,
/// control weight C_u = w_u·I, how many scenarios give the default initial states). The box of <see cref="System"/>
/// is also the known constraint q_min ≤ q ≤ q_max of the policy. Override from the command line with
/// <see cref="VoltageSettingsOverrideParser"/> (<c>--set key=value</c>).
/// </summary>
public sealed record VoltagePolicySettings
{
    /// <summary>The command-line name of the task.</summary>
    public const string Name = "voltage";

    /// <summary>The true system (default <see cref="VoltageSettings.Training"/>, the training box).</summary>
    public VoltageSettings System { get; init; } = VoltageSettings.Training;

    /// <summary>Policy horizon H of Step mode, in steps (key <c>H</c>). Default 6 (§7.4). At least 1.</summary>
    public int Horizon { get; init; } = 6;

    /// <summary>
    /// Control weight w_u of the policy's stage cost, C_u = w_u·I (key <c>wu</c>). Default 0.1 (a choice: the paper does
    /// not give C_u, §7.4). Non-negative and finite.
    /// </summary>
    public double ControlWeight { get; init; } = 0.1;

    /// <summary>
    /// Number of scenarios whose q = 0 states [v0, 0, v0] make the default initial states (scenarios 0..N−1, scenario 0
    /// first). Default 4 (scenario 1 is high-voltage, 0, 2 and 3 low-voltage). At least 1. Not a command-line key.
    /// </summary>
    public int InitialScenarioCount { get; init; } = 4;

    /// <summary>Checks every setting; the message names the setting key and the value received.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or non-finite.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(System, nameof(System));
        System.Validate();
        if (Horizon < 1)
        {
            throw new ArgumentException($"{Name}: H (policy horizon) must be at least 1 step; got {Horizon}.", nameof(Horizon));
        }

        if (!double.IsFinite(ControlWeight) || ControlWeight < 0)
        {
            throw new ArgumentException(
                $"{Name}: wu (control weight, C_u = wu·I) must be non-negative and finite; got {ControlWeight.ToString("R", CultureInfo.InvariantCulture)}.",
                nameof(ControlWeight));
        }

        if (InitialScenarioCount < 1)
        {
            throw new ArgumentException($"{Name}: the number of initial scenarios must be at least 1; got {InitialScenarioCount}.", nameof(InitialScenarioCount));
        }
    }
}
