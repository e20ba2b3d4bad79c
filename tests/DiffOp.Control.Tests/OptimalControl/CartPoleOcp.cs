using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>The cart-pole of docs/environments.md with its true parameters (mc = mp = 0.5, l = 1, g = 10), Euler dt.</summary>
internal static class CartPoleOcp
{
    public static Ocp Build(int horizon, double dt = 0.1, double forceLimit = double.PositiveInfinity)
    {
        var b = new OcpBuilder("cartpole", 4, 1, horizon);
        var phys = b.AddParameter("theta_f", [0.5, 0.5, 1.0]);      // mc, mp, l
        var w = b.AddParameter("theta_c", [1.0, 6.0, 1.0, 1.0]);    // wx, wq, wdx, wdq
        var wH = b.AddParameter("theta_H", [1.0, 6.0, 1.0, 1.0]);
        const double wu = 0.1, g = 10.0;
        var x = b.State;
        Sx mc = phys[0], mp = phys[1], l = phys[2];
        Sx q = x[1], dp = x[2], dq = x[3], force = b.Control[0];
        Sx s = Sx.Sin(q), c = Sx.Cos(q), den = mc + mp * s * s;
        Sx ddp = (force + mp * s * (l * dq * dq + g * c)) / den;
        Sx ddq = (-force * c - mp * l * dq * dq * s * c - (mc + mp) * g * s) / (l * den);
        b.SetDynamics(x + dt * new SxVector(dp, dq, ddp, ddq));
        var error = new SxVector(x[0], q - Math.PI, dp, dq);
        b.SetStageCost(error.WeightedSquaredNorm(w) + wu * Sx.Sqr(force));
        b.SetTerminalCost(error.WeightedSquaredNorm(wH));
        if (double.IsFinite(forceLimit)) b.SetControlBounds([-forceLimit], [forceLimit]);
        return b.Build();
    }

    /// <summary>One Euler step of the true system in plain doubles.</summary>
    public static double[] Step(ReadOnlySpan<double> x, double force, double dt = 0.1)
    {
        const double mc = 0.5, mp = 0.5, l = 1.0, g = 10.0;
        double s = Math.Sin(x[1]), c = Math.Cos(x[1]), den = mc + mp * s * s;
        double ddp = (force + mp * s * (l * x[3] * x[3] + g * c)) / den;
        double ddq = (-force * c - mp * l * x[3] * x[3] * s * c - (mc + mp) * g * s) / (l * den);
        return [x[0] + dt * x[2], x[1] + dt * x[3], x[2] + dt * ddp, x[3] + dt * ddq];
    }
}
