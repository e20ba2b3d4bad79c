using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Rocket;

/// <summary>
/// 6-DoF rocket powered landing (docs/environments.md), generic over the scalar type. State x = [r_I (3), v_I (3), q (4),
/// ω_B (3)] with the inertial x-axis vertical (up) and the rocket's long axis along body +x (q scalar first, never
/// renormalised); control u = T_B = [Tx, Ty, Tz], the thrust in the body frame applied at the tail r_T = (−l/2, 0, 0),
/// unbounded by default. Physical span: [Jx, Jy, Jz, m, l, g] (θ_f = [Jx, Jy, Jz, m, l], then the fixed g). Cost weights
/// [wr, wv, wtilt, wsidethrust, ww]; goal r = 0, v = 0, body x-axis vertical, ω = 0.
/// </summary>
public sealed class RocketEquations : IControlTaskEquations
{
    private RocketEquations()
    {
    }

    /// <summary>n = 13.</summary>
    public static int StateCount => 13;

    /// <summary>m = 3.</summary>
    public static int ControlCount => 3;

    /// <summary>
    /// ṙ = v; v̇ = C_I_B(q) T_B / m + [−g, 0, 0]; q̇ = ½ Ω(ω) q; ω̇ = J⁻¹(r_T × T_B − ω × Jω) with
    /// r_T × T_B = [0, (l/2) Tz, −(l/2) Ty] (the thrust acts at the tail, a distance l/2 behind the centre of mass).
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">[r, v, q, ω].</param>
    /// <param name="control">[Tx, Ty, Tz].</param>
    /// <param name="physical">[Jx, Jy, Jz, m, l, g].</param>
    /// <param name="derivative">ẋ (length 13).</param>
    public static void Derivative<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> physical, Span<T> derivative)
        where T : IScalar<T>
    {
        var inertia = new Vector3<T>(physical[0], physical[1], physical[2]);
        T mass = physical[3], halfLength = 0.5 * physical[4], gravity = physical[5];
        ReadOnlySpan<T> q = state.Slice(6, 4);
        var angularRate = Vector3<T>.Read(state, 10);

        derivative[0] = state[3];
        derivative[1] = state[4];
        derivative[2] = state[5];

        var thrust = new Vector3<T>(control[0], control[1], control[2]);
        var force = RigidBodyEquations.RotateBodyToInertial(q, thrust);
        derivative[3] = force.X / mass - gravity;   // inertial x is up
        derivative[4] = force.Y / mass;
        derivative[5] = force.Z / mass;

        RigidBodyEquations.QuaternionRate(q, angularRate, derivative.Slice(6, 4));

        var moment = new Vector3<T>(T.Zero, halfLength * control[2], -(halfLength * control[1]));
        RigidBodyEquations.AngularAcceleration(angularRate, inertia, moment).Write(derivative, 10);
    }

    /// <summary>
    /// The tilt of the long axis off the vertical: (ŷ·C_I_B x̂)² + (ẑ·C_I_B x̂)² = 4(q1q2 + q0q3)² + 4(q1q3 − q0q2)², the
    /// squared horizontal part of the body x-axis in the inertial frame (0 upright, 1 horizontal).
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <returns>The tilt measure.</returns>
    public static T Tilt<T>(ReadOnlySpan<T> state)
        where T : IScalar<T>
    {
        T q0 = state[6], q1 = state[7], q2 = state[8], q3 = state[9];
        T y = (q1 * q2) + (q0 * q3), z = (q1 * q3) - (q0 * q2);
        return 4.0 * ((y * y) + (z * z));
    }

    /// <summary>h(x) = wr |r|² + wv |v|² + wtilt · tilt + ww |ω|² (weights [wr, wv, wtilt, wsidethrust, ww]; wsidethrust acts on controls only).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="weights">[wr, wv, wtilt, wsidethrust, ww].</param>
    /// <returns>h(x).</returns>
    public static T TerminalCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> weights)
        where T : IScalar<T>
        => (weights[0] * ScalarSpan.SquaredNorm(state[..3]))
            + (weights[1] * ScalarSpan.SquaredNorm(state.Slice(3, 3)))
            + (weights[2] * Tilt(state))
            + (weights[4] * ScalarSpan.SquaredNorm(state.Slice(10, 3)));

    /// <summary>c(x, u) = h(x) + wsidethrust (Ty² + Tz²) + wthrust |T|².</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="control">[Tx, Ty, Tz].</param>
    /// <param name="weights">[wr, wv, wtilt, wsidethrust, ww].</param>
    /// <param name="controlWeight">wthrust.</param>
    /// <returns>c(x, u).</returns>
    public static T StageCost<T>(ReadOnlySpan<T> state, ReadOnlySpan<T> control, ReadOnlySpan<T> weights, T controlWeight)
        where T : IScalar<T>
        => TerminalCost(state, weights)
            + (weights[3] * ((control[1] * control[1]) + (control[2] * control[2])))
            + (controlWeight * ScalarSpan.SquaredNorm(control));

    /// <summary>|T|² − T_max² ≤ 0: the thrust magnitude bound (key <c>u_max</c> = T_max).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="control">[Tx, Ty, Tz].</param>
    /// <param name="maxThrust">T_max.</param>
    /// <returns>|T|² − T_max².</returns>
    public static T ThrustConstraint<T>(ReadOnlySpan<T> control, double maxThrust)
        where T : IScalar<T>
        => ScalarSpan.SquaredNorm(control) - (maxThrust * maxThrust);

    /// <summary>
    /// cos(φ_max) − (1 − 2(q1² + q2² + q3²)) ≤ 0: the rotation from upright stays within φ_max (key <c>x_max</c>, radians).
    /// 1 − 2|q_v|² = (trace C_B_I − 1)/2 is the cosine of the total rotation angle, so a roll about the long axis counts too.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="state">x.</param>
    /// <param name="maxAngle">φ_max in radians.</param>
    /// <returns>cos φ_max − cos(rotation angle).</returns>
    public static T AttitudeConstraint<T>(ReadOnlySpan<T> state, double maxAngle)
        where T : IScalar<T>
        => Math.Cos(maxAngle) - (1.0 - (2.0 * ScalarSpan.SquaredNorm(state.Slice(7, 3))));
}
