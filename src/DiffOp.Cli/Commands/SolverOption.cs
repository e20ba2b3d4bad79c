using System.CommandLine;
using DiffOp.Control.OptimalControl;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>--solver auto|structured|ipopt</c> of solve, gradcheck, export-kkt, train and evaluate: which solver solves the policy's OCP
/// (<see cref="OcpSolverOptions.Solver"/>). Unknown names are a usage error (exit code 2) listing the three.
/// </summary>
internal static class SolverOption
{
    public const string Name = "--solver";

    /// <summary>The option; without a default, so that a command can tell "not given" (e.g. evaluate: the run's own choice).</summary>
    public static Option<string?> Create(string defaultDescription = "auto")
    {
        var option = new Option<string?>(Name)
        {
            Description = "auto: the structured QP solver for OCPs that are convex QPs (voltage, the LQR samples), Ipopt otherwise and as fallback; " +
                          "structured: the structured QP solver only (a convex-QP OCP is required; a solve it cannot finish fails instead of falling back); " +
                          $"ipopt: always Ipopt. Default: {defaultDescription}.",
        };
        option.AcceptOnlyFromAmong([.. Names.Select(n => n.Name)]);
        return option;
    }

    /// <summary>The CLI's name of each choice (config.json stores the enum name).</summary>
    private static readonly (string Name, OcpSolverChoice Choice)[] Names =
        [("auto", OcpSolverChoice.Auto), ("structured", OcpSolverChoice.Structured), ("ipopt", OcpSolverChoice.Ipopt)];

    /// <summary>The choice the option names (the option accepts only these names).</summary>
    public static OcpSolverChoice Parse(string name) => Names.Single(n => n.Name == name).Choice;

    /// <summary>The given choice, or <paramref name="fallback"/> when the option was not given.</summary>
    public static OcpSolverChoice Read(ParseResult parse, Option<string?> option, OcpSolverChoice fallback = OcpSolverChoice.Auto) =>
        parse.GetValue(option) is { } name ? Parse(name) : fallback;

    /// <summary>The CLI's name of a choice.</summary>
    public static string NameOf(OcpSolverChoice choice) => Names.Single(n => n.Choice == choice).Name;
}
