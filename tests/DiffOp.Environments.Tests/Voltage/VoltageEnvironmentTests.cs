using DiffOp.Environments.Voltage;
using DiffOp.Learning;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>Environment checks: state layout, F, determinism, failures, settings validation.</summary>
public class VoltageEnvironmentTests
{
    [Test]
    public void Shape_MatchesPolicyOcpState()
    {
        IEnvironment env = new VoltageEnvironment();
        Assert.That(env.Name, Is.EqualTo("voltage"));
        Assert.That(env.StateCount, Is.EqualTo(9));
        Assert.That(env.ControlCount, Is.EqualTo(3));
        Assert.That(env.EpisodeLength, Is.EqualTo(30));
    }

    [Test]
    public void Reset_Seed0_StateIsV0ZeroQV0()
    {
        var env = new VoltageEnvironment();
        var x = new double[9];
        env.Reset(0, x);
        var v0 = new[] { 0.898151, 0.858093, 0.865812 };
        Assert.That(x[..3], Is.EqualTo(v0).Within(1e-6));
        Assert.That(x[3..6], Has.All.EqualTo(0.0));
        Assert.That(x[6..], Is.EqualTo(v0).Within(1e-6));
    }

    [Test]
    public void Reset_AgreesWithVoltageScenarioGenerate()
    {
        var env = new VoltageEnvironment();
        var x = new double[9];
        for (int seed = 0; seed < 50; seed++)
        {
            env.Reset(seed, x);
            var scenario = VoltageScenario.Generate(seed);
            Assert.That(env.ScenarioKind, Is.EqualTo(scenario.Kind));
            Assert.That(x[6..], Is.EqualTo(scenario.InitialVoltages));
        }
    }

    [Test]
    public void Step_ZeroControl_CostIsExactlyZeroForScenarios0To19()
    {
        foreach (var settings in new[] { VoltageSettings.Training, VoltageSettings.Evaluation })
        {
            var env = new VoltageEnvironment(settings);
            var x = new double[9];
            var u = new double[3];
            for (int seed = 0; seed < 20; seed++)
            {
                env.Reset(seed, x);
                var r = env.Step(u, x);
                Assert.That(r.Failed, Is.False);
                Assert.That(r.Cost, Is.EqualTo(0.0), $"scenario {seed}");
            }
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Step_SgfFirstStepSeed0_MatchesReference(bool evaluationBox)
    {
        // The bound α(q_max − q) is inactive in this first step for both boxes (the third bus asks for
        // +0.25037 MVAr, below 0.5·0.6 = 0.3 and 0.5·1.0 = 0.5), so both presets give the reference.
        var settings = evaluationBox ? VoltageSettings.Evaluation : VoltageSettings.Training;
        var env = new VoltageEnvironment(settings);
        var sgf = new SafeGradientFlowController(settings);
        var x = new double[9];
        var u = new double[3];
        env.Reset(0, x);
        sgf.Compute(x, u);
        var r = env.Step(u, x);
        Assert.That(r.Failed, Is.False);
        Assert.That(r.Done, Is.False);
        Assert.That(x[..3], Is.EqualTo(new[] { 0.919012, 0.893119, 0.899898 }).Within(1e-5));
        Assert.That(x[3..6], Is.EqualTo(new[] { 0.193325, 0.263677, 0.25037 }).Within(1e-5));
        Assert.That(r.Cost, Is.EqualTo(-0.142909).Within(1e-5));
    }

    /// <summary>One SGF episode from scenario <paramref name="seed"/> on <paramref name="env"/>: states and costs, step by step.</summary>
    private static List<double> SgfEpisode(VoltageEnvironment env, int seed)
    {
        var sgf = new SafeGradientFlowController(VoltageSettings.Training);
        var x = new double[9];
        var u = new double[3];
        var trace = new List<double>();
        env.Reset(seed, x);
        for (int t = 0; t < env.EpisodeLength; t++)
        {
            sgf.Compute(x, u);
            var r = env.Step(u, x);
            trace.AddRange(x);
            trace.Add(r.Cost);
            if (r.Done) break;
        }
        return trace;
    }

    [Test]
    public void Step_SameSeed_SameTrajectory()
    {
        Assert.That(SgfEpisode(new VoltageEnvironment(), 3), Is.EqualTo(SgfEpisode(new VoltageEnvironment(), 3)));
        Assert.That(SgfEpisode(new VoltageEnvironment(), 3), Is.Not.EqualTo(SgfEpisode(new VoltageEnvironment(), 4)));
    }

    [Test]
    public void AnEpisode_DoesNotDependOnTheEpisodeBefore_BitForBit()
    {
        // The power flows of Step warm-start from the previous step; Reset starts flat, so a reused environment
        // (a rollout worker's) gives every episode exactly as a fresh one does.
        var reused = new VoltageEnvironment();
        SgfEpisode(reused, 7);
        SgfEpisode(reused, 12);
        Assert.That(SgfEpisode(reused, 3), Is.EqualTo(SgfEpisode(new VoltageEnvironment(), 3)));
    }

    [Test]
    public void Step_QIsClippedToBox()
    {
        var env = new VoltageEnvironment(VoltageSettings.Evaluation);
        var x = new double[9];
        env.Reset(1, x);
        env.Step(new[] { 10.0, -10.0, 10.0 }, x);
        Assert.That(x[3..6], Is.EqualTo(new[] { 1.5, -1.4, 0.6 }));
        env.Step(new[] { -10.0, 10.0, -10.0 }, x);
        Assert.That(x[3..6], Is.EqualTo(new[] { -1.5, 1.4, -1.0 }));
    }

    [Test]
    public void Step_EpisodeEndsAfterT()
    {
        var env = new VoltageEnvironment(VoltageSettings.Training with { EpisodeLength = 4 });
        var x = new double[9];
        var u = new double[3];
        env.Reset(2, x);
        for (int t = 1; t <= 4; t++)
        {
            var r = env.Step(u, x);
            Assert.That(r.Done, Is.EqualTo(t == 4));
        }

        Assert.Throws<InvalidOperationException>(() => env.Step(u, x));
    }

    [Test]
    public void Step_PowerFlowWithoutSolution_FailsWithPenaltyAndEndsEpisode()
    {
        // An absorption far beyond the box (a box widened on purpose) has no power-flow solution.
        var settings = VoltageSettings.Training with
        {
            ReactivePowerMin = [-40.0, -40.0, -40.0],
            PowerFlowFailureCostPerStep = 7.5,
        };
        var env = new VoltageEnvironment(settings);
        var x = new double[9];
        env.Reset(0, x);
        env.Step(new double[3], x);
        var r = env.Step(new[] { 0.0, -30.0, 0.0 }, x);
        Assert.That(r.Failed, Is.True);
        Assert.That(r.Done, Is.True);
        Assert.That(r.Cost, Is.EqualTo(7.5 * 29), "penalty per step × steps left (T − t + 1 = 30 − 2 + 1)");
        Assert.That(env.LastPowerFlow.Converged, Is.False);
        Assert.That(x, Has.All.Matches<double>(double.IsFinite));
        Assert.Throws<InvalidOperationException>(() => env.Step(new double[3], x));
    }

    [Test]
    public void Step_NonFiniteControl_ReportedAsFailure()
    {
        var env = new VoltageEnvironment();
        var x = new double[9];
        env.Reset(0, x);
        var r = env.Step(new[] { double.NaN, 0, 0 }, x);
        Assert.That(r.Failed, Is.True);
        Assert.That(r.Cost, Is.EqualTo(30 * VoltageSettings.Training.PowerFlowFailureCostPerStep));
    }

    [Test]
    public void Step_WithoutReset_Throws()
    {
        var env = new VoltageEnvironment();
        Assert.Throws<InvalidOperationException>(() => env.Step(new double[3], new double[9]));
    }

    [Test]
    public void Step_WrongLengths_Throw()
    {
        var env = new VoltageEnvironment();
        var x = new double[9];
        env.Reset(0, x);
        Assert.Throws<ArgumentException>(() => env.Step(new double[2], x));
        Assert.Throws<ArgumentException>(() => env.Step(new double[3], new double[8]));
        Assert.Throws<ArgumentException>(() => env.Reset(0, new double[3]));
    }

    [Test]
    public void Step_AfterWarmUp_AllocatesNothing()
    {
        var env = new VoltageEnvironment();
        var x = new double[9];
        var u = new double[] { 0.01, 0.01, 0.01 };
        env.Reset(0, x);
        env.Step(u, x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 20; t++)
        {
            env.Step(u, x);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [Test]
    public void Cost_MatchesFormula()
    {
        double f = VoltageEnvironment.Cost([1.0, -0.5, 0.2], [1.02, 0.97, 1.0], [1.05, 0.95, 1.01], [0.105, 0.075, 0.09]);
        double expected = 0.5 * ((0.105 * 1) + (0.075 * 0.25) + (0.09 * 0.04))
            + 0.5 * ((1.0 * ((1.02 * 1.02) + (1.05 * 1.05) - 2)) - (0.5 * ((0.97 * 0.97) + (0.95 * 0.95) - 2)) + (0.2 * (1 + (1.01 * 1.01) - 2)));
        Assert.That(f, Is.EqualTo(expected).Within(1e-15));
    }
}
