using System.CommandLine;
using DiffOp.Control.Nlp;
using DiffOp.Control.Nlp.Samples;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary><c>diffop solve &lt;problem&gt; [--json]</c>: solves a named problem and prints the result.</summary>
internal static class SolveCommand
{
    /// <summary>Problem names this command knows.</summary>
    public static readonly string[] Problems = ["hs071"];

    public static Command Create()
    {
        var problem = new Argument<string>("problem") { Description = "The problem to solve: " + string.Join(", ", Problems) + "." };
        problem.AcceptOnlyFromAmong(Problems);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("solve", "Solve a named optimization problem with Ipopt and print status, objective and solution.")
        {
            problem, json,
        };
        command.SetAction(parse => Execute(parse.GetRequiredValue(problem), parse.GetValue(json), parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Execute(string name, bool json, TextWriter output, TextWriter error)
    {
        NlpSolution solution;
        try
        {
            solution = name switch
            {
                "hs071" => new IpoptSolver().Solve(new Hs071Problem(), Hs071Problem.StartPoint),
                _ => throw new InvalidOperationException($"Unknown problem '{name}'."),
            };
        }
        catch (NativeLibraryException ex)
        {
            error.WriteLine(ex.Message);
            return DiffOpCli.MissingDependency;
        }

        if (json)
        {
            JsonOutput.Write(output, new
            {
                problem = name,
                status = solution.RawStatus.ToString(),
                objective = solution.Objective,
                x = solution.X,
                iterations = solution.Iterations,
                solve_ms = solution.SolveTime.TotalMilliseconds,
            });
        }
        else
        {
            output.WriteLine($"problem     {name}");
            output.WriteLine($"status      {solution.RawStatus} ({solution.Status})");
            output.WriteLine($"objective   {solution.Objective:R}");
            output.WriteLine($"x           [{string.Join(", ", solution.X.Select(v => v.ToString("G10")))}]");
            output.WriteLine($"iterations  {solution.Iterations}");
            output.WriteLine($"solve time  {solution.SolveTime.TotalMilliseconds:F2} ms");
        }
        return solution.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
    }
}
