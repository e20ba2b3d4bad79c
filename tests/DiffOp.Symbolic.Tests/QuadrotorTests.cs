using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>The symbolic quadrotor reproduces the Euler-step test vectors of docs/environments.md.</summary>
public class QuadrotorTests
{
    // Test vectors are given to ~10 significant digits; 1e-9 is the tolerance the issue asks for.
    private const double Tolerance = 1e-9;

    private static Function Step()
    {
        var x = SxVector.Symbols("x", QuadrotorModel.StateCount);
        var u = SxVector.Symbols("u", QuadrotorModel.ControlCount);
        var p = SxVector.Symbols("p", 6);
        return new Function(
            "quadrotor_step",
            [("x", x), ("u", u), ("p", p)],
            [("next", SxSparseMatrix.FromVector(QuadrotorModel.EulerStep(x, u, p, 0.1)))]);
    }

    private static readonly double[] TrueParameters = [1, 1, 1, 1, 0.4, 0.01];

    [Test]
    public void EulerStep_IrlDemo_ReproducesTestVectors()
    {
        var step = Step();
        double[] x0 = [-8, -6, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        double[] u0 = [-22.63142533, 0.07931056119, 3.323701402, -19.38703449];
        double[] u1 = [-11.65343961, -0.3354528575, 1.281402392, -10.03658436];

        double[] x1 = step.Evaluate(x0, u0, TrueParameters)[0];
        double[] x2 = step.Evaluate(x1, u1, TrueParameters)[0];

        Assert.Multiple(() =>
        {
            AssertSlice(x1, 0, [-8, -6, 9], "x1.r");
            AssertSlice(x1, 3, [0, 0, -4.861544785], "x1.v");
            AssertSlice(x1, 6, [1, 0, 0, 0], "x1.q");
            AssertSlice(x1, 10, [-0.3893269009, 0.5191025346, 0], "x1.ω");
            Assert.That(x2[2], Is.EqualTo(8.513845522).Within(Tolerance), "x2.r_z");
            // The printed u0, u1 are rounded to 10 significant digits (±5e-9 each), and v_z2 = v_z1 + dt(Σu1/m − g) sums
            // eight of them: exact arithmetic on the printed inputs gives −7.935952229231, 1.2e-9 from the printed
            // −7.935952228. So this one component gets the input-rounding tolerance 0.1·8·5e-9 = 4e-9, and is also
            // checked exactly against the plain-double formula on the same inputs.
            Assert.That(x2[5], Is.EqualTo(-7.935952228).Within(4e-9), "x2.v_z");
            Assert.That(x2[5], Is.EqualTo(x1[5] + 0.1 * (u1.Sum() - 10)).Within(1e-14), "x2.v_z formula");
            AssertSlice(x2, 6, [1, -0.01946634505, 0.02595512673, 0], "x2.q");
            AssertSlice(x2, 10, [-0.5833495309, 0.7777993746, 0], "x2.ω");
        });
    }

    [Test]
    public void EulerStep_MatchesInterpretedEvaluationAndPlainDoubleFormula()
    {
        // Independent check of the non-trivial terms at a generic (non-unit q, nonzero ω) state.
        var x = SxVector.Symbols("x", 13);
        var u = SxVector.Symbols("u", 4);
        var p = SxVector.Symbols("p", 6);
        var f = QuadrotorModel.Dynamics(x, u, p);
        double[] xv = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.9, 0.1, -0.2, 0.3, 0.7, -0.8, 0.9];
        double[] uv = [1.5, -2.0, 0.5, 3.0];
        double[] pv = [1.2, 0.8, 1.5, 2.0, 0.4, 0.01];
        var values = new Dictionary<Sx, double>();
        for (int i = 0; i < 13; i++) values[x[i]] = xv[i];
        for (int i = 0; i < 4; i++) values[u[i]] = uv[i];
        for (int i = 0; i < 6; i++) values[p[i]] = pv[i];

        double[] w = [xv[10], xv[11], xv[12]];
        double[] jw = [pv[0] * w[0], pv[1] * w[1], pv[2] * w[2]];
        double[] m = [(uv[3] - uv[1]) * pv[4] / 2, (uv[2] - uv[0]) * pv[4] / 2, pv[5] * (uv[0] - uv[1] + uv[2] - uv[3])];
        double[] wxjw = [w[1] * jw[2] - w[2] * jw[1], w[2] * jw[0] - w[0] * jw[2], w[0] * jw[1] - w[1] * jw[0]];
        double q0 = xv[6], q1 = xv[7], q2 = xv[8], q3 = xv[9], thrust = uv.Sum() / pv[3];
        double[] expected =
        [
            xv[3], xv[4], xv[5],
            2 * (q1 * q3 + q0 * q2) * thrust, 2 * (q2 * q3 - q0 * q1) * thrust, (1 - 2 * (q1 * q1 + q2 * q2)) * thrust - 10,
            0.5 * (-w[0] * q1 - w[1] * q2 - w[2] * q3), 0.5 * (w[0] * q0 + w[2] * q2 - w[1] * q3),
            0.5 * (w[1] * q0 - w[2] * q1 + w[0] * q3), 0.5 * (w[2] * q0 + w[1] * q1 - w[0] * q2),
            (m[0] - wxjw[0]) / pv[0], (m[1] - wxjw[1]) / pv[1], (m[2] - wxjw[2]) / pv[2],
        ];
        for (int i = 0; i < 13; i++)
        {
            Assert.That(f[i].Evaluate(values), Is.EqualTo(expected[i]).Within(1e-12), $"ẋ[{i}]");
        }
    }

    [Test]
    public void StageLagrangianHessian_MatchesFiniteDifferencesOfGradient()
    {
        var fn = QuadrotorModel.StageLagrangianHessian();
        var rng = new Random(3);
        var inputs = Enumerable.Range(0, fn.InputCount)
            .Select(i => Enumerable.Range(0, fn.InputLength(i)).Select(_ => 0.5 + rng.NextDouble()).ToArray()).ToArray();
        var sparsity = fn.OutputSparsity(0);
        Assert.That(sparsity.RowCount, Is.EqualTo(26));
        var h = Numeric.ToDense(sparsity, fn.Evaluate(inputs)[0]);

        // Gradient of the same Lagrangian, rebuilt from the Function's own symbols, differentiated numerically.
        var x = fn.InputSymbols(0);
        var u = fn.InputSymbols(1);
        var theta = fn.InputSymbols(2);
        var lambda = fn.InputSymbols(3);
        var wrt = SxVector.Concat(x, u, theta);
        var physical = SxVector.Concat(theta.Slice(0, 5), new SxVector(0.01));
        Sx lagrangian = QuadrotorModel.StageCost(x, u, theta.Slice(5, 4)) + lambda.Dot(QuadrotorModel.EulerStep(x, u, physical, 0.1));
        var grad = new Function("g", [("z", wrt), ("lambda", lambda)], [("g", SxSparseMatrix.FromVector(Derivatives.Gradient(lagrangian, wrt)))]);
        double[] z = [.. inputs[0], .. inputs[1], .. inputs[2]];
        var fd = Numeric.FiniteDifferenceJacobian(v => grad.Evaluate(v, inputs[3])[0], z, 26);
        for (int r = 0; r < 26; r++)
        {
            for (int c = 0; c <= r; c++)
            {
                Numeric.AssertClose(h[r, c], fd[r, c], 10, $"H[{r},{c}]");
            }
        }
    }

    private static void AssertSlice(double[] actual, int offset, double[] expected, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(actual[offset + i], Is.EqualTo(expected[i]).Within(Tolerance), $"{what}[{i}]");
        }
    }
}
