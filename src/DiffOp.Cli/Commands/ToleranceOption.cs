using System.CommandLine;
using System.Globalization;
using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>--tol T</c> of solve and export-kkt: the convergence tolerance (<see cref="OcpSolverOptions.Tolerance"/>, Ipopt's <c>tol</c>, default 1e-8). The structured QP
/// solver follows it (its own tolerance is a tenth of it). Validated here: a positive finite number, else exit code 2.
/// </summary>
internal static class ToleranceOption
{
    public const string Name = "--tol";

    public static Option<double?> Create()
    {
        var option = new Option<double?>(Name)
        {
            Description = $"Solver convergence tolerance: Ipopt's tol (default {new OcpSolverOptions().Tolerance.ToString("0e0", CultureInfo.InvariantCulture)}; the structured QP solver uses a tenth of it). A positive finite number.",
        };
        option.Validators.Add(r =>
        {
            // Checks the tokens itself, so that 'abc', 'nan', 'inf', 0 and negative values all get the same message.
            foreach (var token in r.Tokens)
            {
                if (!double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || !(value > 0))
                {
                    r.AddError($"{Name} must be a positive finite number such as 1e-10, got '{token.Value}'.");
                    return;
                }
            }
        });
        return option;
    }

    /// <summary>Ipopt options (for a plain NLP such as HS071) with the tolerance of <paramref name="option"/> when it was given.</summary>
    public static IpoptOptions Apply(ParseResult parse, Option<double?> option, IpoptOptions ipopt) =>
        parse.GetValue(option) is { } tol ? ipopt with { Tolerance = tol } : ipopt;

    /// <summary>OCP solver options with the tolerance of <paramref name="option"/> when it was given.</summary>
    public static OcpSolverOptions Apply(ParseResult parse, Option<double?> option, OcpSolverOptions options) =>
        parse.GetValue(option) is { } tol ? options with { Tolerance = tol } : options;
}
