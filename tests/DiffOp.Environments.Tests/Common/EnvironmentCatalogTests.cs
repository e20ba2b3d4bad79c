using DiffOp.Environments.CartPole;
using DiffOp.Environments.Common;
using DiffOp.Environments.Quadrotor;
using DiffOp.Environments.RobotArm;

namespace DiffOp.Environments.Tests.Common;

/// <summary>Creating environments by name.</summary>
public class EnvironmentCatalogTests
{
    [Test]
    public void Names_IncludeTheThreeControlTasks()
    {
        Assert.That(EnvironmentCatalog.Names, Is.SupersetOf(new[] { "cartpole", "robotarm", "quadrotor" }));
    }

    [Test]
    public void Create_ReturnsTheRightTypes()
    {
        Assert.That(EnvironmentCatalog.CreateSimulator("cartpole"), Is.TypeOf<CartPoleEnvironment>());
        Assert.That(EnvironmentCatalog.CreateSimulator("robotarm"), Is.TypeOf<RobotArmEnvironment>());
        Assert.That(EnvironmentCatalog.CreateSimulator("quadrotor"), Is.TypeOf<QuadrotorEnvironment>());
        Assert.That(EnvironmentCatalog.CreatePolicyModel("cartpole"), Is.TypeOf<CartPolePolicyModel>());
        Assert.That(EnvironmentCatalog.CreatePolicyModel("robotarm"), Is.TypeOf<RobotArmPolicyModel>());
        Assert.That(EnvironmentCatalog.CreatePolicyModel("quadrotor"), Is.TypeOf<QuadrotorPolicyModel>());
    }

    [Test]
    public void UnknownName_ListsTheKnownNames()
    {
        var e = Assert.Throws<ArgumentException>(() => EnvironmentCatalog.CreateSimulator("pendulum"));
        Assert.That(e!.Message, Does.Contain("pendulum").And.Contain("cartpole").And.Contain("robotarm").And.Contain("quadrotor"));
    }

    [Test]
    public void BadOverride_ThroughTheCatalog_ListsTheValidKeys()
    {
        var e = Assert.Throws<ArgumentException>(() => EnvironmentCatalog.CreatePolicyModel("quadrotor", ["wthrust=0.2"]));
        Assert.That(e!.Message, Does.Contain("wthrust").And.Contain("Valid keys"));
    }

    [Test]
    public void ThetaTrue_UsesTheOverriddenTrueValues()
    {
        var model = EnvironmentCatalog.CreatePolicyModel("cartpole", ["params=1,2,3", "weights=4,5,6,7"]);
        Assert.That(model.TrueTheta(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7 }).AsCollection);
    }

    [Test]
    public void KnownBounds_FromOverrides_ReachTheOcp()
    {
        var ocp = EnvironmentCatalog.CreatePolicyModel("robotarm", ["u_max=2", "x_max=3"]).BuildOcp(3, EnvironmentCatalog.CreatePolicyModel("robotarm").TrueTheta());
        Assert.That(ocp.ControlUpper, Is.All.EqualTo(2.0));
        Assert.That(ocp.ControlLower, Is.All.EqualTo(-2.0));
        Assert.That(ocp.StateUpper.Take(2), Is.All.EqualTo(3.0));
        Assert.That(ocp.StateUpper.Skip(2), Is.All.EqualTo(double.PositiveInfinity));

        var quad = EnvironmentCatalog.CreatePolicyModel("quadrotor", ["x_max=200"]);
        Assert.That(quad.BuildOcp(2, quad.TrueTheta()).Definition.PathConstraints.Length, Is.EqualTo(1));
    }
}
