using DiffOp.Environments.Voltage;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>Scenario-generator checks against docs/environments-voltage.md.</summary>
public class VoltageScenarioTests
{
    [Test]
    public void Generate_Seed0_LowVoltageWithReferenceDrawsAndV0()
    {
        var s = VoltageScenario.Generate(0);
        Assert.That(s.Kind, Is.EqualTo(VoltageScenarioKind.LowVoltage));
        Assert.That(s.GeneratorActivePowerMw.Take(3), Is.EqualTo(new[] { -2.278534, -2.826238, -1.329535 }).Within(1e-6));
        Assert.That(s.GeneratorActivePowerMw.Skip(3), Has.All.EqualTo(0.0));
        Assert.That(s.InitialVoltages, Is.EqualTo(new[] { 0.898151, 0.858093, 0.865812 }).Within(1e-6));
    }

    [Test]
    public void Generate_Seed1_HighVoltageWithReferenceDrawsAndV0()
    {
        var s = VoltageScenario.Generate(1);
        Assert.That(s.Kind, Is.EqualTo(VoltageScenarioKind.HighVoltage));
        Assert.That(s.GeneratorActivePowerMw, Is.EqualTo(new[]
        {
            3.990147, 4.273276, 0.640622, 1.198849, 1.341653, 0.555213, 0, 0, 0, 0, 1.28615, 1.004619,
        }).Within(1e-6));
        Assert.That(s.InitialVoltages, Is.EqualTo(new[] { 1.056314, 1.084232, 1.068982 }).Within(1e-6));
    }

    [Test]
    public void Generate_SameSeedTwice_Identical()
    {
        var a = VoltageScenario.Generate(42);
        var b = VoltageScenario.Generate(42);
        Assert.That(b.GeneratorActivePowerMw, Is.EqualTo(a.GeneratorActivePowerMw));
        Assert.That(b.InitialVoltages, Is.EqualTo(a.InitialVoltages));
    }

    [Test]
    public void Generate_NegativeSeed_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VoltageScenario.Generate(-3));
    }
}
