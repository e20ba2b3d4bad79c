using DiffOp.Cli.Commands;
using DiffOp.Cli.Training;
using DiffOp.Environments.Voltage;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;

namespace DiffOp.Cli.Tests;

/// <summary>`evaluate --scenarios` runs the protocol on the run's own true system (its overrides) with the evaluation box.</summary>
public class EvaluationSystemTests
{
    private static RunConfig Config(params string[] settings) => new()
    {
        Environment = "voltage", Settings = settings, Mode = PolicyMode.Traj, Horizon = 30, Iterations = 1, Rollouts = 10, Sigma = 0.05,
        Beta = double.PositiveInfinity, LearningRate = 0.01, Optimizer = OptimizerKind.Adam, Estimator = GradientEstimatorKind.ReinforceWithBaseline,
        Seed = 0, InitialTheta = "init",
    };

    [Test]
    public void WithoutOverrides_IsThePublishedEvaluationPreset()
    {
        var system = EvaluateCommand.EvaluationSystem(Config());
        Assert.That(system.ReactivePowerMax, Is.EqualTo(VoltageSettings.Evaluation.ReactivePowerMax));
        Assert.That(system.ReactivePowerMin, Is.EqualTo(VoltageSettings.Evaluation.ReactivePowerMin));
        Assert.That(system.CostWeights, Is.EqualTo(VoltageSettings.Evaluation.CostWeights));
    }

    [Test]
    public void RunOverrides_ReachTheTrueSystem_TheEvaluationBoxStays()
    {
        var system = EvaluateCommand.EvaluationSystem(Config("weights=0.2,0.1,0.3", "q_max=2,2,2"));
        Assert.That(system.CostWeights, Is.EqualTo(new[] { 0.2, 0.1, 0.3 }), "the run's true cost weights");
        Assert.That(system.ReactivePowerMax, Is.EqualTo(new[] { 1.5, 1.4, 0.6 }), "the protocol's evaluation box wins over a training box");
    }
}
