using DiffOp.Symbolic;

namespace DiffOp.Environments.Common;

/// <summary>
/// Generic rigid-body pieces of docs/environments.md (quaternion q = [q0, q1, q2, q3], scalar first, Hamilton
/// convention, never renormalised): the rotation C_I_B(q) = C_B_I(q)ᵀ, the kinematics q̇ = ½ Ω(ω) q and Euler's
/// equation ω̇ = J⁻¹(M − ω × Jω) with a diagonal inertia. Used by the quadrotor (and a rocket, if added).
/// </summary>
public static class RigidBodyEquations
{
    /// <summary>
    /// Body → inertial rotation of a vector, C_I_B(q) v_B = C_B_I(q)ᵀ v_B, with C_B_I of §0 applied literally to the
    /// (possibly unnormalised) q.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="q">Attitude quaternion (length 4).</param>
    /// <param name="body">Vector in the body frame.</param>
    /// <returns>The vector in the inertial frame.</returns>
    public static Vector3<T> RotateBodyToInertial<T>(ReadOnlySpan<T> q, Vector3<T> body)
        where T : IScalar<T>
    {
        T q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];

        // Row i of C_I_B is column i of C_B_I (§0).
        return new Vector3<T>(
            (1.0 - 2.0 * (q2 * q2 + q3 * q3)) * body.X + 2.0 * (q1 * q2 - q0 * q3) * body.Y + 2.0 * (q1 * q3 + q0 * q2) * body.Z,
            2.0 * (q1 * q2 + q0 * q3) * body.X + (1.0 - 2.0 * (q1 * q1 + q3 * q3)) * body.Y + 2.0 * (q2 * q3 - q0 * q1) * body.Z,
            2.0 * (q1 * q3 - q0 * q2) * body.X + 2.0 * (q2 * q3 + q0 * q1) * body.Y + (1.0 - 2.0 * (q1 * q1 + q2 * q2)) * body.Z);
    }

    /// <summary>Quaternion kinematics q̇ = ½ Ω(ω) q (§0), ω the body angular rate.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="q">Attitude quaternion (length 4).</param>
    /// <param name="angularRate">ω_B.</param>
    /// <param name="quaternionRate">q̇ (length 4); must not overlap <paramref name="q"/>.</param>
    public static void QuaternionRate<T>(ReadOnlySpan<T> q, Vector3<T> angularRate, Span<T> quaternionRate)
        where T : IScalar<T>
    {
        T wx = angularRate.X, wy = angularRate.Y, wz = angularRate.Z;
        quaternionRate[0] = 0.5 * (-wx * q[1] - wy * q[2] - wz * q[3]);
        quaternionRate[1] = 0.5 * (wx * q[0] + wz * q[2] - wy * q[3]);
        quaternionRate[2] = 0.5 * (wy * q[0] - wz * q[1] + wx * q[3]);
        quaternionRate[3] = 0.5 * (wz * q[0] + wy * q[1] - wx * q[2]);
    }

    /// <summary>Euler's rigid-body equation ω̇ = J⁻¹ (M − ω × (J ω)) with J = diag(Jx, Jy, Jz) (§0).</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="angularRate">ω_B.</param>
    /// <param name="inertia">The diagonal (Jx, Jy, Jz) of J.</param>
    /// <param name="moment">M_B.</param>
    /// <returns>ω̇.</returns>
    public static Vector3<T> AngularAcceleration<T>(Vector3<T> angularRate, Vector3<T> inertia, Vector3<T> moment)
        where T : IScalar<T>
    {
        var angularMomentum = new Vector3<T>(inertia.X * angularRate.X, inertia.Y * angularRate.Y, inertia.Z * angularRate.Z);
        var net = moment - Vector3<T>.Cross(angularRate, angularMomentum);
        return new Vector3<T>(net.X / inertia.X, net.Y / inertia.Y, net.Z / inertia.Z);
    }
}
