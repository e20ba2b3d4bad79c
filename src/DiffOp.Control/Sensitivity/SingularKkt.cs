namespace DiffOp.Control.Sensitivity;

/// <summary>Turns a zero pivot of the KKT factorization into a <see cref="SensitivityException"/> that names the stage.</summary>
internal static class SingularKkt
{
    public static SensitivityException At(KktOrdering ordering, int position)
    {
        var (stage, what, isMultiplier) = ordering.Describe(position);
        return isMultiplier
            ? new SensitivityException(SensitivityFailure.LicqViolated, stage,
                $"The solution is not differentiable: the active constraints are linearly dependent (LICQ violated) near stage {stage} ({what}). " +
                "Remove duplicated or redundant constraints (a state bound that is active at t = 0 duplicates the initial-state row).")
            : new SensitivityException(SensitivityFailure.SingularReducedHessian, stage,
                $"The solution is not differentiable: the Lagrangian Hessian is singular on the active constraints' null space near stage {stage} ({what}). " +
                "Add curvature to the cost (or enable SensitivityOptions.Damping for a biased but finite result).");
    }

    public static void EnsureFinite(ReadOnlySpan<double> values, int stage)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
                throw new SensitivityException(SensitivityFailure.NonFiniteResult, stage,
                    "The KKT solve produced a non-finite derivative; the KKT matrix is numerically singular.");
        }
    }
}
