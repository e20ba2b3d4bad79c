using DiffOp.Environments.CartPole;
using DiffOp.Environments.Quadrotor;
using DiffOp.Environments.RobotArm;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Tests.Common;

/// <summary>
/// Energy balances of the equations at random states, independent of the §6 vectors (which leave the Coriolis,
/// gyroscopic and off-axis terms at zero): for a mechanical system dE/dt equals the power of the inputs.
/// </summary>
public class PhysicsConsistencyTests
{
    [Test]
    public void CartPole_EnergyRate_IsForceTimesCartVelocity()
    {
        // E = ½(mc + mp) ṗ² + mp l ṗ θ̇ cosθ + ½ mp l² θ̇² − mp g l cosθ (point mass at the tip, θ = 0 hanging down).
        double mc = 0.7, mp = 0.3, l = 1.3, g = 10;
        Real[] physical = [mc, mp, l, g];
        double Energy(ReadOnlySpan<Real> x)
        {
            double q = x[1].Value, dp = x[2].Value, dq = x[3].Value;
            return 0.5 * (mc + mp) * dp * dp + mp * l * dp * dq * Math.Cos(q) + 0.5 * mp * l * l * dq * dq - mp * g * l * Math.Cos(q);
        }

        var random = new Random(2);
        for (int trial = 0; trial < 20; trial++)
        {
            Real[] x = [.. Enumerable.Range(0, 4).Select(_ => new Real(4 * random.NextDouble() - 2))];
            Real[] u = [3 * random.NextDouble() - 1.5];
            double rate = EnergyRate(x, u, physical, Energy, CartPoleEquations.Derivative);
            Assert.That(rate, Is.EqualTo(u[0].Value * x[2].Value).Within(1e-6), $"trial {trial}");
        }
    }

    [Test]
    public void RobotArm_EnergyRate_IsTorqueTimesJointRate()
    {
        // E = ½ q̇ᵀ M(q) q̇ + gravity potential, M of §2 for uniform rods; the potential is m1 g r1 sin q1 + m2 g (l1 sin q1 + r2 sin(q1+q2)).
        double l1 = 1.2, m1 = 0.8, l2 = 0.9, m2 = 1.1, g = 10;
        Real[] physical = [l1, m1, l2, m2, g];
        double r1 = l1 / 2, r2 = l2 / 2, i1 = m1 * l1 * l1 / 12, i2 = m2 * l2 * l2 / 12;
        double Energy(ReadOnlySpan<Real> x)
        {
            double q1 = x[0].Value, q2 = x[1].Value, dq1 = x[2].Value, dq2 = x[3].Value;
            double m11 = m1 * r1 * r1 + i1 + m2 * (l1 * l1 + r2 * r2 + 2 * l1 * r2 * Math.Cos(q2)) + i2;
            double m12 = m2 * (r2 * r2 + l1 * r2 * Math.Cos(q2)) + i2;
            double m22 = m2 * r2 * r2 + i2;
            double kinetic = 0.5 * (m11 * dq1 * dq1 + 2 * m12 * dq1 * dq2 + m22 * dq2 * dq2);
            double potential = m1 * g * r1 * Math.Sin(q1) + m2 * g * (l1 * Math.Sin(q1) + r2 * Math.Sin(q1 + q2));
            return kinetic + potential;
        }

        var random = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            Real[] x = [.. Enumerable.Range(0, 4).Select(_ => new Real(4 * random.NextDouble() - 2))];
            Real[] u = [.. Enumerable.Range(0, 2).Select(_ => new Real(3 * random.NextDouble() - 1.5))];
            double rate = EnergyRate(x, u, physical, Energy, RobotArmEquations.Derivative);
            double power = u[0].Value * x[2].Value + u[1].Value * x[3].Value;
            Assert.That(rate, Is.EqualTo(power).Within(1e-6), $"trial {trial}");
        }
    }

    [Test]
    public void Quadrotor_EnergyRate_IsThrustAndMomentPower_AndQuaternionNormIsInvariant()
    {
        // E = ½ m |v|² + ½ ωᵀJω + m g z; dE/dt = v·(C_I_B thrust_B) + ω·M_B. Unequal Jx, Jy, Jz exercise ω × Jω.
        double jx = 0.6, jy = 1.1, jz = 1.7, mass = 1.3, l = 0.5, c = 0.02, g = 10;
        Real[] physical = [jx, jy, jz, mass, l, c, g];
        double Energy(ReadOnlySpan<Real> x)
        {
            double v2 = x[3].Value * x[3].Value + x[4].Value * x[4].Value + x[5].Value * x[5].Value;
            double rot = jx * x[10].Value * x[10].Value + jy * x[11].Value * x[11].Value + jz * x[12].Value * x[12].Value;
            return 0.5 * mass * v2 + 0.5 * rot + mass * g * x[2].Value;
        }

        var random = new Random(4);
        for (int trial = 0; trial < 20; trial++)
        {
            Real[] x = [.. Enumerable.Range(0, 13).Select(_ => new Real(2 * random.NextDouble() - 1))];
            Real[] u = [.. Enumerable.Range(0, 4).Select(_ => new Real(4 * random.NextDouble() - 2))];
            double q0 = x[6].Value, q1 = x[7].Value, q2 = x[8].Value, q3 = x[9].Value;
            double thrust = u.Sum(f => f.Value);
            // Third column of C_I_B (= third row of C_B_I, §0) times the thrust.
            double[] force = [2 * (q1 * q3 + q0 * q2) * thrust, 2 * (q2 * q3 - q0 * q1) * thrust, (1 - 2 * (q1 * q1 + q2 * q2)) * thrust];
            double[] moment = [(u[3].Value - u[1].Value) * l / 2, (u[2].Value - u[0].Value) * l / 2, c * (u[0].Value - u[1].Value + u[2].Value - u[3].Value)];
            double power = force[0] * x[3].Value + force[1] * x[4].Value + force[2] * x[5].Value
                + moment[0] * x[10].Value + moment[1] * x[11].Value + moment[2] * x[12].Value;
            double rate = EnergyRate(x, u, physical, Energy, QuadrotorEquations.Derivative);
            Assert.That(rate, Is.EqualTo(power).Within(1e-6), $"trial {trial}, energy");

            double normRate = EnergyRate(x, u, physical, s => s[6..10].ToArray().Sum(v => v.Value * v.Value), QuadrotorEquations.Derivative);
            Assert.That(normRate, Is.EqualTo(0).Within(1e-8), $"trial {trial}, d|q|²/dt");
        }
    }

    [Test]
    public void Quadrotor_WithoutMoment_InertialAngularMomentumIsConserved()
    {
        // Equal thrusts give M_B = 0, so L_I = C_I_B(q) J ω is constant for a unit q; this checks the sign of ω × Jω
        // together with the quaternion kinematics (the energy balance cannot see either: the gyroscopic term does no work).
        double jx = 0.6, jy = 1.1, jz = 1.7;
        Real[] physical = [jx, jy, jz, 1.3, 0.5, 0.02, 10];
        var random = new Random(6);
        for (int trial = 0; trial < 20; trial++)
        {
            Real[] x = [.. Enumerable.Range(0, 13).Select(_ => new Real(2 * random.NextDouble() - 1))];
            double norm = Math.Sqrt(x[6..10].Sum(v => v.Value * v.Value));
            for (int i = 6; i < 10; i++) x[i] = x[i].Value / norm;
            Real[] u = [0.7, 0.7, 0.7, 0.7];
            for (int axis = 0; axis < 3; axis++)
            {
                int k = axis;
                double rate = EnergyRate(x, u, physical, s => InertialAngularMomentum(s, jx, jy, jz)[k], QuadrotorEquations.Derivative);
                Assert.That(rate, Is.EqualTo(0).Within(1e-7), $"trial {trial}, dL_I[{axis}]/dt");
            }
        }
    }

    private static double[] InertialAngularMomentum(ReadOnlySpan<Real> x, double jx, double jy, double jz)
    {
        double q0 = x[6].Value, q1 = x[7].Value, q2 = x[8].Value, q3 = x[9].Value;
        double[] body = [jx * x[10].Value, jy * x[11].Value, jz * x[12].Value];
        // C_I_B = C_B_Iᵀ with C_B_I of §0.
        double[,] cbi =
        {
            { 1 - 2 * (q2 * q2 + q3 * q3), 2 * (q1 * q2 + q0 * q3), 2 * (q1 * q3 - q0 * q2) },
            { 2 * (q1 * q2 - q0 * q3), 1 - 2 * (q1 * q1 + q3 * q3), 2 * (q2 * q3 + q0 * q1) },
            { 2 * (q1 * q3 + q0 * q2), 2 * (q2 * q3 - q0 * q1), 1 - 2 * (q1 * q1 + q2 * q2) },
        };
        var inertial = new double[3];
        for (int i = 0; i < 3; i++)
        {
            for (int k = 0; k < 3; k++) inertial[i] += cbi[k, i] * body[k];
        }

        return inertial;
    }

    private delegate void DerivativeFunction(ReadOnlySpan<Real> x, ReadOnlySpan<Real> u, ReadOnlySpan<Real> p, Span<Real> xDot);

    private delegate double StateFunction(ReadOnlySpan<Real> x);

    // d/dt E(x(t)) along ẋ = f(x, u), by a central difference of E along the direction f.
    private static double EnergyRate(Real[] x, Real[] u, Real[] physical, StateFunction energy, DerivativeFunction derivative)
    {
        var f = new Real[x.Length];
        derivative(x, u, physical, f);
        const double h = 1e-6;
        var plus = new Real[x.Length];
        var minus = new Real[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            plus[i] = x[i] + h * f[i];
            minus[i] = x[i] - h * f[i];
        }

        return (energy(plus) - energy(minus)) / (2 * h);
    }
}
