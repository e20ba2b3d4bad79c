using System.CommandLine;
using DiffOp.Control.Nlp;
using DiffOp.Control.Nlp.Samples;
using DiffOp.Control.Ocp;
using DiffOp.Control.Ocp.Samples;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary><c>diffop solve &lt;problem&gt; [--horizon H] [--json]</c>: solves a named problem and prints the result.</summary>
internal static class SolveCommand
{
    /// <summary>Problem names this command knows.</summary>
    public static readonly string[] Problems = ["hs071", "lqr", "boxlqr"];

    public static Command Create()
    {
        var problem = new Argument<string>("problem")
        {
            Description = "hs071 (Hock–Schittkowski 71), lqr (3 states, 2 controls) or boxlqr (lqr with |u| ≤ 0.5).",
        };
        problem.AcceptOnlyFromAmong(Problems);
        var horizon = new Option<int>("--horizon") { Description = "Horizon H of the optimal control problems (lqr, boxlqr).", DefaultValueFactory = _ => 8 };
        horizon.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError($"--horizon must be at least 1, got {r.GetValueOrDefault<int>()}.");
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("solve", "Solve a named problem with Ipopt and print status, objective and solution.")
        {
            problem, horizon, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                string name = parse.GetRequiredValue(problem);
                return name == "hs071"
                    ? SolveHs071(parse.GetValue(json), output)
                    : SolveOcp(name, parse.GetValue(horizon), parse.GetValue(json), output);
            }
            catch (NativeLibraryException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return DiffOpCli.MissingDependency;
            }
        });
        return command;
    }

    private static int SolveHs071(bool json, TextWriter output)
    {
        var solution = new IpoptSolver().Solve(new Hs071Problem(), Hs071Problem.StartPoint);
        if (json)
        {
            JsonOutput.Write(output, new
            {
                problem = "hs071", status = solution.RawStatus.ToString(), objective = solution.Objective, x = solution.X,
                iterations = solution.Iterations, solve_ms = solution.SolveTime.TotalMilliseconds,
            });
        }
        else
        {
            output.WriteLine($"problem     hs071");
            output.WriteLine($"status      {solution.RawStatus} ({solution.Status})");
            output.WriteLine($"objective   {solution.Objective:R}");
            output.WriteLine($"x           {Format(solution.X)}");
            output.WriteLine($"iterations  {solution.Iterations}");
            output.WriteLine($"solve time  {solution.SolveTime.TotalMilliseconds:F2} ms");
        }
        return solution.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
    }

    private static int SolveOcp(string name, int horizon, bool json, TextWriter output)
    {
        var ocp = name == "lqr" ? LqrSamples.Lqr(horizon) : LqrSamples.BoxLqr(horizon);
        var s = new OcpSolver(ocp).Solve(LqrSamples.InitialState);
        var states = Enumerable.Range(0, horizon + 1).Select(t => s.State(t).ToArray()).ToArray();
        var controls = Enumerable.Range(0, horizon).Select(t => s.Control(t).ToArray()).ToArray();
        if (json)
        {
            JsonOutput.Write(output, new
            {
                problem = name, status = s.RawStatus.ToString(), objective = s.Objective, states, controls,
                iterations = s.Iterations, solve_ms = s.SolveTime.TotalMilliseconds,
            });
            return s.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
        }
        output.WriteLine($"problem     {ocp}");
        output.WriteLine($"status      {s.RawStatus} ({s.Status})");
        output.WriteLine($"objective   {s.Objective:R}");
        output.WriteLine($"iterations  {s.Iterations}, solve time {s.SolveTime.TotalMilliseconds:F2} ms");
        output.WriteLine($"active set  {s.ActiveSet}");
        output.WriteLine($"λ₋₁ (x₀ = x_init)  {Format(s.InitialStateMultipliers.ToArray())}");
        output.WriteLine(" t  x_t                                   u_t                     λ_t (costate of x_{t+1})");
        for (int t = 0; t <= horizon; t++)
        {
            string u = t < horizon ? Format(controls[t]) : "";
            string lam = t < horizon ? Format(s.DynamicsMultipliers(t).ToArray()) : "";
            output.WriteLine($"{t,2}  {Format(states[t]),-36}  {u,-22}  {lam}");
        }
        foreach (var c in s.ActiveSet.Active)
            output.WriteLine($"active: {c.Kind} stage {c.Stage} component {c.Index}, multiplier {c.Multiplier:G6}");
        foreach (var c in s.ActiveSet.WeaklyActive)
            output.WriteLine($"weakly active (derivative one-sided here): {c.Kind} stage {c.Stage} component {c.Index}");
        return s.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
    }

    private static string Format(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(v => v.ToString("F5"))) + "]";
}
