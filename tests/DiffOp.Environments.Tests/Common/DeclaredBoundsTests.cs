using DiffOp.Environments.Common;

namespace DiffOp.Environments.Tests.Common;

/// <summary>Every built-in model declares θ's lower bounds with its parameter blocks, the same as <see cref="IPolicyModel.ParameterLowerBounds"/>.</summary>
public class DeclaredBoundsTests
{
    [TestCaseSource(typeof(EnvironmentCatalog), nameof(EnvironmentCatalog.Names))]
    public void TheOcpsDeclaredBounds_AreTheModelsBounds(string name)
    {
        var model = EnvironmentCatalog.CreatePolicyModel(name);
        var ocp = model.BuildOcp(model.StepHorizon, model.InitialTheta(0));
        double[] declared = ocp.ParameterLowerBounds();
        Assert.That(declared, Is.EqualTo(model.ParameterLowerBounds()));
        Assert.That(declared.Any(double.IsFinite), Is.True, "some entry is bounded (weights ≥ 0)");
        var theta = ocp.CreateParameters();
        foreach (var block in ocp.Parameters)
            Assert.That(theta[block.Name].ToArray(), Is.EqualTo(model.InitialTheta(0)[block.Offset..(block.Offset + block.Length)]));
    }

    [Test]
    public void AThetaBelowTheDeclaredBound_IsRejectedWithItsBlockName()
    {
        var model = EnvironmentCatalog.CreatePolicyModel("voltage");
        double[] theta = model.InitialTheta(0);
        theta[1] = -0.5;   // a voltage weight C_v below 0
        Assert.That(() => model.BuildOcp(model.StepHorizon, theta), Throws.ArgumentException.With.Message.Contains("below its lower bound").And.Message.Contains("theta_c"));
    }
}
