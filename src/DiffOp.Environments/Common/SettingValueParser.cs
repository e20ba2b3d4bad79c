using System.Globalization;
using System.Text.RegularExpressions;

namespace DiffOp.Environments.Common;

/// <summary>
/// Parses the values of <c>--set key=value</c>: numbers in invariant culture, multiples of π written as
/// <c>pi</c>, <c>-pi/2</c>, <c>3pi/4</c> or <c>3*pi/4</c>, and comma-separated lists of those. Non-finite values are
/// rejected. Each method throws <see cref="FormatException"/> with a message naming the offending text.
/// </summary>
public static partial class SettingValueParser
{
    /// <summary>Parses one finite number (or multiple of π).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The text is not a number or is not finite.</exception>
    public static double ParseNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().Replace('−', '-').Replace("π", "pi", StringComparison.Ordinal);
        double value;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain))
        {
            value = plain;
        }
        else
        {
            var match = PiMultiple().Match(t);
            if (!match.Success)
            {
                throw new FormatException($"'{text}' is not a number (write e.g. 0.5, -2e-3, pi, -pi/2 or 3pi/4).");
            }

            double coefficient = match.Groups["c"].Success ? double.Parse(match.Groups["c"].Value, CultureInfo.InvariantCulture) : 1.0;
            double divisor = match.Groups["d"].Success ? double.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture) : 1.0;
            value = (match.Groups["s"].Value == "-" ? -1.0 : 1.0) * coefficient * Math.PI / divisor;
        }

        if (!double.IsFinite(value))
        {
            throw new FormatException($"'{text}' is not a finite number.");
        }

        return value;
    }

    /// <summary>Parses a whole number (an integral value such as 30 or 30.0).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The text is not an integer in the range of <see cref="int"/>.</exception>
    public static int ParseInteger(string text)
    {
        double value = ParseNumber(text);
        if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
        {
            throw new FormatException($"'{text}' is not a whole number.");
        }

        return (int)value;
    }

    /// <summary>Parses a comma-separated list of finite numbers (at least one).</summary>
    /// <param name="text">The text, e.g. <c>0,-pi/2,0,0</c>.</param>
    /// <returns>The values.</returns>
    /// <exception cref="FormatException">An entry is empty, not a number or not finite.</exception>
    public static double[] ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(',');
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(parts[i]))
            {
                throw new FormatException($"'{text}': entry {i} of the comma-separated list is empty.");
            }

            values[i] = ParseNumber(parts[i]);
        }

        return values;
    }

    /// <summary>Parses an optional bound: <c>none</c> (or <c>off</c>) means absent, anything else is a finite number.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The bound, or null when absent.</returns>
    /// <exception cref="FormatException">The text is neither <c>none</c> nor a finite number.</exception>
    public static double? ParseOptionalNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        return t.Equals("none", StringComparison.OrdinalIgnoreCase) || t.Equals("off", StringComparison.OrdinalIgnoreCase)
            ? null
            : ParseNumber(t);
    }

    [GeneratedRegex(@"^(?<s>[+-])?(?<c>\d+(\.\d*)?|\.\d+)?\*?pi(/(?<d>\d+(\.\d*)?|\.\d+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PiMultiple();
}
