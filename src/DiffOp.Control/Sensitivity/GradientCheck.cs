using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;

namespace DiffOp.Control.Sensitivity;

/// <summary>What <see cref="GradientCheck.Run"/> found.</summary>
/// <param name="MaxRelativeErrorDenseVsStructured">max over entries of |J_s − J_d| / max(1, |J_d|).</param>
/// <param name="MaxRelativeErrorVsFiniteDifferences">max over checked columns of |J_s − J_fd| / max(1, |J_fd|).</param>
/// <param name="DirectionsChecked">Columns compared with finite differences.</param>
/// <param name="DirectionsSkipped">Columns skipped because the active set at θ ± h differed from the base one (or a re-solve failed).</param>
/// <param name="IsOneSided">True when weakly active constraints make the derivative one-sided.</param>
/// <param name="DenseChecked">
/// False when the OCP has more than <see cref="GradientCheck.MaxDenseVariables"/> unknowns: the dense oracle (a full KKT
/// matrix, quadratic in memory) was skipped and <paramref name="MaxRelativeErrorDenseVsStructured"/> is NaN.
/// </param>
public sealed record GradientCheckReport(
    double MaxRelativeErrorDenseVsStructured, double MaxRelativeErrorVsFiniteDifferences,
    int DirectionsChecked, int DirectionsSkipped, bool IsOneSided, bool DenseChecked = true)
{
    /// <summary>The solver that produced the base solution (and, with <see cref="OcpSolverChoice.Structured"/>, every re-solve).</summary>
    public OcpSolveMethod Method { get; init; } = OcpSolveMethod.Ipopt;
}

/// <summary>
/// Checks the implicit derivative of an OCP solution three ways: structured vs dense KKT solve, and both vs
/// central finite differences of re-solved OCPs (tight tolerance, warm-started from the base solution) in
/// every θ and x_init direction, skipping directions whose active set changes (the derivative is not
/// defined across such a change). Relative errors are measured against max(1, |value|) (docs/sensitivity.md).
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Largest OCP (unknowns) the dense oracle is run for: its KKT matrix, about (2·unknowns)² doubles, is 128 MB here;
    /// beyond, only the structured solve and finite differences are compared.
    /// </summary>
    public const int MaxDenseVariables = 2000;

    /// <summary>Runs the check at (θ, x_init, p), solving with <paramref name="solver"/>'s choice of solver.</summary>
    /// <exception cref="ArgumentException"><see cref="OcpSolverChoice.Structured"/> for an OCP that is not a QP.</exception>
    public static GradientCheckReport Run(Ocp ocp, double[] theta, double[] initialState, double[] context,
        double relativeStep = 1e-5, double solveTolerance = 1e-11, OcpSolverChoice solver = OcpSolverChoice.Auto)
    {
        ArgumentNullException.ThrowIfNull(ocp);
        using var solverInstance = new OcpSolver(ocp, new OcpSolverOptions { Tolerance = solveTolerance, Solver = solver });
        return Check(solverInstance, theta, initialState, context, relativeStep);
    }

    private static GradientCheckReport Check(OcpSolver solver, double[] theta, double[] initialState, double[] context, double relativeStep)
    {
        var ocp = solver.Ocp;
        var baseSolution = solver.Solve(theta, initialState, context).EnsureSuccess();
        var structured = new StructuredSensitivity(ocp).Jacobian(baseSolution);
        int rows = ocp.Layout.VariableCount, columns = structured.ColumnCount, d = ocp.ParameterCount;
        bool denseChecked = rows <= MaxDenseVariables;
        double denseError = denseChecked ? 0 : double.NaN;
        if (denseChecked)
        {
            var dense = new DenseSensitivity(ocp).Jacobian(baseSolution);
            for (int j = 0; j < rows; j++)
                for (int c = 0; c < columns; c++) denseError = Math.Max(denseError, RelativeError(structured[j, c], dense[j, c]));
        }

        var baseActive = Signature(baseSolution);
        double fdError = 0;
        int checkedCount = 0, skipped = 0;
        for (int c = 0; c < columns; c++)
        {
            var plus = Perturbed(c, +1);
            var minus = Perturbed(c, -1);
            if (plus is null || minus is null) { skipped++; continue; }
            double h = plus.Value.Step;
            for (int j = 0; j < rows; j++)
            {
                double fd = (plus.Value.Solution.Trajectory[j] - minus.Value.Solution.Trajectory[j]) / (2 * h);
                fdError = Math.Max(fdError, RelativeError(structured[j, c], fd));
            }
            checkedCount++;
        }
        return new GradientCheckReport(denseError, fdError, checkedCount, skipped, structured.IsOneSided, denseChecked) { Method = baseSolution.Method };

        (OcpSolution Solution, double Step)? Perturbed(int column, int sign)
        {
            var th = (double[])theta.Clone();
            var x0 = (double[])initialState.Clone();
            double h;
            if (column < d) { h = relativeStep * Math.Max(1, Math.Abs(th[column])); th[column] += sign * h; }
            else { h = relativeStep * Math.Max(1, Math.Abs(x0[column - d])); x0[column - d] += sign * h; }
            var s = solver.Solve(th, x0, context, OcpWarmStart.Same(baseSolution));
            if (!s.IsSuccess || Signature(s) != baseActive) return null;
            return (s, h);
        }
    }

    /// <summary>|a − b| / max(1, |b|).</summary>
    public static double RelativeError(double actual, double reference) => Math.Abs(actual - reference) / Math.Max(1.0, Math.Abs(reference));

    private static string Signature(OcpSolution s) =>
        string.Join(";", s.ActiveSet.Active.Select(c => $"{c.Kind}:{c.Stage}:{c.Index}").Order());
}
