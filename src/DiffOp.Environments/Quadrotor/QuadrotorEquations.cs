using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Quadrotor;

/// <summary>
/// 6-DoF quadrotor of docs/environments.md, generic over the scalar type. State x = [r_I (3), v_I (3), q (4), ω_B (3)]
/// (z up, q scalar first and never renormalised), control u = [f1, f2, f3, f4] (rotor thrusts along body +z,
/// unbounded, may be negative). Physical span: [Jx, Jy, Jz, m, l, c, g] (θ_f = [Jx, Jy, Jz, m, l], then the fixed
/// yaw coefficient c and g). Cost weights [wr, wv, wq, ww] per block; goal r = 0, v = 0, q = [1, 0, 0, 0], ω = 0.
/// </summary>
public sealed class QuadrotorEquations : IControlTaskEquations
{
    private QuadrotorEquations()
    {
    }

    /// <summary>n = 13.</summary>
    public static int StateCount => 13;

    /// <summary>m = 4.</summary>
    public static int ControlCount => 4;

    /// <summary>
    /// ṙ = v; v̇ = C_I_B(q) [0, 0, Σf] / m + [0, 0, −g]; q̇ = ½ Ω(ω) q; ω̇ = J⁻¹(M_B − ω × Jω) with
    /// M_B = [(f4 − f2) l/2, (f3 − f1) l/2, c (f1 − f2 + f3 − f4)] (rotors at ±l/2 on the body axes, §3).
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">[r, v, q, ω].</param>
    /// <param name="control">[f1, f2, f3, f4].</param>
    /// <param name="physical">[Jx, Jy, Jz, m, l, c, g].</param>
    /// <param name="derivative">ẋ (length 13).</param>
    public static void Derivative<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> physical, Span<T> derivative)
        where T : IScalar<T>
    {
        var inertia = new Vector3<T>(physical[0], physical[1], physical[2]);
        T mass = physical[3], halfArm = 0.5 * physical[4], yawCoefficient = physical[5], gravity = physical[6];
        T f1 = control[0], f2 = control[1], f3 = control[2], f4 = control[3];
        ReadOnlySpan<T> q = state.Slice(6, 4);
        var angularRate = Vector3<T>.Read(state, 10);

        // ṙ = v
        derivative[0] = state[3];
        derivative[1] = state[4];
        derivative[2] = state[5];

        // v̇ = C_I_B(q) thrust_B / m + g_I
        var thrust = new Vector3<T>(T.Zero, T.Zero, f1 + f2 + f3 + f4);
        var acceleration = RigidBodyEquations.RotateBodyToInertial(q, thrust);
        derivative[3] = acceleration.X / mass;
        derivative[4] = acceleration.Y / mass;
        derivative[5] = acceleration.Z / mass - gravity;

        RigidBodyEquations.QuaternionRate(q, angularRate, derivative.Slice(6, 4));

        var moment = new Vector3<T>((f4 - f2) * halfArm, (f3 - f1) * halfArm, yawCoefficient * (f1 - f2 + f3 - f4));
        RigidBodyEquations.AngularAcceleration(angularRate, inertia, moment).Write(derivative, 10);
    }

    /// <summary>
    /// h(x) = wr |r|² + wv |v|² + wq · 4(q1² + q2² + q3²) + ww |ω|², where 4(q1² + q2² + q3²) = 3 − trace(C_B_I(q)) is the
    /// attitude error to q* = [1, 0, 0, 0] (exact for non-unit q, §3).
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="weights">[wr, wv, wq, ww].</param>
    /// <returns>h(x).</returns>
    public static T TerminalCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> weights)
        where T : IScalar<T>
    {
        T attitudeError = 4.0 * ScalarSpan.SquaredNorm(state.Slice(7, 3));
        return weights[0] * ScalarSpan.SquaredNorm(state[..3])
            + weights[1] * ScalarSpan.SquaredNorm(state.Slice(3, 3))
            + weights[2] * attitudeError
            + weights[3] * ScalarSpan.SquaredNorm(state.Slice(10, 3));
    }

    /// <summary>c(x, u) = h(x) + wthrust |u|² (§3).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="control">[f1, f2, f3, f4].</param>
    /// <param name="weights">[wr, wv, wq, ww].</param>
    /// <param name="controlWeight">wthrust.</param>
    /// <returns>c(x, u).</returns>
    public static T StageCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> weights, T controlWeight)
        where T : IScalar<T>
        => TerminalCost(state, weights) + controlWeight * ScalarSpan.SquaredNorm(control);

    /// <summary>The position constraint |r|² − max_r ≤ 0 of the Safe-PDP setting (§3).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="maxSquaredRadius">max_r (a bound on |r|², not on |r|).</param>
    /// <returns>|r|² − max_r.</returns>
    public static T PositionConstraint<T>(ReadOnlySpan<T> state, T maxSquaredRadius)
        where T : IScalar<T>
        => ScalarSpan.SquaredNorm(state[..3]) - maxSquaredRadius;
}
