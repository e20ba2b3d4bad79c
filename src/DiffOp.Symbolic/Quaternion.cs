namespace DiffOp.Symbolic;

/// <summary>
/// Quaternion helpers for q = [q0, q1, q2, q3], scalar first, Hamilton convention (docs/environments.md).
/// Nothing here normalises q: the formulas are applied literally to unnormalised quaternions.
/// </summary>
public static class Quaternion
{
    /// <summary>Hamilton product p ⊗ q.</summary>
    /// <param name="p">Left quaternion (4-vector).</param>
    /// <param name="q">Right quaternion (4-vector).</param>
    public static SxVector Multiply(SxVector p, SxVector q)
    {
        Require4(p, nameof(p));
        Require4(q, nameof(q));
        return new SxVector(
            p[0] * q[0] - p[1] * q[1] - p[2] * q[2] - p[3] * q[3],
            p[0] * q[1] + p[1] * q[0] + p[2] * q[3] - p[3] * q[2],
            p[0] * q[2] - p[1] * q[3] + p[2] * q[0] + p[3] * q[1],
            p[0] * q[3] + p[1] * q[2] - p[2] * q[1] + p[3] * q[0]);
    }

    /// <summary>
    /// Direction cosine matrix C_B_I(q), mapping inertial-frame vectors into the body frame:
    /// <code>
    /// [ 1−2(q2²+q3²)   2(q1q2+q0q3)   2(q1q3−q0q2) ]
    /// [ 2(q1q2−q0q3)   1−2(q1²+q3²)   2(q2q3+q0q1) ]
    /// [ 2(q1q3+q0q2)   2(q2q3−q0q1)   1−2(q1²+q2²) ]
    /// </code>
    /// Its transpose C_I_B is the rotation matrix R(q) (body → inertial).
    /// </summary>
    /// <param name="q">Quaternion (4-vector), not necessarily unit.</param>
    public static SxMatrix DirectionCosineBodyFromInertial(SxVector q)
    {
        Require4(q, nameof(q));
        Sx q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
        var e = new Sx[,]
        {
            { 1 - 2 * (Sx.Sqr(q2) + Sx.Sqr(q3)), 2 * (q1 * q2 + q0 * q3), 2 * (q1 * q3 - q0 * q2) },
            { 2 * (q1 * q2 - q0 * q3), 1 - 2 * (Sx.Sqr(q1) + Sx.Sqr(q3)), 2 * (q2 * q3 + q0 * q1) },
            { 2 * (q1 * q3 + q0 * q2), 2 * (q2 * q3 - q0 * q1), 1 - 2 * (Sx.Sqr(q1) + Sx.Sqr(q2)) },
        };
        return new SxMatrix(3, 3, (r, c) => e[r, c]);
    }

    /// <summary>C_I_B(q) = C_B_I(q)ᵀ, mapping body-frame vectors into the inertial frame.</summary>
    /// <param name="q">Quaternion (4-vector), not necessarily unit.</param>
    public static SxMatrix DirectionCosineInertialFromBody(SxVector q) => DirectionCosineBodyFromInertial(q).Transpose();

    /// <summary>
    /// The 4×4 matrix Ω(ω) of the kinematics q̇ = ½ Ω(ω) q (ω in the body frame):
    /// <code>
    /// [ 0   −ωx  −ωy  −ωz ]
    /// [ ωx   0    ωz  −ωy ]
    /// [ ωy  −ωz   0    ωx ]
    /// [ ωz   ωy  −ωx   0  ]
    /// </code>
    /// </summary>
    /// <param name="w">Angular velocity ω (3-vector).</param>
    public static SxMatrix Omega(SxVector w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.Length != 3)
        {
            throw new ArgumentException($"Omega: ω must be a 3-vector; got length {w.Length}.", nameof(w));
        }

        Sx wx = w[0], wy = w[1], wz = w[2], z = Sx.Zero;
        var e = new Sx[,]
        {
            { z, -wx, -wy, -wz },
            { wx, z, wz, -wy },
            { wy, -wz, z, wx },
            { wz, wy, -wx, z },
        };
        return new SxMatrix(4, 4, (r, c) => e[r, c]);
    }

    /// <summary>The quaternion [cos(angle/2), sin(angle/2)·axis/|axis|].</summary>
    /// <param name="angle">Rotation angle in radians.</param>
    /// <param name="axis">Rotation axis (3-vector, nonzero, need not be unit).</param>
    public static SxVector FromAngleAxis(Sx angle, SxVector axis)
    {
        ArgumentNullException.ThrowIfNull(angle);
        ArgumentNullException.ThrowIfNull(axis);
        if (axis.Length != 3)
        {
            throw new ArgumentException($"FromAngleAxis: the axis must be a 3-vector; got length {axis.Length}.", nameof(axis));
        }

        Sx half = angle / 2;
        Sx s = Sx.Sin(half) / Sx.Sqrt(axis.SquaredNorm());
        return new SxVector(Sx.Cos(half), s * axis[0], s * axis[1], s * axis[2]);
    }

    private static void Require4(SxVector q, string name)
    {
        ArgumentNullException.ThrowIfNull(q, name);
        if (q.Length != 4)
        {
            throw new ArgumentException($"A quaternion must be a 4-vector [q0, q1, q2, q3]; got length {q.Length}.", name);
        }
    }
}
