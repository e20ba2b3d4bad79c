using System.CommandLine;
using System.Text.Json;
using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop export-kkt &lt;problem&gt; --out FILE.json [--horizon H] [--set k=v …] [--theta true|init] [--x0 …] [--tol T]
/// [--jacobian]</c>: solves the OCP and writes ζ*, the multipliers, the active set, the per-stage KKT blocks and, with
/// <c>--jacobian</c>, the implicit Jacobian ∂ζ*/∂(θ, x_init) (format: docs/kkt-export.md).
/// </summary>
internal static class ExportKktCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var outFile = new Option<FileInfo>("--out") { Description = "The JSON file to write.", Required = true };
        var jacobian = new Option<bool>("--jacobian")
        {
            Description = "Also write the implicit Jacobian ∂ζ*/∂(θ, x_init) (key 'jacobian': one row per entry of ζ*, columns θ then x_init), " +
                          "for tools/python/check_kkt.py to rebuild from the blocks.",
        };
        var tol = ToleranceOption.Create();
        var solverChoice = SolverOption.Create();
        var command = new Command("export-kkt", "Solve an OCP and export its solution, multipliers, active set and per-stage KKT blocks as JSON (docs/kkt-export.md).");
        common.AddTo(command);
        command.Options.Add(outFile);
        command.Options.Add(jacobian);
        command.Options.Add(tol);
        command.Options.Add(solverChoice);
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var request = common.Read(parse);
            var c = ProblemCatalog.Create(request);
            var options = ToleranceOption.Apply(parse, tol, new OcpSolverOptions { Solver = SolverOption.Read(parse, solverChoice) });
            using var solver = new OcpSolver(c.Ocp, options);
            var solution = solver.Solve(c.Theta, c.InitialState, c.Context).EnsureSuccess();
            var blocks = new KktBlockAssembler(c.Ocp).Assemble(solution);
            // The library's production sensitivity solver: the same Jacobian training differentiates through.
            var result = parse.GetValue(jacobian) ? new StructuredSensitivity(c.Ocp).Jacobian(solution) : null;
            var file = parse.GetRequiredValue(outFile);
            if (file.Directory is { Exists: false } dir) dir.Create();
            var document = KktExport.Build(c, request, options, solution, blocks, result);
            File.WriteAllText(file.FullName, JsonSerializer.Serialize(document, JsonOutput.Indented));
            parse.InvocationConfiguration.Output.WriteLine(
                $"wrote {file.FullName}: {c.Ocp}, status {solution.SolverStatus}, {solution.ActiveSet}{(result is null ? "" : ", with the Jacobian")}");
            return DiffOpCli.Success;
        }));
        return command;
    }
}
