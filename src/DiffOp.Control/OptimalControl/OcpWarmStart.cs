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
        Array.Copy(lambda, l.PathRowOffset(1), shifted, l.PathRowOffset(0), (H - 1) * stageRows);
        Array.Copy(lambda, l.PathRowOffset(H - 1), shifted, l.PathRowOffset(H - 1), stageRows);
        Array.Copy(lambda, l.TerminalRowOffset, shifted, l.TerminalRowOffset, l.TerminalConstraintCount);

        return new OcpWarmStart(new NlpStartPoint
        {
            X = ShiftVariables(s.X),
            ConstraintMultipliers = shifted,
            LowerBoundMultipliers = ShiftVariables(s.LowerBoundMultipliers),
            UpperBoundMultipliers = ShiftVariables(s.UpperBoundMultipliers),
        });
    }

    /// <summary>
    /// Writes ζ (or a per-variable vector like it) shifted by one stage into <paramref name="target"/>: (x_t, u_t) ←
    /// (x_{t+1}, u_{t+1}), the last control and the terminal state repeated. Every entry of the target is written.
    /// </summary>
    internal static void ShiftPrimal(OcpLayout l, ReadOnlySpan<double> v, Span<double> target)
    {
        int H = l.Horizon, w = l.StageWidth, n = l.StateCount;
        v.Slice(w, (H - 1) * w).CopyTo(target);                                                   // z_t ← z_{t+1}, t < H−1
        v.Slice(l.StateOffset(H), n).CopyTo(target[l.StateOffset(H - 1)..]);                     // x_{H−1} ← x_H
        v.Slice(l.ControlOffset(H - 1), l.ControlCount).CopyTo(target[l.ControlOffset(H - 1)..]); // u_{H−1} repeated
        v.Slice(l.StateOffset(H), n).CopyTo(target[l.StateOffset(H)..]);                          // x_H repeated
    }
}
