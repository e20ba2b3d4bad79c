using DiffOp.Control.Nlp;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// A start point for <c>OcpSolver.Solve</c> built from a previous solution of the same OCP:
/// <see cref="Same"/> (same initial state, new θ: the training case) or <see cref="Shifted"/> (Step mode:
/// the plan moved forward one stage, the last stage repeated). Both are primal-dual warm starts.
/// </summary>
public sealed class OcpWarmStart
{
    private OcpWarmStart(NlpStartPoint start) => Start = start;

    internal NlpStartPoint Start { get; }

    /// <summary>The previous solution as it is (primal and dual).</summary>
    public static OcpWarmStart Same(OcpSolution previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return new OcpWarmStart(NlpStartPoint.FromSolution(previous.Nlp));
    }

    /// <summary>
    /// The previous solution shifted by one stage: (x_t, u_t) ← (x_{t+1}, u_{t+1}), the last control and
    /// the terminal state repeated; multipliers shifted the same way (the dynamics multipliers of stage 0
    /// become those of the initial-state rows).
    /// </summary>
    public static OcpWarmStart Shifted(OcpSolution previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var l = previous.Ocp.Layout;
        var s = previous.Nlp;
        int H = l.Horizon, n = l.StateCount;

        double[] ShiftVariables(double[] v)
        {
            var r = new double[v.Length];
            ShiftPrimal(l, v, r);
            return r;
        }

        var lambda = s.ConstraintMultipliers;
        var shifted = new double[lambda.Length];
        Array.Copy(lambda, l.DynamicsRowOffset(0), shifted, 0, n);      // initial rows ← costate of x₁
        int stageRows = l.StageRowCount;
        for (int t = 0; t < H; t++)                                     // path and dynamics rows of stage t ← those of its source
            Array.Copy(lambda, l.PathRowOffset(ShiftedStage(t, H)), shifted, l.PathRowOffset(t), stageRows);
        Array.Copy(lambda, l.TerminalRowOffset, shifted, l.TerminalRowOffset, l.TerminalConstraintCount);

        return new OcpWarmStart(new NlpStartPoint
        {
            X = ShiftVariables(s.X),
            ConstraintMultipliers = shifted,
            LowerBoundMultipliers = ShiftVariables(s.LowerBoundMultipliers),
            UpperBoundMultipliers = ShiftVariables(s.UpperBoundMultipliers),
        });
    }

    /// <summary>The stage whose rows stage <paramref name="t"/> (&lt; H) takes in the shifted start: t + 1, the last one repeated.</summary>
    internal static int ShiftedStage(int t, int horizon) => Math.Min(t + 1, horizon - 1);

    /// <summary>
    /// The variable of the previous solution that the shifted start puts at <paramref name="target"/>: (x_t, u_t) ←
    /// (x_{t+1}, u_{t+1}), x_{H−1} ← x_H, and u_{H−1} and x_H repeated.
    /// </summary>
    internal static int ShiftedVariable(OcpLayout l, int target)
    {
        int w = l.StageWidth, last = (l.Horizon - 1) * w;
        if (target < last) return target + w;                                                        // z_t ← z_{t+1}
        if (target < last + l.StateCount) return l.StateOffset(l.Horizon) + (target - last);        // x_{H−1} ← x_H
        return target;                                                                              // u_{H−1} and x_H repeated
    }

    /// <summary>
    /// Writes ζ (or a per-variable vector like it) shifted by one stage into <paramref name="target"/>
    /// (<see cref="ShiftedVariable"/>). Every entry of the target is written.
    /// </summary>
    internal static void ShiftPrimal(OcpLayout l, ReadOnlySpan<double> v, Span<double> target)
    {
        for (int i = 0; i < l.VariableCount; i++) target[i] = v[ShiftedVariable(l, i)];
    }
}
