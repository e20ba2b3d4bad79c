using System.CommandLine;
using DiffOp.Cli;
using DiffOp.Cli.Commands;
using System.Text.Json;
using DiffOp.Results.Benchmarking;
using DiffOp.Environments.Common;

namespace DiffOp.Results.Commands;

/// <summary>
/// <c>diffop-results bench [--json] [--quick] [--env e …] [--no-sweep] [--solver auto|structured|ipopt]</c>: wall-clock medians of
/// the forward solve and the backward passes per environment (Step H and Traj H = T) and over a voltage horizon sweep; with the
/// default solver choice a convex-QP OCP's cases are also solved by Ipopt (phase forward_ipopt) for the speed-up. For statistically
/// careful figures use <c>./build.sh bench</c> (BenchmarkDotNet); this command is the quick, scriptable view.
/// </summary>
internal static class BenchCommand
{
    public static readonly int[] Sweep = [6, 12, 30, 60, 120, 240];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON list of rows {case, env, horizon, phase, median_ms, p90_ms, alloc_bytes}." };
        var quick = new Option<bool>("--quick") { Description = "Fewer repetitions (a smoke run; figures are noisier)." };
        var envs = new Option<string[]>("--env") { Description = "Environments to measure (repeatable; default: all)." };
        var noSweep = new Option<bool>("--no-sweep") { Description = "Skip the voltage horizon sweep H = 6 … 240." };
        var solver = SolverOption.Create("auto, and Ipopt beside it (phase forward_ipopt) where the structured solver solved");
        var command = new Command("bench", "Time forward solves and implicit-gradient backward passes (median, p90, managed bytes per call).")
        {
            json, quick, envs, noSweep, solver,
        };
        command.SetAction(parse => ResultsTool.Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var names = parse.GetValue(envs) is { Length: > 0 } chosen ? chosen : [.. EnvironmentCatalog.Names];
            foreach (var n in names) EnvironmentCatalog.Find(n);   // validates before measuring anything
            var choice = SolverOption.Read(parse, solver);
            // --solver structured on a task that is not a QP: the solver's own error, before anything is measured.
            var solverOptions = new DiffOp.Control.OptimalControl.OcpSolverOptions { Solver = choice };
            foreach (var n in choice == DiffOp.Control.OptimalControl.OcpSolverChoice.Structured ? names : [])
            {
                var model = EnvironmentCatalog.CreatePolicyModel(n, []);
                solverOptions.ValidateFor(model.BuildOcp(model.StepHorizon, model.TrueTheta()));
            }
            var suite = new BenchmarkSuite(parse.GetValue(quick), choice);
            var rows = new List<BenchmarkRow>();
            if (!parse.GetValue(json))
                output.WriteLine($"{"case",-18} {"H",4}  {"phase",-20} {"median ms",10} {"p90 ms",10} {"alloc B",10} {"reps",6}");
            foreach (var row in suite.Run(names, parse.GetValue(noSweep) ? [] : Sweep))
            {
                rows.Add(row);
                if (!parse.GetValue(json))
                    output.WriteLine($"{row.Case,-18} {row.Horizon,4}  {row.Phase,-20} {row.MedianMs,10:F4} {row.P90Ms,10:F4} {row.AllocatedBytes,10} {row.Repetitions,6}");
            }
            if (parse.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(rows, JsonOutput.Indented));
            return DiffOpCli.Success;
        }));
        return command;
    }
}
