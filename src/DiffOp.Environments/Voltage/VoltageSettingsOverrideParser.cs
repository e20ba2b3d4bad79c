using DiffOp.Environments.Common;

namespace DiffOp.Environments.Voltage;

/// <summary>
/// Applies <c>key=value</c> overrides (the command line's repeatable <c>--set</c>) to
/// <see cref="VoltagePolicySettings"/>. The keys are those of docs/environments.md that make sense for the voltage task
/// (T, H, weights, wu) plus the q box, which takes the place of x_max: <c>q_min</c>, <c>q_max</c> (three values each,
/// buses 2, 7, 9) and the preset <c>box=training|evaluation</c>. The other §5 keys (dt, x0, params, u_max, x_max,
/// sigma0) have no meaning here and are rejected like any unknown key, with an <see cref="ArgumentException"/> listing
/// the valid keys. Assignments apply in order; the result is validated.
/// </summary>
public static class VoltageSettingsOverrideParser
{
    /// <summary>The keys the voltage task accepts, in documentation order.</summary>
    public static IReadOnlyList<SettingKey> Keys { get; } =
    [
        new("T", "episode length in steps (default 30; Traj mode uses H = T)"),
        new("H", "policy horizon of Step mode, in steps (default 6)"),
        new("weights", "true cost weights C of F(q), 3 values (default 0.105,0.075,0.09)"),
        new("wu", "control weight of the policy, C_u = wu*I (default 0.1)"),
        new("q_min", "lower corner of the q box in MVAr, 3 values (default -1.5,-1.4,-1.0)"),
        new("q_max", "upper corner of the q box in MVAr, 3 values (default 1.5,1.4,1.0: training box)"),
        new("box", "q box preset: training (q_max 1.5,1.4,1.0) or evaluation (q_max 1.5,1.4,0.6)"),
    ];

    /// <summary>One line listing every key with its meaning, for error messages and help.</summary>
    public static string ValidKeysText { get; } = string.Join("; ", Keys.Select(k => $"{k.Name} ({k.Meaning})"));

    /// <summary>Applies every <c>key=value</c> assignment in order, then validates.</summary>
    /// <param name="settings">The starting settings (usually the defaults).</param>
    /// <param name="assignments">Assignments such as <c>H=8</c> or <c>q_max=1.5,1.4,0.6</c>.</param>
    /// <returns>The settings with the overrides applied.</returns>
    /// <exception cref="ArgumentException">A malformed assignment, an unknown key, a bad value or an invalid result.</exception>
    public static VoltagePolicySettings Apply(VoltagePolicySettings settings, IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(assignments);
        var result = settings;
        foreach (string assignment in assignments)
        {
            ArgumentNullException.ThrowIfNull(assignment, nameof(assignments));
            int eq = assignment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || string.IsNullOrWhiteSpace(assignment[..eq]) || string.IsNullOrWhiteSpace(assignment[(eq + 1)..]))
            {
                throw new ArgumentException($"Setting '{assignment}' is not of the form key=value. Valid keys: {ValidKeysText}.", nameof(assignments));
            }

            result = ApplyOne(result, assignment[..eq].Trim(), assignment[(eq + 1)..].Trim());
        }

        result.Validate();
        return result;
    }

    private static VoltagePolicySettings ApplyOne(VoltagePolicySettings settings, string name, string value)
    {
        var system = settings.System;
        try
        {
            return name.ToLowerInvariant() switch
            {
                "t" => settings with { System = system with { EpisodeLength = SettingValueParser.ParseInteger(value) } },
                "h" => settings with { Horizon = SettingValueParser.ParseInteger(value) },
                "weights" => settings with { System = system with { CostWeights = Three(value) } },
                "wu" => settings with { ControlWeight = SettingValueParser.ParseNumber(value) },
                "q_min" => settings with { System = system with { ReactivePowerMin = Three(value) } },
                "q_max" => settings with { System = system with { ReactivePowerMax = Three(value) } },
                "box" => settings with { System = system with { ReactivePowerMin = Preset(value).ReactivePowerMin, ReactivePowerMax = Preset(value).ReactivePowerMax } },
                _ => throw new ArgumentException(
                    $"Unknown setting '{name}' for {VoltagePolicySettings.Name}. Valid keys: {ValidKeysText}.", nameof(name)),
            };
        }
        catch (FormatException e)
        {
            throw new ArgumentException(
                $"Bad value for setting '{name}' of {VoltagePolicySettings.Name}: {e.Message} Valid keys: {ValidKeysText}.", nameof(value), e);
        }
    }

    private static IReadOnlyList<double> Three(string value)
    {
        double[] values = SettingValueParser.ParseList(value);
        return values.Length == 3
            ? Array.AsReadOnly(values)
            : throw new FormatException($"'{value}' has {values.Length} values; expected 3 (buses 2, 7, 9).");
    }

    private static VoltageSettings Preset(string value) => value.Trim().ToLowerInvariant() switch
    {
        "training" or "train" => VoltageSettings.Training,
        "evaluation" or "eval" => VoltageSettings.Evaluation,
        _ => throw new FormatException($"'{value}' is not a box preset (write training or evaluation)."),
    };
}
