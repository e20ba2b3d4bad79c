using System.CommandLine;
using System.Text.Json;
using DiffOp.Control.Ocp;
using DiffOp.Control.Sensitivity;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop export-kkt &lt;problem&gt; --out FILE.json [--horizon H]</c>: solves the OCP and writes ζ*, the
/// multipliers, the active set and the per-stage KKT blocks (format: docs/kkt-export.md).
/// </summary>
internal static class ExportKktCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var outFile = new Option<FileInfo>("--out") { Description = "The JSON file to write.", Required = true };
        var command = new Command("export-kkt", "Solve an OCP and export its solution, multipliers, active set and per-stage KKT blocks as JSON (docs/kkt-export.md).");
        common.AddTo(command);
        command.Options.Add(outFile);
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            {
                var c = ProblemCatalog.Create(common.Read(parse));
                var solution = new OcpSolver(c.Ocp).Solve(c.Theta, c.InitialState, c.Context).EnsureSuccess();
                var blocks = new KktBlockAssembler(c.Ocp).Assemble(solution);
                var file = parse.GetRequiredValue(outFile);
                if (file.Directory is { Exists: false } dir) dir.Create();
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(KktExport.Build(c, solution, blocks), JsonOutput.Indented));
                parse.InvocationConfiguration.Output.WriteLine(
                    $"wrote {file.FullName}: {c.Ocp}, status {solution.RawStatus}, {solution.ActiveSet}");
                return DiffOpCli.Success;
            }
        }));
        return command;
    }
}

/// <summary>Builds the export document (names and shapes: docs/kkt-export.md).</summary>
internal static class KktExport
{
    public static object Build(OcpCase c, OcpSolution s, KktBlocks b)
    {
        int n = b.StateCount, w = b.StageWidth, d = b.ParameterCount, H = b.Horizon;
        return new
        {
            format = "diffop-kkt/1",
            conventions = "zeta = (x0,u0,...,x_H); L = J - lambda^T kappa; kappa_init = x0 - x_init; kappa_t = x_{t+1} - f(x_t,u_t); " +
                          "active rows g <= 0 as kappa = g; bounds as kappa = e_j^T zeta - bound; matrices row-major nested arrays",
            problem = c.Name,
            horizon = H, state_count = n, control_count = b.ControlCount, parameter_count = d,
            parameter_blocks = c.Ocp.Parameters.Select(p => new { name = p.Name, offset = p.Offset, length = p.Length }),
            theta = s.Theta, x_init = s.InitialState, context = s.Context,
            status = s.RawStatus.ToString(), objective = s.Objective,
            zeta = s.Trajectory.ToArray(),
            multipliers = new
            {
                initial_state = s.InitialStateMultipliers.ToArray(),
                dynamics = Enumerable.Range(0, H).Select(t => s.DynamicsMultipliers(t).ToArray()),
                path = Enumerable.Range(0, H).Select(t => s.PathMultipliers(t).ToArray()),
                terminal = s.TerminalMultipliers.ToArray(),
                bounds = s.BoundMultipliers,
            },
            active_set = s.ActiveSet.Active.Select(Describe),
            weakly_active = s.ActiveSet.WeaklyActive.Select(Describe),
            stages = Enumerable.Range(0, H).Select(t => new
            {
                t,
                D = Rows(b.StageHessians[t], w, w),
                B = Rows(b.StageMixed[t], w, d),
                F = Rows(b.DynamicsJacobians[t], n, w),
                F_theta = Rows(b.DynamicsParameterJacobians[t], n, d),
                active_rows = b.StageRows[t].Select(r => new { kind = r.Kind.ToString(), index = r.Index, a = r.Coefficients, c = r.ParameterCoefficients }),
            }),
            terminal = new
            {
                D = Rows(b.TerminalHessian, n, n),
                B = Rows(b.TerminalMixed, n, d),
                active_rows = b.TerminalRows.Select(r => new { kind = r.Kind.ToString(), index = r.Index, a = r.Coefficients, c = r.ParameterCoefficients }),
            },
        };
    }

    private static object Describe(ActiveConstraint a) => new
    {
        kind = a.Kind.ToString(), stage = a.Stage, index = a.Index, trajectory_index = a.TrajectoryIndex, slack = a.Slack, multiplier = a.Multiplier,
    };

    private static double[][] Rows(double[] m, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(r => m.AsSpan(r * cols, cols).ToArray()).ToArray();
}
