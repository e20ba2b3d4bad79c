using DiffOp.Environments.Quadrotor;
using DiffOp.Environments.Tests.Common;

namespace DiffOp.Environments.Tests.Quadrotor;

/// <summary>Quadrotor against the independent numbers of docs/environments.md and the constrained variant of §5.</summary>
public class QuadrotorTests
{
    private const double Tolerance = 1e-9;
    private static readonly double[] X0 = [-8, -6, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    private static readonly double[] U0 = [-22.63142533, 0.07931056119, 3.323701402, -19.38703449];
    private static readonly double[] U1 = [-11.65343961, -0.3354528575, 1.281402392, -10.03658436];

    [Test]
    public void Simulator_EulerStep_ReproducesTestVectors()
    {
        var env = new QuadrotorEnvironment();
        var x1 = new double[13];
        env.Reset(X0, x1);
        env.Step(U0, x1);
        var x2 = (double[])x1.Clone();
        env.Step(U1, x2);
        AssertTestVectors(x1, x2);
    }

    [Test]
    public void CompiledModel_EulerStep_ReproducesTestVectors()
    {
        var model = new QuadrotorPolicyModel();
        var step = ControlTaskAssert.CompileModelStep(model.BuildOcp(1, model.TrueTheta()));
        double[] x1 = step.Evaluate(X0, U0, model.TrueTheta())[0];
        double[] x2 = step.Evaluate(x1, U1, model.TrueTheta())[0];
        AssertTestVectors(x1, x2);
    }

    [Test]
    public void Cost_AttitudeTermIsThreeMinusTraceOfTheRotation_EvenForNonUnitQuaternions()
    {
        // 3 − trace(C_B_I(q)) with the §0 matrix written out, at a non-unit q; only wq = 1 so the cost is that term.
        var env = new QuadrotorEnvironment(new QuadrotorSettings { CostWeights = [0, 0, 1, 0] });
        double q0 = 0.9, q1 = 0.3, q2 = -0.2, q3 = 0.4;
        double trace = (1 - 2 * (q2 * q2 + q3 * q3)) + (1 - 2 * (q1 * q1 + q3 * q3)) + (1 - 2 * (q1 * q1 + q2 * q2));
        double[] x = [1, 2, 3, 4, 5, 6, q0, q1, q2, q3, 7, 8, 9];
        Assert.That(env.TerminalCost(x), Is.EqualTo(3 - trace).Within(1e-14));
        Assert.That(env.StageCost(x, [1, 2, 3, 4]), Is.EqualTo(3 - trace + 0.1 * 30).Within(1e-13));
    }

    [Test]
    public void Defaults_AreThoseOfSection5()
    {
        var s = new QuadrotorSettings();
        Assert.Multiple(() =>
        {
            Assert.That(s.TimeStep, Is.EqualTo(0.1));
            Assert.That(s.EpisodeLength, Is.EqualTo(50));
            Assert.That(s.Horizon, Is.EqualTo(12));
            Assert.That(s.PhysicalParameters, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 1.0, 0.4 }).AsCollection);
            Assert.That(s.YawTorqueCoefficient, Is.EqualTo(0.01));
            Assert.That(s.CostWeights, Is.EqualTo(new[] { 1.0, 1.0, 5.0, 1.0 }).AsCollection);
            Assert.That(s.ControlWeight, Is.EqualTo(0.1));
            Assert.That(s.InitialSpread, Is.EqualTo(0.8));
            Assert.That(s.InitialStates, Has.Count.EqualTo(2));
            Assert.That(s.InitialStates[0], Is.EqualTo(X0).AsCollection);
            Assert.That(s.InitialStates[1], Is.EqualTo(new double[] { 8, 6, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }).AsCollection);
        });
    }

    [Test]
    [Category("Native")]
    public void ConstrainedVariant_SolvesWithinTheBounds()
    {
        var settings = QuadrotorSettings.Constrained;
        var model = new QuadrotorPolicyModel(settings);
        var ocp = model.BuildOcp(settings.EpisodeLength, model.TrueTheta());
        Assert.That(ocp.Definition.PathConstraints.Length, Is.EqualTo(1), "|r|² − max_r");
        Assert.That(ocp.ControlUpper, Is.All.EqualTo(12.0));

        var solution = ControlTaskAssert.SolvesTrueProblem(settings, settings.EpisodeLength, settings.InitialStates[0], objectiveTolerance: 1e-8);
        for (int t = 0; t < settings.EpisodeLength; t++)
        {
            Assert.That(solution.Control(t).ToArray().Select(Math.Abs), Is.All.LessThanOrEqualTo(12 + 1e-7), $"|f| at {t}");
            var r = solution.State(t)[..3].ToArray();
            Assert.That(r.Sum(v => v * v), Is.LessThanOrEqualTo(200 + 1e-6), $"|r|² at {t}");
        }
    }

    private static void AssertTestVectors(double[] x1, double[] x2)
    {
        Assert.Multiple(() =>
        {
            ControlTaskAssert.Slice(x1, 0, [-8, -6, 9], Tolerance, "x1.r");
            ControlTaskAssert.Slice(x1, 3, [0, 0, -4.861544785], Tolerance, "x1.v");
            ControlTaskAssert.Slice(x1, 6, [1, 0, 0, 0], Tolerance, "x1.q");
            ControlTaskAssert.Slice(x1, 10, [-0.3893269009, 0.5191025346, 0], Tolerance, "x1.ω");
            Assert.That(x2[2], Is.EqualTo(8.513845522).Within(Tolerance), "x2.r_z");

            // The printed u0, u1 are rounded to 10 significant digits (±5e-9 each), and v_z2 = v_z1 + dt(Σu1/m − g) sums
            // eight of them: exact arithmetic on the printed inputs gives −7.935952229231, 1.2e-9 from the printed
            // −7.935952228. So this component gets the input-rounding tolerance 0.1·8·5e-9 = 4e-9, and is also checked
            // tightly against the plain formula on the same inputs.
            Assert.That(x2[5], Is.EqualTo(-7.935952228).Within(4e-9), "x2.v_z");
            Assert.That(x2[5], Is.EqualTo(x1[5] + 0.1 * (U1.Sum() - 10)).Within(1e-14), "x2.v_z formula");
            ControlTaskAssert.Slice(x2, 6, [1, -0.01946634505, 0.02595512673, 0], Tolerance, "x2.q");
            ControlTaskAssert.Slice(x2, 10, [-0.5833495309, 0.7777993746, 0], Tolerance, "x2.ω");
        });
    }
}
