using DiffOp.Control.Nlp;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// Classifies every inequality at an NLP solution of a transcribed OCP (docs/design.md, docs/sensitivity.md):
/// active when |slack| ≤ tol_active, |multiplier| &gt; tol_mult and |multiplier| ≥ ratio·|slack|; otherwise weakly active when both |slack|
/// and |multiplier| are at most tol_weak (an interior-point method leaves both near √μ at a weakly active
/// constraint). Deciding on the slack alone would turn near-active rows into equalities.
/// </summary>
internal static class ActiveSetDetector
{
    public static ActiveSet Detect(Ocp ocp, NlpSolution s, OcpSolverOptions o)
    {
        var active = new List<ActiveConstraint>();
        var weak = new List<ActiveConstraint>();
        Detect(ocp, s, o, active, weak);
        return new ActiveSet(active, weak);
    }

    /// <summary>
    /// Refills <paramref name="active"/> and <paramref name="weak"/> (cleared first) with the classification of every
    /// inequality, in the order of <see cref="Detect(Ocp, NlpSolution, OcpSolverOptions)"/>; allocates nothing once the
    /// lists have grown to the size of an active set (the reused-solution path of <see cref="OcpSolver"/>).
    /// </summary>
    public static void Detect(Ocp ocp, NlpSolution s, OcpSolverOptions o, List<ActiveConstraint> active, List<ActiveConstraint> weak)
    {
        var l = ocp.Layout;
        active.Clear();
        weak.Clear();
        for (int t = 0; t < l.Horizon; t++)
        {
            for (int i = 0; i < l.PathConstraintCount; i++)
            {
                int row = l.PathRowOffset(t) + i;
                Classify(new ActiveConstraint(ConstraintKind.Path, t, i, row, -s.Constraints[row], -s.ConstraintMultipliers[row]), o, active, weak);
            }
        }
        for (int i = 0; i < l.TerminalConstraintCount; i++)
        {
            int row = l.TerminalRowOffset + i;
            Classify(new ActiveConstraint(ConstraintKind.Terminal, l.Horizon, i, row, -s.Constraints[row], -s.ConstraintMultipliers[row]), o, active, weak);
        }
        for (int t = 0; t <= l.Horizon; t++)
        {
            for (int k = 0; k < l.StageWidth; k++)
            {
                bool isState = k < l.StateCount;
                if ((isState && t == 0) || (!isState && t == l.Horizon)) continue;   // x₀ is unbounded; there is no u_H
                int j = l.StateOffset(t) + k;
                double lower = isState ? ocp.StateLower[k] : ocp.ControlLower[k - l.StateCount];
                double upper = isState ? ocp.StateUpper[k] : ocp.ControlUpper[k - l.StateCount];
                if (double.IsFinite(lower))
                    Classify(new ActiveConstraint(ConstraintKind.LowerBound, t, k, j, s.X[j] - lower, s.LowerBoundMultipliers[j]), o, active, weak);
                if (double.IsFinite(upper))
                    Classify(new ActiveConstraint(ConstraintKind.UpperBound, t, k, j, upper - s.X[j], -s.UpperBoundMultipliers[j]), o, active, weak);
            }
        }
    }

    private static void Classify(ActiveConstraint c, OcpSolverOptions o, List<ActiveConstraint> active, List<ActiveConstraint> weak)
    {
        double slack = Math.Abs(c.Slack), multiplier = Math.Abs(c.Multiplier);
        if (slack <= o.ActiveSlackTolerance && multiplier > o.ActiveMultiplierTolerance && multiplier >= o.ActiveMultiplierToSlackRatio * slack)
            active.Add(c);
        else if (slack <= o.WeakActivityTolerance && multiplier <= o.WeakActivityTolerance) weak.Add(c);
    }
}
