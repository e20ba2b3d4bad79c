using DiffOp.Environments.RobotArm;
using DiffOp.Environments.Tests.Common;

namespace DiffOp.Environments.Tests.RobotArm;

/// <summary>Robot arm against the independent numbers of docs/environments.md and the constrained variant of §5.</summary>
public class RobotArmTests
{
    private const double Tolerance = 1e-9;
    private static readonly double[] X0 = [-Math.PI / 2, 0, 0, 0];
    private static readonly double[] U0 = [24.00176695, 6.789570753];
    private static readonly double[] X1 = [-Math.PI / 2, 0, 1.204772582, -0.9750602304];

    [Test]
    public void Simulator_EulerStep_ReproducesTestVector()
    {
        var env = new RobotArmEnvironment();
        var x = new double[4];
        env.Reset(X0, x);
        env.Step(U0, x);
        AssertFirstStep(x);
    }

    [Test]
    public void CompiledModel_EulerStep_ReproducesTestVector()
    {
        var model = new RobotArmPolicyModel();
        var step = ControlTaskAssert.CompileModelStep(model.BuildOcp(1, model.TrueTheta()));
        AssertFirstStep(step.Evaluate(X0, U0, model.TrueTheta())[0]);
    }

    private static void AssertFirstStep(double[] x1)
    {
        ControlTaskAssert.Slice(x1, 0, X1[..2], Tolerance, "x1");

        // At rest with q2 = 0 and unit rods, M = [[8/3, 5/6], [5/6, 1/3]] and C = G = 0, so q̈ = M⁻¹u with
        // M⁻¹ = [[12/7, −30/7], [−30/7, 96/7]]. The printed u0 carries ±5e-9 and ±5e-10 of rounding and x1 ±5e-10 and
        // ±5e-11, so the rates hold to dt·|M⁻¹|·δu + δx = 1.6e-9 and 2.9e-9 (the exact value on the printed inputs is
        // 1.0e-9 from the printed q̇1); they are also checked tightly against the closed form.
        double[] roundingTolerance =
        [
            0.1 * (12.0 / 7 * 5e-9 + 30.0 / 7 * 5e-10) + 5e-10,
            0.1 * (30.0 / 7 * 5e-9 + 96.0 / 7 * 5e-10) + 5e-11,
        ];
        Assert.That(x1[2], Is.EqualTo(X1[2]).Within(roundingTolerance[0]), "x1[2]");
        Assert.That(x1[3], Is.EqualTo(X1[3]).Within(roundingTolerance[1]), "x1[3]");
        Assert.That(x1[2], Is.EqualTo(0.1 * (12.0 / 7 * U0[0] - 30.0 / 7 * U0[1])).Within(1e-13), "x1[2] closed form");
        Assert.That(x1[3], Is.EqualTo(0.1 * (-30.0 / 7 * U0[0] + 96.0 / 7 * U0[1])).Within(1e-13), "x1[3] closed form");
    }

    [Test]
    public void Gravity_WhenSet_PullsTheHorizontalArmDown()
    {
        // g = 0 in every script; with g = 10 a horizontal, resting arm must accelerate downwards (q̈1 < 0).
        var env = new RobotArmEnvironment(new RobotArmSettings { Gravity = 10 });
        var next = new double[4];
        env.Predict([0, 0, 0, 0], [0, 0], next);
        Assert.That(next[2], Is.LessThan(0));
        new RobotArmEnvironment().Predict([0, 0, 0, 0], [0, 0], next);
        Assert.That(next[2], Is.Zero);
    }

    [Test]
    public void Defaults_AreThoseOfSection5()
    {
        var s = new RobotArmSettings();
        Assert.Multiple(() =>
        {
            Assert.That(s.TimeStep, Is.EqualTo(0.1));
            Assert.That(s.EpisodeLength, Is.EqualTo(35));
            Assert.That(s.Horizon, Is.EqualTo(12));
            Assert.That(s.PhysicalParameters, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 1.0 }).AsCollection);
            Assert.That(s.CostWeights, Is.EqualTo(new[] { 1.0, 1.0, 0.5, 0.5 }).AsCollection);
            Assert.That(s.ControlWeight, Is.EqualTo(0.01));
            Assert.That(s.InitialSpread, Is.EqualTo(0.9));
            Assert.That(s.Gravity, Is.Zero);
            Assert.That(s.InitialStates, Has.Count.EqualTo(4));
            Assert.That(s.InitialStates[1], Is.EqualTo(new[] { -3 * Math.PI / 4, -Math.PI / 2, 0, 0 }).AsCollection);
            Assert.That(s.InitialStates[3], Is.EqualTo(new[] { -Math.PI / 2, Math.PI, 0, 0 }).AsCollection);
        });
    }

    [Test]
    [Category("Native")]
    public void ConstrainedVariant_SolvesWithinTheBounds()
    {
        var settings = RobotArmSettings.Constrained;
        var solution = ControlTaskAssert.SolvesTrueProblem(settings, settings.EpisodeLength, settings.InitialStates[0], objectiveTolerance: 1e-8);
        for (int t = 0; t < settings.EpisodeLength; t++)
        {
            Assert.That(solution.Control(t).ToArray().Select(Math.Abs), Is.All.LessThanOrEqualTo(1 + 1e-7), $"|τ| at {t}");
            Assert.That(solution.State(t + 1)[..2].ToArray().Select(Math.Abs), Is.All.LessThanOrEqualTo(Math.PI + 1e-7), $"|q| at {t + 1}");
        }
    }
}
