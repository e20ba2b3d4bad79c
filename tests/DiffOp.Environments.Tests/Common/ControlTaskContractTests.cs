using System.Globalization;
using DiffOp.Environments.Common;
using DiffOp.Learning;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Tests.Common;

/// <summary>What every control task must do, checked for cartpole, robotarm, quadrotor and rocket.</summary>
[TestFixture("cartpole")]
[TestFixture("robotarm")]
[TestFixture("quadrotor")]
[TestFixture("rocket")]
public class ControlTaskContractTests(string name)
{
    private ControlTaskSettings Defaults => ControlTasks.Defaults(name);

    private IControlTaskEnvironment Simulator(ControlTaskSettings? settings = null) => ControlTasks.Simulator(settings ?? Defaults);

    private IPolicyModel Model(ControlTaskSettings? settings = null) => ControlTasks.Model(settings ?? Defaults);

    [Test]
    public void Reset_SameSeed_GivesSameTrajectory()
    {
        var a = Simulator();
        var b = Simulator();
        var xa = new double[a.StateCount];
        var xb = new double[b.StateCount];
        a.Reset(12345, xa);
        b.Reset(12345, xb);
        Assert.That(xb, Is.EqualTo(xa).AsCollection);

        var controls = new Random(1);
        var u = new double[a.ControlCount];
        for (int t = 0; t < a.EpisodeLength; t++)
        {
            for (int i = 0; i < u.Length; i++) u[i] = 2 * controls.NextDouble() - 1;
            var ra = a.Step(u, xa);
            var rb = b.Step(u, xb);
            Assert.That(rb, Is.EqualTo(ra), $"step {t}");
            Assert.That(xb, Is.EqualTo(xa).AsCollection, $"state after step {t}");
        }
    }

    [Test]
    public void Reset_DrawsEveryDefaultInitialStateAndNothingElse()
    {
        var simulator = Simulator();
        var defaults = Defaults.InitialStates;
        var seen = new HashSet<int>();
        var x = new double[simulator.StateCount];
        for (int seed = 0; seed < 200; seed++)
        {
            simulator.Reset(seed, x);
            int index = Enumerable.Range(0, defaults.Count).FirstOrDefault(k => defaults[k].SequenceEqual(x), -1);
            Assert.That(index, Is.GreaterThanOrEqualTo(0), $"seed {seed} gave a state outside the default set: [{string.Join(", ", x)}]");
            seen.Add(index);
        }

        Assert.That(seen, Has.Count.EqualTo(defaults.Count));
    }

    [Test]
    public void Reset_WithX0Override_AlwaysStartsThere()
    {
        int n = Defaults.StateCount;
        double[] x0 = [.. Enumerable.Range(0, n).Select(i => 0.01 * (i + 1))];
        var simulator = EnvironmentCatalog.CreateSimulator(name, [$"x0={string.Join(",", x0.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}"]);
        var x = new double[n];
        for (int seed = 0; seed < 5; seed++)
        {
            simulator.Reset(seed, x);
            Assert.That(x, Is.EqualTo(x0).AsCollection);
        }
    }

    [Test]
    public void Step_DoesNotAllocate()
    {
        var simulator = Simulator(Defaults with { EpisodeLength = 5000 });
        var x = new double[simulator.StateCount];
        var u = new double[simulator.ControlCount];
        simulator.Reset(0, x);
        for (int t = 0; t < 10; t++) simulator.Step(u, x);

        long before = GC.GetAllocatedBytesForCurrentThread();
        double total = 0;
        for (int t = 0; t < 1000; t++) total += simulator.Step(u, x).Cost;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(double.IsFinite(total), Is.True);
    }

    [Test]
    public void Step_CostIsStageCost_LastStepAddsTerminalCost_ThenEpisodeIsOver()
    {
        var env = Simulator(Defaults with { EpisodeLength = 3 });
        var x = new double[env.StateCount];
        var u = Enumerable.Repeat(0.3, env.ControlCount).ToArray();
        Assert.Throws<InvalidOperationException>(() => env.Step(u, x), "Step before Reset");
        env.Reset(0, x);
        for (int t = 0; t < 3; t++)
        {
            var previous = (double[])x.Clone();
            var result = env.Step(u, x);
            double stage = env.StageCost(previous, u);
            double expected = t < 2 ? stage : stage + env.TerminalCost(x);
            Assert.That(result.Cost, Is.EqualTo(expected).Within(1e-12 * (1 + Math.Abs(expected))), $"cost of step {t}");
            Assert.That(result.Done, Is.EqualTo(t == 2));
            Assert.That(result.Failed, Is.False);
        }

        Assert.Throws<InvalidOperationException>(() => env.Step(u, x), "Step after the episode ended");
    }

    [Test]
    public void Step_WrongControlLengthOrNonFinite_Throws()
    {
        var env = Simulator();
        var x = new double[env.StateCount];
        env.Reset(0, x);
        Assert.Throws<ArgumentException>(() => env.Step(new double[env.ControlCount + 1], x));
        var u = new double[env.ControlCount];
        u[0] = double.NaN;
        Assert.Throws<ArgumentException>(() => env.Step(u, x));
    }

    [Test]
    public void Theta_TrueIsParamsThenWeightsTwice_InitialIsSeededWithinSpread()
    {
        var settings = Defaults;
        double[] expectedTrue = [.. settings.PhysicalParameters, .. settings.CostWeights, .. settings.CostWeights];
        var model = Model();
        Assert.That(model.TrueTheta(), Is.EqualTo(expectedTrue).AsCollection);

        double[] first = model.InitialTheta(7), again = model.InitialTheta(7), other = model.InitialTheta(8);
        Assert.That(again, Is.EqualTo(first).AsCollection);
        Assert.That(other, Is.Not.EqualTo(first).AsCollection);
        Assert.That(first, Is.Not.EqualTo(expectedTrue).AsCollection);
        for (int i = 0; i < first.Length; i++)
        {
            Assert.That(Math.Abs(first[i] - expectedTrue[i]), Is.LessThanOrEqualTo(settings.InitialSpread / 2), $"θ[{i}]");
        }

        Assert.That(Model(settings with { InitialSpread = 0 }).InitialTheta(7), Is.EqualTo(expectedTrue).AsCollection);
    }

    [Test]
    public void BuildOcp_HasThetaBlocksFCThenH_WithTheGivenValues()
    {
        var model = Model();
        double[] theta = model.InitialTheta(3);
        var ocp = model.BuildOcp(4, theta);
        Assert.That(ocp.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "theta_f", "theta_c", "theta_H" }).AsCollection);
        Assert.That(ocp.Parameters.Select(p => p.Length),
            Is.EqualTo(new[] { Defaults.PhysicalParameters.Count, Defaults.CostWeights.Count, Defaults.CostWeights.Count }).AsCollection);
        Assert.That(ocp.InitialParameters(), Is.EqualTo(theta).AsCollection);
        Assert.That(ocp.Horizon, Is.EqualTo(4));
        Assert.That(ocp.ContextCount, Is.Zero);
        Assert.That(ocp.ControlLower, Is.All.EqualTo(double.NegativeInfinity), "no control bounds by default");
        Assert.That(ocp.StateLower, Is.All.EqualTo(double.NegativeInfinity), "no state bounds by default");
        Assert.That(ocp.Definition.PathConstraints.Length, Is.Zero, "no path constraints by default");
        Assert.Throws<ArgumentException>(() => model.BuildOcp(4, theta[1..]));
        Assert.Throws<ArgumentException>(() => model.BuildOcp(0, theta));
    }

    [Test]
    public void ModelStepAndCosts_MatchSimulator_AtRandomStatesAndParameters()
    {
        // θ_f, θ_c and θ_H must reach the symbolic equations in the documented order: the model with a perturbed θ has
        // to agree with simulators whose true values are the same perturbed numbers.
        var settings = Defaults;
        var model = Model();
        double[] theta = model.InitialTheta(11);
        int nf = settings.PhysicalParameters.Count, nw = settings.CostWeights.Count;
        var stageSimulator = Simulator(settings with { PhysicalParameters = theta[..nf], CostWeights = theta[nf..(nf + nw)] });
        var terminalSimulator = Simulator(settings with { PhysicalParameters = theta[..nf], CostWeights = theta[(nf + nw)..] });

        var d = model.BuildOcp(3, theta).Definition;
        var f = new Function("model", [("x", d.State), ("u", d.Control), ("theta", d.Theta)],
        [
            ("next", SxSparseMatrix.FromVector(d.Dynamics)),
            ("stage", SxSparseMatrix.FromVector(new SxVector(d.StageCost))),
            ("terminal", SxSparseMatrix.FromVector(new SxVector(d.TerminalCost))),
        ]);

        var random = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            double[] x = [.. Enumerable.Range(0, model.StateCount).Select(_ => 2 * random.NextDouble() - 1)];
            double[] u = [.. Enumerable.Range(0, model.ControlCount).Select(_ => 4 * random.NextDouble() - 2)];
            var outputs = f.Evaluate(x, u, theta);
            var expectedNext = new double[model.StateCount];
            stageSimulator.Predict(x, u, expectedNext);
            for (int i = 0; i < expectedNext.Length; i++)
            {
                Assert.That(outputs[0][i], Is.EqualTo(expectedNext[i]).Within(1e-12 * (1 + Math.Abs(expectedNext[i]))), $"trial {trial}, next[{i}]");
            }

            double stage = stageSimulator.StageCost(x, u), terminal = terminalSimulator.TerminalCost(x);
            Assert.That(outputs[1][0], Is.EqualTo(stage).Within(1e-12 * (1 + stage)), $"trial {trial}, stage cost");
            Assert.That(outputs[2][0], Is.EqualTo(terminal).Within(1e-12 * (1 + terminal)), $"trial {trial}, terminal cost");
            Assert.That(terminal, Is.Not.EqualTo(terminalSimulator.StageCost(x, u)), "the stage cost has a control term");
        }
    }

    [Test]
    public void Catalog_OverridesReachSimulatorAndModel()
    {
        var env = EnvironmentCatalog.CreateSimulator(name, ["T=7", "dt=0.05"]);
        Assert.That(env.EpisodeLength, Is.EqualTo(7));
        Assert.That(env.Name, Is.EqualTo(name));
        Assert.That(((IControlTaskEnvironment)env).Settings.TimeStep, Is.EqualTo(0.05));
        var model = EnvironmentCatalog.CreatePolicyModel(name.ToUpperInvariant(), ["H=3", "T=9"]);
        Assert.That(model.StepHorizon, Is.EqualTo(3));
        Assert.That(model.EpisodeLength, Is.EqualTo(9));
        Assert.That(model.Name, Is.EqualTo(name));
    }

    [Test]
    [Category("Native")]
    public void PolicyOcp_WithTrueTheta_SolvesFromColdStart_ForEveryDefaultInitialState_StepAndTrajHorizons()
    {
        var settings = Defaults;
        foreach (int horizon in new[] { settings.Horizon, settings.EpisodeLength })
        {
            foreach (var x0 in settings.InitialStates)
            {
                ControlTaskAssert.SolvesTrueProblem(settings, horizon, x0);
            }
        }
    }
}
