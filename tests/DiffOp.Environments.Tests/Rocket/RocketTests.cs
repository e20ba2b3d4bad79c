using DiffOp.Environments.Rocket;
using DiffOp.Environments.Tests.Common;

namespace DiffOp.Environments.Tests.Rocket;

/// <summary>The rocket against the published demonstration's first Euler step, its cost terms and the constrained variant.</summary>
public class RocketTests
{
    private const double Tolerance = 1e-9;
    private static readonly double[] X0 = [10, -8, 5, -0.5, 0, 0, 0.8775825619, 0, 0.3390050494, -0.3390050494, 0, 0, 0];
    private static readonly double[] U0 = [-21.92016127, -10.86490774, -4.04086423];

    [Test]
    public void Simulator_EulerStep_ReproducesTheTestVector()
    {
        var env = new RocketEnvironment();
        var x1 = new double[13];
        env.Reset(X0, x1);
        env.Step(U0, x1);
        AssertTestVector(x1);
    }

    [Test]
    public void CompiledModel_EulerStep_ReproducesTheTestVector()
    {
        var model = new RocketPolicyModel();
        var step = ControlTaskAssert.CompileModelStep(model.BuildOcp(1, model.TrueTheta()));
        AssertTestVector(step.Evaluate(X0, U0, model.TrueTheta())[0]);
    }

    [Test]
    public void Defaults_StartFromTheDemonstrationsState()
    {
        var s = new RocketSettings();
        Assert.That(s.InitialStates[0], Is.EqualTo(X0).Within(1e-10).AsCollection, "toQuaternion(1.0, [0, 1, −1]), 10 m up, falling at 0.5 m/s");
        Assert.That(s.PhysicalParameters, Is.EqualTo(new[] { 0.5, 1, 1, 1, 1 }).AsCollection);
        Assert.That(s.CostWeights, Is.EqualTo(new[] { 1.0, 1, 50, 1, 1 }).AsCollection);
        Assert.That(new RocketPolicyModel().TrueTheta(), Has.Length.EqualTo(5 + 5 + 5));
    }

    [Test]
    public void Cost_TiltIsTheHorizontalPartOfTheLongAxis_AndSideThrustIsCharged()
    {
        // Only wtilt = 1: the cost is the squared horizontal part of C_I_B x̂ (its y and z components), written out from the rotation matrix.
        var env = new RocketEnvironment(new RocketSettings { CostWeights = [0, 0, 1, 0, 0], ControlWeight = 0 });
        double q0 = 0.9, q1 = 0.3, q2 = -0.2, q3 = 0.4;
        double y = 2 * (q1 * q2 + q0 * q3), z = 2 * (q1 * q3 - q0 * q2);
        double[] x = [1, 2, 3, 4, 5, 6, q0, q1, q2, q3, 7, 8, 9];
        Assert.That(env.TerminalCost(x), Is.EqualTo(y * y + z * z).Within(1e-14));
        var side = new RocketEnvironment(new RocketSettings { CostWeights = [0, 0, 0, 2, 0], ControlWeight = 0.1 });
        Assert.That(side.StageCost(x, [3, 1, 2]), Is.EqualTo(2 * (1 + 4) + 0.1 * 14).Within(1e-13));
        Assert.That(side.TerminalCost(x), Is.Zero, "the terminal cost has no thrust terms");
    }

    [Test]
    [Category("Native")]
    public void ConstrainedVariant_SolvesWithinTheThrustAndAttitudeBounds()
    {
        var settings = RocketSettings.Constrained;
        var model = new RocketPolicyModel(settings);
        var ocp = model.BuildOcp(settings.EpisodeLength, model.TrueTheta());
        Assert.That(ocp.Definition.PathConstraints.Length, Is.EqualTo(2), "|T|² ≤ 400 and the attitude cone");
        var solution = ControlTaskAssert.SolvesTrueProblem(settings, settings.EpisodeLength, settings.InitialStates[0], objectiveTolerance: 1e-8);
        for (int t = 0; t < settings.EpisodeLength; t++)
        {
            var u = solution.Control(t).ToArray();
            Assert.That(u.Sum(v => v * v), Is.LessThanOrEqualTo(400 + 1e-6), $"|T|² at {t}");
            var q = solution.State(t).Slice(7, 3).ToArray();
            Assert.That(1 - 2 * q.Sum(v => v * v), Is.GreaterThanOrEqualTo(Math.Cos(0.3) - 1e-7), $"attitude at {t}");
        }
        Assert.That(solution.State(settings.EpisodeLength)[0], Is.LessThan(settings.InitialStates[0][0]), "it comes down");
    }

    private static void AssertTestVector(double[] x1)
    {
        Assert.Multiple(() =>
        {
            ControlTaskAssert.Slice(x1, 0, [9.95, -8, 5], Tolerance, "x1.r");
            ControlTaskAssert.Slice(x1, 3, [-3.571259467, 0.5603878399, 1.242792191], Tolerance, "x1.v");
            ControlTaskAssert.Slice(x1, 6, [0.8775825619, 0, 0.3390050494, -0.3390050494], Tolerance, "x1.q (ω₀ = 0)");
            ControlTaskAssert.Slice(x1, 10, [0, -0.2020432115, 0.5432453872], Tolerance, "x1.ω");
        });
    }
}
