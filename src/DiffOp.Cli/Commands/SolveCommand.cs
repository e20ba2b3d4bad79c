using System.CommandLine;
using DiffOp.Control.Nlp;
using DiffOp.Control.Nlp.Samples;
using DiffOp.Control.OptimalControl;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop solve &lt;problem&gt; [--horizon H] [--set k=v …] [--theta true|init] [--x0 …] [--tol T] [--json]</c>: solves a
/// named problem (HS071, the LQR samples, or an environment's policy OCP) and prints the result.
/// </summary>
internal static class SolveCommand
{
    public static Command Create()
    {
        var common = new CommonOptions("hs071");
        var command = new Command("solve", "Solve a named problem with Ipopt and print status, objective and solution (trajectory, costates, active set for OCPs).");
        var progress = new Option<bool>("--progress") { Description = "Print one line per Ipopt iteration on stderr (on by default when stderr is a terminal). The structured QP solver takes well under a millisecond and prints nothing." };
        var solver = SolverOption.Create();
        var tol = ToleranceOption.Create();
        common.AddTo(command);
        command.Options.Add(progress);
        command.Options.Add(solver);
        command.Options.Add(tol);
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var request = common.Read(parse);
            bool json = parse.GetValue(common.Json);
            var error = parse.InvocationConfiguration.Error;
            bool show = parse.GetResult(progress) is { Implicit: false } ? parse.GetValue(progress) : ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
            var ipopt = new IpoptOptions { Progress = show ? Reporter(error) : null };
            if (request.Name == "hs071" && parse.GetValue(solver) == "structured")
                throw new ArgumentException("hs071 is a general nonlinear program, not an OCP that is a convex QP: --solver structured does not apply to it; drop --solver (Ipopt solves it).");
            if (request.Name == "hs071") return SolveHs071(json, output, ToleranceOption.Apply(parse, tol, ipopt));
            var options = ToleranceOption.Apply(parse, tol, new OcpSolverOptions { Ipopt = ipopt, Solver = SolverOption.Read(parse, solver) });
            return SolveOcp(ProblemCatalog.Create(request), json, output, options);
        }));
        return command;
    }

    /// <summary>One stderr line per Ipopt iteration, so that a long solve shows it is making progress.</summary>
    private static Action<IpoptIterate> Reporter(TextWriter error) => i =>
        error.WriteLine($"ipopt iteration {i.Iteration,4}  objective {i.Objective,14:G8}  inf_pr {i.PrimalInfeasibility,9:E2}  inf_du {i.DualInfeasibility,9:E2}  μ {i.BarrierParameter,9:E2}");

    private static int SolveHs071(bool json, TextWriter output, IpoptOptions ipopt)
    {
        var solution = new IpoptSolver(ipopt).Solve(new Hs071Problem(), Hs071Problem.StartPoint);
        if (json)
        {
            JsonOutput.Write(output, new
            {
                problem = "hs071", status = solution.SolverStatus, objective = solution.Objective, x = solution.X,
                iterations = solution.Iterations, solve_ms = solution.SolveTime.TotalMilliseconds,
            });
        }
        else
        {
            output.WriteLine($"problem     hs071");
            output.WriteLine($"status      {solution.SolverStatus} ({solution.Status})");
            output.WriteLine($"objective   {solution.Objective:R}");
            output.WriteLine($"x           {Format(solution.X)}");
            output.WriteLine($"iterations  {solution.Iterations}");
            output.WriteLine($"solve time  {solution.SolveTime.TotalMilliseconds:F2} ms");
        }
        return solution.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
    }

    private static int SolveOcp(OcpCase problem, bool json, TextWriter output, OcpSolverOptions options)
    {
        var ocp = problem.Ocp;
        int horizon = ocp.Horizon;
        using var solver = new OcpSolver(ocp, options);
        var s = solver.Solve(problem.Theta, problem.InitialState, problem.Context);
        var states = Enumerable.Range(0, horizon + 1).Select(t => s.State(t).ToArray()).ToArray();
        var controls = Enumerable.Range(0, horizon).Select(t => s.Control(t).ToArray()).ToArray();
        if (json)
        {
            JsonOutput.Write(output, new
            {
                problem = problem.Name, method = s.Method.ToString(), status = s.SolverStatus, objective = s.Objective, states, controls,
                iterations = s.Iterations, solve_ms = s.SolveTime.TotalMilliseconds,
            });
            return s.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
        }
        output.WriteLine($"problem     {ocp}");
        output.WriteLine($"status      {s.SolverStatus} ({s.Status})");
        output.WriteLine($"solver      {(s.Method == OcpSolveMethod.StructuredQp ? "structured QP (interior point, Riccati recursion)" : "Ipopt")}");
        output.WriteLine($"objective   {s.Objective:R}");
        output.WriteLine($"iterations  {s.Iterations}, solve time {s.SolveTime.TotalMilliseconds:F2} ms");
        output.WriteLine($"active set  {s.ActiveSet}");
        output.WriteLine($"λ₋₁ (x₀ = x_init)  {Format(s.InitialStateMultipliers.ToArray())}");
        output.WriteLine(" t  x_t  |  u_t  |  λ_t (costate of x_{t+1})");
        for (int t = 0; t <= horizon; t++)
        {
            string u = t < horizon ? Format(controls[t]) : "";
            string lam = t < horizon ? Format(s.DynamicsMultipliers(t).ToArray()) : "";
            output.WriteLine($"{t,2}  {Format(states[t])}  |  {u}  |  {lam}");
        }
        foreach (var c in s.ActiveSet.Active)
            output.WriteLine($"active: {c.Kind} stage {c.Stage} component {c.Index}, multiplier {c.Multiplier:G6}");
        foreach (var c in s.ActiveSet.WeaklyActive)
            output.WriteLine($"weakly active (derivative one-sided here): {c.Kind} stage {c.Stage} component {c.Index}");
        return s.IsSuccess ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
    }

    private static string Format(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(v => v.ToString("F4"))) + "]";
}
