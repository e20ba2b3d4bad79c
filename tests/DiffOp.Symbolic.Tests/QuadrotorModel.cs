using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>
/// The 6-DoF quadrotor of docs/environments.md written with the symbolic types (test helper, also a usage example).
/// State x = [r_I (3), v_I (3), q (4), ω_B (3)], control u = [f1..f4], parameters [Jx, Jy, Jz, m, l, c], g = 10.
/// </summary>
internal static class QuadrotorModel
{
    public const int StateCount = 13;
    public const int ControlCount = 4;
    public const double Gravity = 10.0;

    /// <summary>ẋ = f(x, u; Jx, Jy, Jz, m, l, c).</summary>
    public static SxVector Dynamics(SxVector x, SxVector u, SxVector p)
    {
        var v = x.Slice(3, 3);
        var q = x.Slice(6, 4);
        var w = x.Slice(10, 3);
        Sx jx = p[0], jy = p[1], jz = p[2], mass = p[3], l = p[4], c = p[5];

        var thrust = new SxVector(0.0, 0.0, u.Sum());
        var moment = new SxVector(
            (u[3] - u[1]) * l / 2,
            (u[2] - u[0]) * l / 2,
            c * (u[0] - u[1] + u[2] - u[3]));
        var inertia = SxMatrix.Diagonal(new SxVector(jx, jy, jz));

        var rDot = v;
        var vDot = Quaternion.DirectionCosineInertialFromBody(q) * thrust / mass + new SxVector(0.0, 0.0, -Gravity);
        var qDot = 0.5 * (Quaternion.Omega(w) * q);
        var wDot = inertia.Solve(moment - SxVector.Cross(w, inertia * w));
        return SxVector.Concat(rDot, vDot, qDot, wDot);
    }

    /// <summary>Explicit Euler step x + dt·f(x, u; p).</summary>
    public static SxVector EulerStep(SxVector x, SxVector u, SxVector p, Sx dt) => x + dt * Dynamics(x, u, p);

    /// <summary>
    /// Stage cost c = wr|r|² + wv|v|² + wq·4(q1² + q2² + q3²) + ww|ω|² + wthrust|u|², weights w = [wr, wv, wq, ww].
    /// </summary>
    public static Sx StageCost(SxVector x, SxVector u, SxVector w, double wthrust = 0.1)
    {
        var q = x.Slice(6, 4);
        Sx costQ = 4 * (Sx.Sqr(q[1]) + Sx.Sqr(q[2]) + Sx.Sqr(q[3]));
        return w[0] * x.Slice(0, 3).SquaredNorm() + w[1] * x.Slice(3, 3).SquaredNorm() + w[2] * costQ
            + w[3] * x.Slice(10, 3).SquaredNorm() + wthrust * u.SquaredNorm();
    }

    /// <summary>
    /// The stage Lagrangian c(x, u; θc) + λᵀ(x + dt f(x, u; θf)) with θ = [Jx, Jy, Jz, m, l, wr, wv, wq, ww] (9 parameters;
    /// c = 0.01 and dt fixed), and the Function evaluating its lower Hessian with respect to (x, u, θ) (26 × 26).
    /// </summary>
    public static Function StageLagrangianHessian(double dt = 0.1)
    {
        var x = SxVector.Symbols("x", StateCount);
        var u = SxVector.Symbols("u", ControlCount);
        var theta = SxVector.Symbols("theta", 9);
        var lambda = SxVector.Symbols("lambda", StateCount);
        var physical = SxVector.Concat(theta.Slice(0, 5), new SxVector(0.01));
        Sx lagrangian = StageCost(x, u, theta.Slice(5, 4)) + lambda.Dot(EulerStep(x, u, physical, dt));
        var wrt = SxVector.Concat(x, u, theta);
        return new Function(
            "quadrotor_stage_hessian",
            [("x", x), ("u", u), ("theta", theta), ("lambda", lambda)],
            [("hessian", Derivatives.Hessian(lagrangian, wrt))]);
    }
}
