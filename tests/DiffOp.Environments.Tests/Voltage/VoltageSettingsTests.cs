using DiffOp.Environments.Voltage;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>Settings defaults, presets and validation messages.</summary>
public class VoltageSettingsTests
{
    [Test]
    public void Presets_HaveDocumentedDefaults()
    {
        var train = VoltageSettings.Training;
        var eval = VoltageSettings.Evaluation;
        Assert.That(train.EpisodeLength, Is.EqualTo(30));
        Assert.That(train.CostWeights, Is.EqualTo(new[] { 0.105, 0.075, 0.09 }));
        Assert.That(train.ReactivePowerMin, Is.EqualTo(new[] { -1.5, -1.4, -1.0 }));
        Assert.That(train.ReactivePowerMax, Is.EqualTo(new[] { 1.5, 1.4, 1.0 }));
        Assert.That(eval.ReactivePowerMin, Is.EqualTo(new[] { -1.5, -1.4, -1.0 }));
        Assert.That(eval.ReactivePowerMax, Is.EqualTo(new[] { 1.5, 1.4, 0.6 }));
        Assert.That(train.PowerFlowFailureCostPerStep, Is.EqualTo(2.5));
        Assert.That(new VoltageSettings(), Is.EqualTo(train));
        Assert.That(eval, Is.Not.EqualTo(train));
        Assert.That(train with { ReactivePowerMax = [1.5, 1.4, 0.6] }, Is.EqualTo(eval));
        Assert.That(eval.ToString(), Does.Contain("ReactivePowerMax = [1.5, 1.4, 0.6]"));
        Assert.DoesNotThrow(train.Validate);
        Assert.DoesNotThrow(eval.Validate);
    }

    private static IEnumerable<TestCaseData> BadSettings()
    {
        var s = VoltageSettings.Training;
        yield return new TestCaseData(s with { EpisodeLength = 0 }, "EpisodeLength").SetName("T = 0");
        yield return new TestCaseData(s with { EpisodeLength = -5 }, "EpisodeLength").SetName("T negative");
        yield return new TestCaseData(s with { ReactivePowerMin = [-1.5, double.NaN, -1.0] }, "ReactivePowerMin[1] must be finite").SetName("q_min NaN");
        yield return new TestCaseData(s with { ReactivePowerMax = [1.5, 1.4, double.PositiveInfinity] }, "ReactivePowerMax[2] must be finite").SetName("q_max infinite");
        yield return new TestCaseData(s with { ReactivePowerMin = [-1.5, 2.0, -1.0] }, "lower bound of controlled bus 7").SetName("q_min above q_max");
        yield return new TestCaseData(s with { ReactivePowerMax = [1.5, 1.4] }, "needs 3 values").SetName("q_max length 2");
        yield return new TestCaseData(s with { CostWeights = [0.1, -0.1, 0.1] }, "non-negative").SetName("C negative");
        yield return new TestCaseData(s with { CostWeights = [0.1, double.NaN, 0.1] }, "CostWeights[1] must be finite").SetName("C NaN");
        yield return new TestCaseData(s with { PowerFlowTolerance = 0 }, "PowerFlowTolerance").SetName("tolerance 0");
        yield return new TestCaseData(s with { PowerFlowMaxIterations = 0 }, "PowerFlowMaxIterations").SetName("cap 0");
        yield return new TestCaseData(s with { PowerFlowFailureCostPerStep = double.NaN }, "PowerFlowFailureCostPerStep").SetName("penalty NaN");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void Environment_BadSettings_ThrowsClearArgumentException(VoltageSettings settings, string expectedFragment)
    {
        var ex = Assert.Throws<ArgumentException>(() => new VoltageEnvironment(settings));
        Assert.That(ex!.Message, Does.Contain(expectedFragment));
    }
}
