namespace DiffOp.Environments.Common;

/// <summary>
/// Applies <c>key=value</c> overrides (the command line's repeatable <c>--set</c>) to a
/// <see cref="ControlTaskSettings"/>, with the keys of docs/environments.md. Lists are comma-separated in the order of
/// the environment's section. An unknown key or a value that is not a finite number gives an
/// <see cref="ArgumentException"/> listing the valid keys; the result is validated, so out-of-range values (negative
/// dt, H = 0, …) give a message naming the setting.
/// </summary>
public static class SettingsOverrideParser
{
    /// <summary>The keys every control task accepts, in documentation order.</summary>
    public static IReadOnlyList<SettingKey> Keys { get; } =
    [
        new("dt", "time step in seconds"),
        new("T", "episode length in steps (Traj mode uses H = T)"),
        new("H", "policy horizon of Step mode, in steps"),
        new("x0", "one initial state (comma-separated, pi allowed), replacing the default set"),
        new("params", "true physical parameters of the simulator (comma-separated)"),
        new("weights", "true cost weights (comma-separated; per state, or per block for the quadrotor)"),
        new("wu", "control weight (wthrust for the quadrotor)"),
        new("u_max", "known bound |u_i| <= u_max, or none"),
        new("x_max", "known state bound (environment-specific), or none"),
        new("sigma0", "spread of the initial theta around the true values"),
    ];

    /// <summary>One line per key: <c>name — meaning</c>, for error messages and help.</summary>
    public static string ValidKeysText { get; } = string.Join("; ", Keys.Select(k => $"{k.Name} ({k.Meaning})"));

    /// <summary>Applies every <c>key=value</c> assignment in order, then validates.</summary>
    /// <typeparam name="TSettings">The environment's settings type.</typeparam>
    /// <param name="settings">The starting settings (usually the defaults).</param>
    /// <param name="assignments">Assignments such as <c>dt=0.05</c> or <c>x0=0,pi,0,0</c>.</param>
    /// <returns>The settings with the overrides applied.</returns>
    /// <exception cref="ArgumentException">A malformed assignment, an unknown key, a bad value or an invalid result.</exception>
    public static TSettings Apply<TSettings>(TSettings settings, IEnumerable<string> assignments)
        where TSettings : ControlTaskSettings
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(assignments);
        TSettings result = settings;
        foreach (string assignment in assignments)
        {
            var (key, value) = SplitAssignment(assignment);
            result = ApplyOne(result, key, value);
        }

        result.Validate();
        return result;
    }

    /// <summary>Applies one override, then validates.</summary>
    /// <typeparam name="TSettings">The environment's settings type.</typeparam>
    /// <param name="settings">The starting settings.</param>
    /// <param name="key">A key of <see cref="Keys"/> (case-insensitive).</param>
    /// <param name="value">The value text.</param>
    /// <returns>The settings with the override applied.</returns>
    /// <exception cref="ArgumentException">An unknown key, a bad value or an invalid result.</exception>
    public static TSettings Apply<TSettings>(TSettings settings, string key, string value)
        where TSettings : ControlTaskSettings
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = ApplyOne(settings, key, value);
        result.Validate();
        return result;
    }

    /// <summary>Splits <c>key=value</c> at the first '='.</summary>
    /// <param name="assignment">The text.</param>
    /// <returns>The trimmed key and value.</returns>
    /// <exception cref="ArgumentException">There is no '=' or the key or value is empty.</exception>
    public static (string Key, string Value) SplitAssignment(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == assignment.Length - 1 || string.IsNullOrWhiteSpace(assignment[..eq]) || string.IsNullOrWhiteSpace(assignment[(eq + 1)..]))
        {
            throw new ArgumentException($"Setting '{assignment}' is not of the form key=value. Valid keys: {ValidKeysText}.", nameof(assignment));
        }

        return (assignment[..eq].Trim(), assignment[(eq + 1)..].Trim());
    }

    private static TSettings ApplyOne<TSettings>(TSettings settings, string key, string value)
        where TSettings : ControlTaskSettings
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        string name = key.Trim();
        try
        {
            ControlTaskSettings updated = name.ToLowerInvariant() switch
            {
                "dt" => settings with { TimeStep = SettingValueParser.ParseNumber(value) },
                "t" => settings with { EpisodeLength = SettingValueParser.ParseInteger(value) },
                "h" => settings with { Horizon = SettingValueParser.ParseInteger(value) },
                "x0" => settings with { InitialStates = [Array.AsReadOnly(SettingValueParser.ParseList(value))] },
                "params" => settings with { PhysicalParameters = Array.AsReadOnly(SettingValueParser.ParseList(value)) },
                "weights" => settings with { CostWeights = Array.AsReadOnly(SettingValueParser.ParseList(value)) },
                "wu" => settings with { ControlWeight = SettingValueParser.ParseNumber(value) },
                "u_max" => settings with { ControlLimit = SettingValueParser.ParseOptionalNumber(value) },
                "x_max" => settings with { StateLimit = SettingValueParser.ParseOptionalNumber(value) },
                "sigma0" => settings with { InitialSpread = SettingValueParser.ParseNumber(value) },
                _ => throw new ArgumentException(
                    $"Unknown setting '{name}' for {settings.EnvironmentName}. Valid keys: {ValidKeysText}.", nameof(key)),
            };
            return (TSettings)updated;
        }
        catch (FormatException e)
        {
            throw new ArgumentException(
                $"Bad value for setting '{name}' of {settings.EnvironmentName}: {e.Message} Valid keys: {ValidKeysText}.", nameof(value), e);
        }
    }
}
