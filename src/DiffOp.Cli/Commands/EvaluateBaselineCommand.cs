using System.CommandLine;
using DiffOp.Environments.Voltage;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop evaluate-baseline voltage --controller sgf [--scenarios 500] [--steps 100] [--json]</c>: runs a reference
/// controller through the published voltage evaluation protocol (docs/environments-voltage.md: scenarios 0..N−1, evaluation
/// box, no early stop) and prints the transient and steady-state costs and the number of power-flow failures.
/// </summary>
internal static class EvaluateBaselineCommand
{
    /// <summary>Environments that have a baseline controller.</summary>
    public static readonly string[] Environments = ["voltage"];

    /// <summary>Baseline controllers: sgf = safe gradient flow (α = 0.5).</summary>
    public static readonly string[] Controllers = ["sgf"];

    public static Command Create()
    {
        var environment = new Argument<string>("environment") { Description = "The environment: " + string.Join(", ", Environments) + "." };
        environment.AcceptOnlyFromAmong(Environments);
        var controller = new Option<string>("--controller")
        {
            Description = "The baseline controller: sgf (safe gradient flow, alpha 0.5; docs/environments-voltage.md).",
            Required = true,
        };
        controller.AcceptOnlyFromAmong(Controllers);
        var scenarios = PositiveInt("--scenarios", 500, "Number of evaluation scenarios (scenarios 0..N-1, RandomState(k)).");
        var steps = PositiveInt("--steps", 100, "Steps per scenario (no early stop).");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };

        var command = new Command("evaluate-baseline", "Evaluate a reference controller with the published protocol (voltage: transient and steady-state cost).");
        command.Arguments.Add(environment);
        command.Options.Add(controller);
        command.Options.Add(scenarios);
        command.Options.Add(steps);
        command.Options.Add(json);
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            {
                var evaluation = new VoltageEvaluation(VoltageSettings.Evaluation, parse.GetValue(scenarios), parse.GetValue(steps));
                var sgf = new SafeGradientFlowController(evaluation.Settings);
                var result = evaluation.Run(sgf.AsControlLaw());
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(output, new
                    {
                        transient_cost = result.TransientCost,
                        steady_state_cost = result.SteadyStateCost,
                        scenarios = result.Scenarios,
                        pf_failures = result.PowerFlowFailures,
                    });
                }
                else
                {
                    output.WriteLine($"environment          {parse.GetValue(environment)} (evaluation box, {evaluation.Steps} steps, discount {evaluation.Discount})");
                    output.WriteLine($"controller           {parse.GetValue(controller)} (safe gradient flow, alpha {sgf.Alpha})");
                    output.WriteLine($"scenarios            {result.Scenarios}");
                    output.WriteLine($"transient cost       {result.TransientCost:F6}");
                    output.WriteLine($"steady-state cost    {result.SteadyStateCost:F6}");
                    output.WriteLine($"power-flow failures  {result.PowerFlowFailures}");
                }

                return DiffOpCli.Success;
            }
        }));
        return command;
    }

    private static Option<int> PositiveInt(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        CommonOptions.AddMinimum(option, 1);
        return option;
    }
}
