using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;

namespace DiffOp.Cli.Commands;

/// <summary>Builds the export document of <c>diffop export-kkt</c> (names and shapes: docs/kkt-export.md).</summary>
internal static class KktExport
{
    public const string Format = "diffop-kkt/1";

    public static object Build(OcpCase c, ProblemRequest request, OcpSolverOptions options, OcpSolution s, KktBlocks b, SensitivityResult? jacobian)
    {
        int n = b.StateCount, w = b.StageWidth, d = b.ParameterCount, H = b.Horizon;
        bool sample = ProblemCatalog.SampleNames.Contains(c.Name);
        return new
        {
            format = Format,
            conventions = "zeta = (x0,u0,...,x_H); L = J - lambda^T kappa; kappa_init = x0 - x_init; kappa_t = x_{t+1} - f(x_t,u_t); " +
                          "active rows g <= 0 as kappa = g; bounds as kappa = e_j^T zeta - bound; matrices row-major nested arrays; " +
                          "jacobian rows = zeta entries, columns = theta then x_init",
            problem = c.Name,
            horizon = H, state_count = n, control_count = b.ControlCount, parameter_count = d,
            // What built the problem: every override given on the command line (null / empty when the default was used).
            settings = request.Overrides.ToArray(),
            horizon_override = request.Horizon,
            theta_source = sample ? "default" : request.Theta == ThetaChoice.True ? "true" : "init",
            x0_override = request.InitialState,
            tolerance = options.Tolerance,
            structured_qp_tolerance = options.EffectiveStructuredQpTolerance,
            method = s.Method.ToString(),
            parameter_blocks = c.Ocp.Parameters.Select(p => new { name = p.Name, offset = p.Offset, length = p.Length }),
            theta = s.Theta, x_init = s.InitialState, context = s.Context,
            status = s.SolverStatus, objective = s.Objective,
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
            singular_stages = StageHessianRank.SingularStages(b),
            singular_stage_test = $"sigma_min(D_t) <= {StageHessianRank.DefaultRelativeTolerance:G} * sigma_max(D_t) (SVD), or D_t = 0; t = H is the terminal D_H",
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
            jacobian = jacobian is null ? null : Enumerable.Range(0, s.Ocp.Layout.VariableCount).Select(j => jacobian.Row(j).ToArray()).ToArray(),
        };
    }

    private static object Describe(ActiveConstraint a) => new
    {
        kind = a.Kind.ToString(), stage = a.Stage, index = a.Index, trajectory_index = a.TrajectoryIndex, slack = a.Slack, multiplier = a.Multiplier,
    };

    private static double[][] Rows(double[] m, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(r => m.AsSpan(r * cols, cols).ToArray()).ToArray();
}
