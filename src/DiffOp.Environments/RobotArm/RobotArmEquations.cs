using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.RobotArm;

/// <summary>
/// Two-link planar robot arm of docs/environments.md, generic over the scalar type. State x = [q1, q2, q̇1, q̇2] (q1 from
/// the horizontal, q2 relative to link 1), control u = [τ1, τ2]. Both links are uniform rods (r_i = l_i/2,
/// I_i = m_i l_i²/12). Physical span: [l1, m1, l2, m2, g] (θ_f = [l1, m1, l2, m2], then the fixed g).
/// Cost weights [wq1, wq2, wdq1, wdq2] around the goal x* = [π/2, 0, 0, 0] (arm straight up).
/// </summary>
public sealed class RobotArmEquations : IControlTaskEquations
{
    private static readonly double[] GoalState = [Math.PI / 2, 0.0, 0.0, 0.0];

    private RobotArmEquations()
    {
    }

    /// <summary>n = 4.</summary>
    public static int StateCount => 4;

    /// <summary>m = 2.</summary>
    public static int ControlCount => 2;

    /// <summary>The goal x* = [π/2, 0, 0, 0].</summary>
    public static ReadOnlySpan<double> Goal => GoalState;

    /// <summary>ẋ = [q̇1, q̇2, q̈1, q̈2] with q̈ = M(q)⁻¹ (τ − C(q, q̇) − G(q)) (§2).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">[q1, q2, q̇1, q̇2].</param>
    /// <param name="control">[τ1, τ2].</param>
    /// <param name="physical">[l1, m1, l2, m2, g].</param>
    /// <param name="derivative">ẋ (length 4).</param>
    public static void Derivative<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> physical, Span<T> derivative)
        where T : IScalar<T>
    {
        T l1 = physical[0], m1 = physical[1], l2 = physical[2], m2 = physical[3], g = physical[4];
        T q1 = state[0], q2 = state[1], dq1 = state[2], dq2 = state[3];
        T r1 = 0.5 * l1, r2 = 0.5 * l2;
        T inertia1 = m1 * l1 * l1 / 12.0, inertia2 = m2 * l2 * l2 / 12.0;
        T cos2 = T.Cos(q2), cos1 = T.Cos(q1), cos12 = T.Cos(q1 + q2);

        // Mass matrix, Coriolis/centrifugal and gravity terms of §2.
        T m11 = m1 * r1 * r1 + inertia1 + m2 * (l1 * l1 + r2 * r2 + 2.0 * l1 * r2 * cos2) + inertia2;
        T m12 = m2 * (r2 * r2 + l1 * r2 * cos2) + inertia2;
        T m22 = m2 * r2 * r2 + inertia2;
        T h = m2 * l1 * r2 * T.Sin(q2);
        T coriolis1 = -h * dq2 * dq2 - 2.0 * h * dq1 * dq2;
        T coriolis2 = h * dq1 * dq1;
        T gravity1 = m1 * r1 * g * cos1 + m2 * g * (r2 * cos12 + l1 * cos1);
        T gravity2 = m2 * g * r2 * cos12;
        T b1 = control[0] - coriolis1 - gravity1;
        T b2 = control[1] - coriolis2 - gravity2;

        // 2×2 solve by the explicit inverse of the symmetric M.
        T determinant = m11 * m22 - m12 * m12;
        derivative[0] = dq1;
        derivative[1] = dq2;
        derivative[2] = (m22 * b1 - m12 * b2) / determinant;
        derivative[3] = (m11 * b2 - m12 * b1) / determinant;
    }

    /// <summary>h(x) = wq1 (q1 − π/2)² + wq2 q2² + wdq1 q̇1² + wdq2 q̇2² (§2).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="weights">[wq1, wq2, wdq1, wdq2].</param>
    /// <returns>h(x).</returns>
    public static T TerminalCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> weights)
        where T : IScalar<T>
        => ScalarSpan.WeightedSquaredDistance(state, GoalState, weights);

    /// <summary>c(x, u) = h(x) + wu (τ1² + τ2²) (§2).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="control">[τ1, τ2].</param>
    /// <param name="weights">[wq1, wq2, wdq1, wdq2].</param>
    /// <param name="controlWeight">wu.</param>
    /// <returns>c(x, u).</returns>
    public static T StageCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> weights, T controlWeight)
        where T : IScalar<T>
        => TerminalCost(state, weights) + controlWeight * ScalarSpan.SquaredNorm(control);
}
