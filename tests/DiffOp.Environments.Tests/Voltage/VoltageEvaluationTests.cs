using DiffOp.Environments.Voltage;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>Evaluation-protocol checks and the SGF baseline figures.</summary>
public class VoltageEvaluationTests
{
    [Test]
    public void Run_ZeroController_CostsZero()
    {
        var eval = new VoltageEvaluation(scenarios: 20, steps: 10);
        var r = eval.Run((_, u) => u.Clear());
        Assert.That(r.TransientCost, Is.EqualTo(0.0));
        Assert.That(r.SteadyStateCost, Is.EqualTo(0.0));
        Assert.That(r.PowerFlowFailures, Is.EqualTo(0));
        Assert.That(r.Scenarios, Is.EqualTo(20));
    }

    [Test]
    public void Run_SgfFirstStepOnly_TransientIsDiscountedFirstCost()
    {
        var sgf = new SafeGradientFlowController();
        var r = new VoltageEvaluation(scenarios: 1, steps: 1).Run(sgf.AsControlLaw());
        Assert.That(r.SteadyStateCost, Is.EqualTo(-0.142909).Within(1e-5));
        Assert.That(r.TransientCost, Is.EqualTo(0.99 * -0.142909).Within(1e-5));
    }

    [Test]
    public void Run_FailingController_CountsFailuresAndChargesPenalty()
    {
        var settings = VoltageSettings.Evaluation with { ReactivePowerMin = [-40.0, -40.0, -40.0], PowerFlowFailureCostPerStep = 2.0 };
        int step = 0;
        var r = new VoltageEvaluation(settings, scenarios: 3, steps: 5).Run(
            (_, u) => u.Fill(++step % 5 == 2 ? -30.0 : 0.0), // do nothing at step 1, fail at step 2
            _ => step = 0);
        Assert.That(r.PowerFlowFailures, Is.EqualTo(3));
        Assert.That(r.SteadyStateCost, Is.EqualTo(2.0));
        double expected = 2.0 * Enumerable.Range(2, 4).Sum(t => Math.Pow(0.99, t)); // F(q = 0) = 0 at step 1
        Assert.That(r.TransientCost, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Run_ScenarioStartHook_CalledInOrder()
    {
        var seen = new List<int>();
        new VoltageEvaluation(scenarios: 4, steps: 2).Run((_, u) => u.Clear(), seen.Add);
        Assert.That(seen, Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [TestCase(0, 100, 0.99)]
    [TestCase(10, 0, 0.99)]
    [TestCase(10, 100, 1.5)]
    public void Constructor_BadArguments_Throw(int scenarios, int steps, double discount)
    {
        Assert.Throws<ArgumentException>(() => new VoltageEvaluation(scenarios: scenarios, steps: steps, discount: discount));
    }

    [Test]
    [Category("Slow")]
    public void Run_Sgf500Scenarios_RecordedFigures()
    {
        var sgf = new SafeGradientFlowController(VoltageSettings.Evaluation);
        var r = new VoltageEvaluation().Run(sgf.AsControlLaw());
        TestContext.Out.WriteLine($"SGF (evaluation box): transient {r.TransientCost:F6}, steady-state {r.SteadyStateCost:F6}, failures {r.PowerFlowFailures}/{r.Scenarios}");
        Assert.That(r.PowerFlowFailures, Is.EqualTo(0));
        Assert.That(r.TransientCost, Is.LessThan(0));
        Assert.That(r.SteadyStateCost, Is.LessThan(0));
    }
}
