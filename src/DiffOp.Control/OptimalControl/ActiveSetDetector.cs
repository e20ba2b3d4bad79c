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
        var l = ocp.Layout;
        var active = new List<ActiveConstraint>();
        var weak = new List<ActiveConstraint>();

        void Classify(ActiveConstraint c)
        {
            double slack = Math.Abs(c.Slack), multiplier = Math.Abs(c.Multiplier);
            if (slack <= o.ActiveSlackTolerance && multiplier > o.ActiveMultiplierTolerance && multiplier >= o.ActiveMultiplierToSlackRatio * slack)
                active.Add(c);
            else if (slack <= o.WeakActivityTolerance && multiplier <= o.WeakActivityTolerance) weak.Add(c);
        }

        for (int t = 0; t < l.Horizon; t++)
        {
            for (int i = 0; i < l.PathConstraintCount; i++)
            {
                int row = l.PathRowOffset(t) + i;
                Classify(new ActiveConstraint(ConstraintKind.Path, t, i, row, -s.Constraints[row], -s.ConstraintMultipliers[row]));
            }
        }
        for (int i = 0; i < l.TerminalConstraintCount; i++)
        {
            int row = l.TerminalRowOffset + i;
            Classify(new ActiveConstraint(ConstraintKind.Terminal, l.Horizon, i, row, -s.Constraints[row], -s.ConstraintMultipliers[row]));
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
                    Classify(new ActiveConstraint(ConstraintKind.LowerBound, t, k, j, s.X[j] - lower, s.LowerBoundMultipliers[j]));
                if (double.IsFinite(upper))
                    Classify(new ActiveConstraint(ConstraintKind.UpperBound, t, k, j, upper - s.X[j], -s.UpperBoundMultipliers[j]));
            }
        }
        return new ActiveSet(active, weak);
    }
}
