using DiffOp.Environments.CartPole;
using DiffOp.Environments.Common;
using DiffOp.Environments.Quadrotor;
using DiffOp.Environments.RobotArm;

namespace DiffOp.Environments.Tests.Common;

/// <summary>The <c>--set key=value</c> overrides of docs/environments.md and the errors for bad settings.</summary>
public class SettingsOverrideParserTests
{
    private static readonly string[] AllKeys = ["dt", "T", "H", "x0", "params", "weights", "wu", "u_max", "x_max", "sigma0"];

    [Test]
    public void Keys_AreThoseOfTheSection5Table()
    {
        Assert.That(SettingsOverrideParser.Keys.Select(k => k.Name), Is.EqualTo(AllKeys).AsCollection);
    }

    [Test]
    public void Apply_EveryKey_SetsItsValue()
    {
        var s = SettingsOverrideParser.Apply(new RobotArmSettings(),
        [
            "dt=0.2", "T=25", "H=7", "x0=-pi/2,3pi/4,0,0", "params=1.5,2,0.5,1", "weights=0.1,0.2,0.3,0.4",
            "wu=0.02", "u_max=1", "x_max=pi", "sigma0=0.5",
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(s.TimeStep, Is.EqualTo(0.2));
            Assert.That(s.EpisodeLength, Is.EqualTo(25));
            Assert.That(s.Horizon, Is.EqualTo(7));
            Assert.That(s.InitialStates, Has.Count.EqualTo(1));
            Assert.That(s.InitialStates[0], Is.EqualTo(new[] { -Math.PI / 2, 3 * Math.PI / 4, 0, 0 }).AsCollection.Within(1e-15));
            Assert.That(s.PhysicalParameters, Is.EqualTo(new[] { 1.5, 2, 0.5, 1 }).AsCollection);
            Assert.That(s.CostWeights, Is.EqualTo(new[] { 0.1, 0.2, 0.3, 0.4 }).AsCollection);
            Assert.That(s.ControlWeight, Is.EqualTo(0.02));
            Assert.That(s.ControlLimit, Is.EqualTo(1.0));
            Assert.That(s.StateLimit, Is.EqualTo(Math.PI).Within(1e-15));
            Assert.That(s.InitialSpread, Is.EqualTo(0.5));
        });
    }

    [Test]
    public void Apply_LaterOverrideWins_AndNoneRemovesABound()
    {
        var s = SettingsOverrideParser.Apply(new CartPoleSettings(), ["u_max=5", "dt=0.05", "dt=0.12", "u_max=none"]);
        Assert.That(s.TimeStep, Is.EqualTo(0.12));
        Assert.That(s.ControlLimit, Is.Null);
    }

    [Test]
    public void Apply_KeysAreCaseInsensitive_AndSpacesAreTrimmed()
    {
        var s = SettingsOverrideParser.Apply(new CartPoleSettings(), [" t = 12 ", "DT=0.05", "h=4"]);
        Assert.That((s.EpisodeLength, s.TimeStep, s.Horizon), Is.EqualTo((12, 0.05, 4)));
    }

    [TestCase("pi", Math.PI)]
    [TestCase("-pi/2", -Math.PI / 2)]
    [TestCase("3pi/4", 3 * Math.PI / 4)]
    [TestCase("3*pi/4", 3 * Math.PI / 4)]
    [TestCase("π/3", Math.PI / 3)]
    [TestCase("-2.5e-3", -2.5e-3)]
    public void ParseNumber_AcceptsNumbersAndMultiplesOfPi(string text, double expected)
    {
        Assert.That(SettingValueParser.ParseNumber(text), Is.EqualTo(expected).Within(1e-15));
    }

    [TestCase("bogus=1")]
    [TestCase("mass=2")]
    public void Apply_UnknownKey_ListsTheValidKeys(string assignment)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsOverrideParser.Apply(new CartPoleSettings(), [assignment]));
        Assert.That(e!.Message, Does.Contain("Unknown setting"));
        AssertListsAllKeys(e.Message);
    }

    [TestCase("dt=abc")]
    [TestCase("dt=NaN")]
    [TestCase("dt=Infinity")]
    [TestCase("wu=-Infinity")]
    [TestCase("T=2.5")]
    [TestCase("x0=0,,0,0")]
    [TestCase("weights=1,2,x,4")]
    [TestCase("u_max=inf")]
    public void Apply_BadOrNonFiniteValue_ListsTheValidKeys(string assignment)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsOverrideParser.Apply(new CartPoleSettings(), [assignment]));
        Assert.That(e!.Message, Does.Contain("Bad value for setting"));
        AssertListsAllKeys(e.Message);
    }

    [TestCase("dt")]
    [TestCase("=3")]
    [TestCase("dt=")]
    public void Apply_NotKeyEqualsValue_ListsTheValidKeys(string assignment)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsOverrideParser.Apply(new CartPoleSettings(), [assignment]));
        Assert.That(e!.Message, Does.Contain("key=value"));
        AssertListsAllKeys(e.Message);
    }

    [TestCase("dt=-0.1", "dt (time step) must be positive")]
    [TestCase("dt=0", "dt (time step) must be positive")]
    [TestCase("T=0", "T (episode length) must be at least 1")]
    [TestCase("T=-3", "T (episode length) must be at least 1")]
    [TestCase("H=0", "H (policy horizon) must be at least 1")]
    [TestCase("x0=0,0,0", "x0 (initial state 0) needs 4 values; got 3")]
    [TestCase("params=0.5,0.5", "params (mc, mp, l) needs 3 values; got 2")]
    [TestCase("params=0.5,-0.5,1", "params (mc, mp, l) entry 1 must be positive")]
    [TestCase("weights=1,-6,1,1", "weights (wx, wq, wdx, wdq) entry 1 must be non-negative")]
    [TestCase("wu=-1", "wu (control weight) must be non-negative")]
    [TestCase("u_max=0", "u_max (control bound) must be positive")]
    [TestCase("x_max=-1", "x_max (bound on the cart position |p|) must be positive")]
    [TestCase("sigma0=-0.1", "sigma0 (spread of the initial θ) must be non-negative")]
    public void Apply_OutOfRangeValue_NamesTheSetting(string assignment, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsOverrideParser.Apply(new CartPoleSettings(), [assignment]));
        Assert.That(e!.Message, Does.StartWith("cartpole: ").And.Contain(message));
    }

    [Test]
    public void Constructors_RejectInvalidSettings()
    {
        Assert.Throws<ArgumentException>(() => new CartPoleEnvironment(new CartPoleSettings { TimeStep = -0.1 }));
        Assert.Throws<ArgumentException>(() => new RobotArmPolicyModel(new RobotArmSettings { Horizon = 0 }));
        Assert.Throws<ArgumentException>(() => new QuadrotorEnvironment(new QuadrotorSettings { InitialStates = [] }));
        Assert.Throws<ArgumentException>(() => new QuadrotorPolicyModel(new QuadrotorSettings { PhysicalParameters = [1, 1, 1, 1, 0.4, 0.01] }));
    }

    [Test]
    public void Defaults_AndConstrainedPresets_AreValid()
    {
        ControlTaskSettings[] all =
        [
            new CartPoleSettings(), CartPoleSettings.Constrained, new RobotArmSettings(), RobotArmSettings.Constrained,
            new QuadrotorSettings(), QuadrotorSettings.Constrained,
        ];
        foreach (var s in all) Assert.DoesNotThrow(s.Validate, s.EnvironmentName);
        Assert.That(QuadrotorSettings.Constrained.InitialStates[0], Is.EqualTo(new double[] { -5, 5, 5, -5, -5, 0, 1, 0, 0, 0, 0, 0, 0 }).AsCollection);
        Assert.That(RobotArmSettings.Constrained.StateLimit, Is.EqualTo(Math.PI));
    }

    private static void AssertListsAllKeys(string message)
    {
        Assert.That(message, Does.Contain("Valid keys"));
        foreach (string key in AllKeys) Assert.That(message, Does.Contain(key + " ("), key);
    }
}
