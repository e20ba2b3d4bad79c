using System.CommandLine;
using System.Globalization;

namespace DiffOp.Cli.Commands;

/// <summary>Options shared by several commands, and reading them back into a <see cref="ProblemRequest"/>.</summary>
internal sealed class CommonOptions(params string[] extraProblems)
{
    public Argument<string> Problem { get; } = CreateProblem(extraProblems);
    public Option<int?> Horizon { get; } = CreateHorizon();
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override an environment setting, key=value (repeatable; keys: dt, T, H, x0, params, weights, wu, u_max, x_max, sigma0).",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string> Theta { get; } = CreateTheta();
    public Option<string?> InitialState { get; } = new("--x0") { Description = "Initial state as comma-separated numbers (default: the problem's first initial state)." };
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Problem);
        command.Options.Add(Horizon);
        command.Options.Add(Set);
        command.Options.Add(Theta);
        command.Options.Add(InitialState);
        command.Options.Add(Json);
    }

    public ProblemRequest Read(ParseResult parse) => new(
        parse.GetRequiredValue(Problem),
        parse.GetValue(Horizon),
        parse.GetValue(Set) ?? [],
        parse.GetValue(Theta) == "true" ? ThetaChoice.True : ThetaChoice.Init,
        ParseVector(parse.GetValue(InitialState), "--x0"));

    public static double[]? ParseVector(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new ArgumentException($"{option}: '{parts[i]}' is not a finite number (expected comma-separated numbers such as 0,0.5,0,0).");
        }
        return values;
    }

    private static Argument<string> CreateProblem(string[] extra)
    {
        string[] names = [.. extra, .. ProblemCatalog.OcpNames];
        var problem = new Argument<string>("problem") { Description = "The problem: " + string.Join(", ", names) + "." };
        problem.AcceptOnlyFromAmong(names);
        return problem;
    }

    private static Option<int?> CreateHorizon()
    {
        var horizon = new Option<int?>("--horizon") { Description = "Horizon H (default: 8 for the LQR samples, the environment's Step horizon otherwise)." };
        AddMinimum(horizon, 1);
        return horizon;
    }

    /// <summary>
    /// Adds a validator: the option's text must be a whole number of at least <paramref name="minimum"/>. Checks the tokens
    /// itself, so that text that does not parse ('abc', '1e3', a number beyond int) becomes a usage error, not an exception.
    /// </summary>
    public static void AddMinimum<T>(Option<T> option, int minimum)
    {
        option.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (!int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                {
                    r.AddError($"{option.Name} must be a whole number of at least {minimum} (at most {int.MaxValue}), got '{token.Value}'.");
                    return;
                }
                if (value < minimum)
                {
                    r.AddError($"{option.Name} must be at least {minimum}, got {value}.");
                    return;
                }
            }
        });
    }

    private static Option<string> CreateTheta()
    {
        var theta = new Option<string>("--theta") { Description = "Policy parameters of an environment: 'true' (the true OCP) or 'init' (training start).", DefaultValueFactory = _ => "true" };
        theta.AcceptOnlyFromAmong("true", "init");
        return theta;
    }
}
