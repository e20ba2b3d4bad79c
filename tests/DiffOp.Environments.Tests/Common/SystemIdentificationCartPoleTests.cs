using DiffOp.Environments.Common;
using DiffOp.Learning.Algorithms;

namespace DiffOp.Environments.Tests.Common;

/// <summary>System identification on a built-in task: the cart-pole's physical parameters from its own transitions.</summary>
public class SystemIdentificationCartPoleTests
{
    [Test]
    public void CartPole_RecoversMassesAndLength_FromNoiseFreeTransitions()
    {
        // Transitions of the true cart-pole (Euler steps with the true parameters) from random states and forces.
        var model = EnvironmentCatalog.CreatePolicyModel("cartpole");
        var simulator = EnvironmentCatalog.CreateSimulator("cartpole");
        var task = (IControlTaskEnvironment)simulator;
        var random = new Random(11);
        var data = new List<Transition>();
        var next = new double[simulator.StateCount];
        for (int k = 0; k < 60; k++)
        {
            double[] x = [random.NextDouble() * 2 - 1, random.NextDouble() * 6, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1];
            double[] u = [random.NextDouble() * 20 - 10];
            task.Reset(x, new double[simulator.StateCount]);
            simulator.Step(u, next);
            data.Add(new Transition(x, u, (double[])next.Clone()));
        }
        var ocp = model.BuildOcp(model.StepHorizon, model.TrueTheta());
        var sysid = new SystemIdentification(ocp);
        var truth = model.TrueTheta();
        var start = model.InitialTheta(3);
        var fitted = sysid.FittedEntries;
        Assert.That(fitted.Select(i => start[i]), Is.Not.EqualTo(fitted.Select(i => truth[i])), "the fit starts away from the truth");
        var result = sysid.Fit(data, start, ocp.DefaultContext(), model.ParameterLowerBounds());
        foreach (int i in fitted)
            Assert.That(result.Theta[i], Is.EqualTo(truth[i]).Within(1e-6 * Math.Max(1, Math.Abs(truth[i]))), $"θ[{i}]");
        for (int i = 0; i < truth.Length; i++)
            if (!fitted.Contains(i)) Assert.That(result.Theta[i], Is.EqualTo(start[i]), $"θ[{i}] is not in the dynamics and keeps its start value");
        Assert.That(result.Loss, Is.LessThan(1e-12 * result.InitialLoss));
    }
}
