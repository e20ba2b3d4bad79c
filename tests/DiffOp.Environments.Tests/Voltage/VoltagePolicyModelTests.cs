using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Environments.Voltage;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>The voltage policy OCP of docs/environments-voltage.md, its θ and its settings keys.</summary>
public class VoltagePolicyModelTests
{
    private static readonly VoltagePolicyModel Model = new();

    [Test]
    public void Defaults_HaveTheDocumentedShape()
    {
        Assert.That(Model.Name, Is.EqualTo("voltage"));
        Assert.That(Model.StateCount, Is.EqualTo(9));
        Assert.That(Model.ControlCount, Is.EqualTo(3));
        Assert.That(Model.StepHorizon, Is.EqualTo(6));
        Assert.That(Model.EpisodeLength, Is.EqualTo(30));
        Assert.That(Model.ParameterBlockNames, Is.EqualTo(new[] { "theta_c", "theta_f" }));
        Assert.That(Model.Settings.ControlWeight, Is.EqualTo(0.1));
        Assert.That(Model.Settings.System, Is.EqualTo(VoltageSettings.Training));
    }

    [Test]
    public void InitialStates_AreTheFirstScenarios_V0_ZeroQ_V0()
    {
        Assert.That(Model.InitialStates, Has.Count.EqualTo(4));
        var env = new VoltageEnvironment();
        var reset = new double[9];
        for (int k = 0; k < Model.InitialStates.Count; k++)
        {
            env.Reset(k, reset);
            Assert.That(Model.InitialStates[k], Is.EqualTo(reset).AsCollection, $"scenario {k}");
        }

        Assert.That(Model.InitialStates[0].Take(3), Is.EqualTo(new[] { 0.898151, 0.858093, 0.865812 }).Within(1e-6).AsCollection);
        Assert.That(Model.InitialStates[0].Skip(3).Take(3), Is.All.EqualTo(0.0));
    }

    [Test]
    public void InitialTheta_IsThePaperStart_ForEverySeed()
    {
        double[] expected = [1, 1, 1, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5];
        Assert.That(Model.InitialTheta(0), Is.EqualTo(expected).AsCollection);
        Assert.That(Model.InitialTheta(123), Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void TrueTheta_IsUnitWeightsAndTheFiniteDifferenceSensitivityOfScenario0()
    {
        double[] theta = Model.TrueTheta();
        Assert.That(theta, Has.Length.EqualTo(VoltagePolicyModel.ThetaCount));
        Assert.That(theta.Take(3), Is.All.EqualTo(1.0));
        Assert.That(theta.Skip(3), Is.EqualTo(VoltageSensitivity.AtZeroReactivePower(0)).AsCollection);

        // Scenario 0 is loaded (low voltage): its sensitivity is 20-40% above the no-load values of §7.4.
        double[] noLoad = [0.030, 0.022, 0.022, 0.022, 0.049, 0.045, 0.022, 0.045, 0.047];
        for (int k = 0; k < 9; k++)
        {
            Assert.That(theta[3 + k] / noLoad[k], Is.InRange(1.0, 1.5), $"A[{k / 3},{k % 3}]");
        }
    }

    [Test]
    public void Sensitivity_WithoutInjections_ReproducesTheNoLoadValuesOfTheSpec()
    {
        double[] s = VoltageSensitivity.Compute(new double[Ieee13BusFeeder.BusCount], [0, 0, 0]);
        double[] expected = [0.030, 0.022, 0.022, 0.022, 0.049, 0.045, 0.022, 0.045, 0.047];
        Assert.That(s, Is.EqualTo(expected).Within(1e-3).AsCollection);
    }

    [Test]
    public void ModelStep_WithTrueTheta_PredictsThePowerFlowForASmallControl()
    {
        var ocp = Model.BuildOcp(Model.StepHorizon, Model.TrueTheta());
        var step = CompileModelStep(ocp);
        double[] u = [0.02, -0.01, 0.015];
        var env = new VoltageEnvironment();
        var x0 = new double[9];
        var x1 = new double[9];
        env.Reset(0, x0);
        env.Step(u, x1);

        double[] predicted = step.Evaluate(x0, u, Model.TrueTheta())[0];
        for (int i = 0; i < 9; i++)
        {
            Assert.That(predicted[i], Is.EqualTo(x1[i]).Within(1e-3), $"x1[{i}]");
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.That(predicted[i], Is.EqualTo(x1[i]).Within(1e-5), $"v1[{i}] (first-order exact)");
            Assert.That(predicted[3 + i], Is.EqualTo(x1[3 + i]).Within(1e-15), $"q1[{i}]");
        }
    }

    [Test]
    public void BuildOcp_BoundsQOnly_WithTheSettingsBox()
    {
        var ocp = Model.BuildOcp(6, Model.InitialTheta(0));
        Assert.That(ocp.Horizon, Is.EqualTo(6));
        Assert.That(ocp.ParameterCount, Is.EqualTo(12));
        Assert.That(ocp.InitialParameters(), Is.EqualTo(Model.InitialTheta(0)).AsCollection);
        Assert.That(ocp.StateLower.Skip(3).Take(3), Is.EqualTo(new[] { -1.5, -1.4, -1.0 }).AsCollection);
        Assert.That(ocp.StateUpper.Skip(3).Take(3), Is.EqualTo(new[] { 1.5, 1.4, 1.0 }).AsCollection);
        Assert.That(ocp.StateUpper.Take(3).Concat(ocp.StateUpper.Skip(6)), Is.All.EqualTo(double.PositiveInfinity));
        Assert.That(ocp.ControlUpper, Is.All.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void BuildOcp_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Model.BuildOcp(0, Model.TrueTheta()));
        var e = Assert.Throws<ArgumentException>(() => Model.BuildOcp(6, new double[11]));
        Assert.That(e!.Message, Does.Contain("12"));
        double[] nan = Model.TrueTheta();
        nan[4] = double.NaN;
        Assert.Throws<ArgumentException>(() => Model.BuildOcp(6, nan));
    }

    [TestCase("init")]
    [TestCase("true")]
    [Category("Native")]
    public void Ocp_SolvesFromZeroColdStart_ForEveryDefaultInitialState_WithTheCostForm(string which)
    {
        double[] theta = which == "true" ? Model.TrueTheta() : Model.InitialTheta(0);
        foreach (int horizon in new[] { Model.StepHorizon, Model.EpisodeLength })
        {
            var ocp = Model.BuildOcp(horizon, theta);
            var solver = new OcpSolver(ocp);
            foreach (var x0 in Model.InitialStates)
            {
                var s = solver.Solve(theta, x0.ToArray(), ocp.DefaultContext());
                string where = $"θ = {which}, H = {horizon}, v0 = [{string.Join(", ", x0.Take(3))}]";
                Assert.That(s.Status, Is.EqualTo(NlpStatus.Solved), where);
                Assert.That(s.Objective, Is.EqualTo(CostForm(s, theta, horizon)).Within(1e-7 * (1 + Math.Abs(s.Objective))), $"objective, {where}");
                for (int t = 1; t <= horizon; t++)
                {
                    var x = s.State(t);
                    for (int i = 0; i < 3; i++)
                    {
                        Assert.That(x[3 + i], Is.InRange(Model.Settings.System.ReactivePowerMin[i] - 1e-7, Model.Settings.System.ReactivePowerMax[i] + 1e-7), $"q[{t}][{i}], {where}");
                    }
                }
            }
        }
    }

    [Test]
    [Category("Native")]
    public void Ocp_WithTrueTheta_RaisesTheLowVoltagesOfScenario0TowardOne()
    {
        var ocp = Model.BuildOcp(Model.StepHorizon, Model.TrueTheta());
        var s = new OcpSolver(ocp).Solve(Model.TrueTheta(), Model.InitialStates[0].ToArray(), ocp.DefaultContext());
        Assert.That(s.Status, Is.EqualTo(NlpStatus.Solved));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(s.Control(0)[i], Is.GreaterThan(0), $"u0[{i}] injects reactive power");
            Assert.That(s.State(Model.StepHorizon)[i], Is.GreaterThan(Model.InitialStates[0][i]), $"v_H[{i}]");
        }
    }

    [Test]
    public void Catalog_CreatesTheVoltageSimulatorAndModel_WithOverrides()
    {
        Assert.That(EnvironmentCatalog.Names, Does.Contain("voltage"));
        Assert.That(EnvironmentCatalog.CreateSimulator("voltage"), Is.TypeOf<VoltageEnvironment>());
        var sim = (VoltageEnvironment)EnvironmentCatalog.CreateSimulator("voltage", ["T=12", "box=evaluation"]);
        Assert.That(sim.EpisodeLength, Is.EqualTo(12));
        Assert.That(sim.Settings.ReactivePowerMax, Is.EqualTo(new[] { 1.5, 1.4, 0.6 }).AsCollection);

        var model = (VoltagePolicyModel)EnvironmentCatalog.CreatePolicyModel("voltage", ["H=8", "wu=0.5", "q_max=1,1,0.5", "weights=0.1,0.1,0.1"]);
        Assert.That(model.StepHorizon, Is.EqualTo(8));
        Assert.That(model.Settings.ControlWeight, Is.EqualTo(0.5));
        Assert.That(model.Settings.System.CostWeights, Is.EqualTo(new[] { 0.1, 0.1, 0.1 }).AsCollection);
        Assert.That(model.BuildOcp(2, model.TrueTheta()).StateUpper.Skip(3).Take(3), Is.EqualTo(new[] { 1.0, 1.0, 0.5 }).AsCollection);
    }

    [TestCase("dt=0.1", "Unknown setting 'dt'")]
    [TestCase("x_max=2", "Unknown setting 'x_max'")]
    [TestCase("H=0", "H (policy horizon) must be at least 1")]
    [TestCase("T=0", "EpisodeLength (T)")]
    [TestCase("wu=-1", "wu (control weight")]
    [TestCase("wu=nan", "Bad value for setting 'wu'")]
    [TestCase("q_max=1,2", "expected 3")]
    [TestCase("q_min=2,0,0", "lower bound of controlled bus 2")]
    [TestCase("box=huge", "not a box preset")]
    [TestCase("H", "not of the form key=value")]
    public void Catalog_BadOverride_GivesAClearError(string assignment, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => EnvironmentCatalog.CreatePolicyModel("voltage", [assignment]));
        Assert.That(e!.Message, Does.Contain(fragment));
        if (fragment.StartsWith("Unknown", StringComparison.Ordinal) || fragment.StartsWith("Bad", StringComparison.Ordinal))
        {
            Assert.That(e.Message, Does.Contain("Valid keys").And.Contain("q_max"));
        }
    }

    /// <summary>Σ_{t&lt;H} (w_u |u_t|² + Σ_i C_v,i (v_t,i − 1)²) + Σ_i C_v,i (v_H,i − 1)² recomputed from the trajectory.</summary>
    private static double CostForm(OcpSolution s, IReadOnlyList<double> theta, int horizon)
    {
        double wu = Model.Settings.ControlWeight, cost = 0;
        for (int t = 0; t <= horizon; t++)
        {
            var x = s.State(t);
            for (int i = 0; i < 3; i++)
            {
                cost += theta[i] * (x[i] - 1) * (x[i] - 1);
                if (t < horizon)
                {
                    cost += wu * s.Control(t)[i] * s.Control(t)[i];
                }
            }
        }

        return cost;
    }

    private static Function CompileModelStep(Ocp ocp)
    {
        var d = ocp.Definition;
        return new Function($"{ocp.Name}_model_step",
            [("x", d.State), ("u", d.Control), ("theta", d.Theta)],
            [("next", SxSparseMatrix.FromVector(d.Dynamics))]);
    }
}
