using System.CommandLine;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop gradcheck &lt;problem&gt; [--horizon H] [--json]</c>: compares the structured implicit gradient with
/// the dense KKT oracle and with central finite differences of re-solved OCPs. Exit code 1 when the
/// structured result is off by more than 1e-9 from the dense one or 1e-4 from finite differences.
/// </summary>
internal static class GradCheckCommand
{
    public const double DenseTolerance = 1e-9;
    public const double FiniteDifferenceTolerance = 1e-4;

    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("gradcheck", "Check the implicit gradient ∂ζ*/∂(θ, x_init): structured vs dense KKT solve vs finite differences.");
        var solver = SolverOption.Create();
        common.AddTo(command);
        command.Options.Add(solver);
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            {
                var c = ProblemCatalog.Create(common.Read(parse));
                var report = GradientCheck.Run(c.Ocp, c.Theta, c.InitialState, c.Context, solver: SolverOption.Read(parse, solver));
                bool ok = (!report.DenseChecked || report.MaxRelativeErrorDenseVsStructured <= DenseTolerance)
                          && report.MaxRelativeErrorVsFiniteDifferences <= FiniteDifferenceTolerance;
                if (parse.GetValue(common.Json))
                {
                    JsonOutput.Write(output, new
                    {
                        problem = c.Name,
                        solver = report.Method.ToString(),
                        max_rel_err_dense_vs_structured = report.DenseChecked ? report.MaxRelativeErrorDenseVsStructured : (double?)null,
                        dense_checked = report.DenseChecked,
                        max_rel_err_vs_fd = report.MaxRelativeErrorVsFiniteDifferences,
                        fd_directions_skipped = report.DirectionsSkipped,
                        fd_directions_checked = report.DirectionsChecked,
                        one_sided = report.IsOneSided,
                        passed = ok,
                    });
                }
                else
                {
                    output.WriteLine($"problem                          {c.Ocp}");
                    output.WriteLine($"solved by                        {(report.Method == OcpSolveMethod.StructuredQp ? "the structured QP solver" : "Ipopt")}");
                    output.WriteLine(report.DenseChecked
                        ? $"structured vs dense (max rel)    {report.MaxRelativeErrorDenseVsStructured:E2}   (tolerance {DenseTolerance:E0})"
                        : $"structured vs dense              skipped: {c.Ocp.Layout.VariableCount} unknowns, the dense oracle runs up to {GradientCheck.MaxDenseVariables}");
                    output.WriteLine($"structured vs FD (max rel)       {report.MaxRelativeErrorVsFiniteDifferences:E2}   (tolerance {FiniteDifferenceTolerance:E0})");
                    output.WriteLine($"FD directions checked / skipped  {report.DirectionsChecked} / {report.DirectionsSkipped} (skipped: active set changes at θ ± h)");
                    if (report.IsOneSided) output.WriteLine("note: weakly active constraints: the derivative is one-sided at this solution");
                    output.WriteLine(ok ? "PASSED" : "FAILED");
                }
                return ok ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
            }
        }));
        return command;
    }
}
