using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>The true linear system of <see cref="LqrSamples"/> with its true quadratic cost, from its fixed initial state; |u| ≤ 0.5 enforced by clipping.</summary>
internal sealed class LqrEnvironment : IEnvironment
{
    private readonly double[] _x = new double[3];
    private int _t;

    public string Name => "lqr-true";
    public int StateCount => 3;
    public int ControlCount => 2;
    public int EpisodeLength => 8;

    public void Reset(int seed, Span<double> state)
    {
        for (int i = 0; i < 3; i++) _x[i] = LqrSamples.InitialState[i];
        _x.CopyTo(state);
        _t = 0;
    }

    public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
    {
        Span<double> u = [Math.Clamp(control[0], -0.5, 0.5), Math.Clamp(control[1], -0.5, 0.5)];
        double cost = 0;
        for (int i = 0; i < 3; i++) cost += 0.5 * LqrSamples.QDiagonal[i] * _x[i] * _x[i];
        for (int j = 0; j < 2; j++) cost += 0.5 * LqrSamples.RDiagonal[j] * u[j] * u[j];
        Span<double> next = stackalloc double[3];
        for (int i = 0; i < 3; i++)
            next[i] = LqrSamples.A[3 * i] * _x[0] + LqrSamples.A[3 * i + 1] * _x[1] + LqrSamples.A[3 * i + 2] * _x[2]
                      + LqrSamples.B[2 * i] * u[0] + LqrSamples.B[2 * i + 1] * u[1];
        next.CopyTo(_x);
        next.CopyTo(nextState);
        _t++;
        bool done = _t == EpisodeLength;
        if (done)
            for (int i = 0; i < 3; i++) cost += 0.5 * LqrSamples.QDiagonal[i] * _x[i] * _x[i];
        return new StepResult(cost, done, Failed: false);
    }
}

public class LqrTrainingTests
{
    [Test]
    [Category("Native")]
    public void BoxLqrWithWrongDynamics_TrainingCutsTheTrueCostBelowFourFifths_ForFiveSeeds()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var ocp = LqrSamples.BoxLqr(8);
        var truth = ocp.InitialParameters();
        var wrong = ocp.InitialParameters();
        var b = ocp.Parameter("b");
        for (int i = 0; i < b.Length; i++) wrong[b.Offset + i] = -wrong[b.Offset + i];   // the model has the controls' signs backwards
        var worker = new RolloutWorker(new LqrEnvironment(), new OptimizationPolicy(ocp, PolicyMode.Traj), new TruncatedGaussianExploration(0.05, double.PositiveInfinity));
        double Evaluate(double[] theta) => Enumerable.Range(0, 10).Average(e => worker.Run(theta, new RolloutRequest(10_000 + e, false)).Cost);
        double initial = Evaluate(wrong), best = Evaluate(truth);
        Assert.That(best, Is.LessThan(0.8 * initial), "precondition: the true model is more than 20% better than the wrong one");

        for (int seed = 0; seed < 5; seed++)
        {
            var options = new TrainingOptions
            {
                Mode = PolicyMode.Traj, Iterations = 40, Rollouts = 10, Sigma = 0.05, Beta = double.PositiveInfinity,
                LearningRate = 0.03, Optimizer = OptimizerKind.Adam, Estimator = GradientEstimatorKind.ReinforceWithBaseline, Seed = seed,
            };
            var trainer = new Trainer(options, new SequentialRolloutExecutor(worker), wrong);
            for (int k = 0; k < options.Iterations; k++) trainer.RunIteration();
            double trained = Evaluate(trainer.Theta);
            TestContext.Progress.WriteLine($"seed {seed}: {initial} → {trained} (true model: {best})");
            Assert.Multiple(() => Assert.That(trained, Is.LessThan(0.8 * initial), $"seed {seed}: {initial} → {trained}"));
        }
    }

    [TestCase(PolicyMode.Traj)]
    [TestCase(PolicyMode.Step)]
    [Category("Native")]
    public void BoxLqrWithWrongDynamics_RecommendedRecipeClosesNinetyPercentOfTheGap(PolicyMode mode)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var ocp = LqrSamples.BoxLqr(mode == PolicyMode.Traj ? 8 : 4);
        var truth = ocp.InitialParameters();
        var wrong = ocp.InitialParameters();
        var b = ocp.Parameter("b");
        for (int i = 0; i < b.Length; i++) wrong[b.Offset + i] = -wrong[b.Offset + i];
        var options = TrainingOptions.Recommended(mode, 0.05, 0.03) with { Iterations = 40, Seed = 2 };
        var worker = new RolloutWorker(new LqrEnvironment(), new OptimizationPolicy(ocp, mode), new TruncatedGaussianExploration(options.Sigma, options.Beta));
        double Evaluate(double[] theta) => worker.Run(theta, new RolloutRequest(10_000, false)).Cost;
        double initial = Evaluate(wrong), best = Evaluate(truth);
        var trainer = new Trainer(options, new SequentialRolloutExecutor(worker), wrong);
        trainer.Train();
        double trained = Evaluate(trainer.Theta);
        TestContext.Progress.WriteLine($"{mode}: {initial} → {trained} (true model {best})");
        Assert.That(trained, Is.Not.NaN);
        Assert.That(trained - best, Is.LessThan(0.1 * (initial - best)), $"{initial} → {trained}, true model {best}");
    }

    [Test]
    [Category("Native")]
    public void ForcedSolverFailure_IsCountedAndThetaStaysFinite()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // x' = x + u with |u| ≤ 0.1 must end at x_H ≤ −0.5 after 3 steps: infeasible from any start above −0.2.
        var builder = new Control.OptimalControl.OcpBuilder("reach", 1, 1, 3);
        var th = builder.AddParameter("theta", [1.0, 0.0]);
        builder.SetDynamics(new SxVector(builder.State[0] + builder.Control[0]));
        builder.SetStageCost(0.5 * th[0] * Sx.Sqr(builder.Control[0]) + 0.5 * Sx.Sqr(builder.State[0] - th[1]));
        builder.SetTerminalConstraints(new SxVector(builder.State[0] + 0.5));
        builder.SetControlBounds([-0.1], [0.1]);
        var policy = new OptimizationPolicy(builder.Build(), PolicyMode.Traj);
        var worker = new RolloutWorker(new ScalarEnvironment(3, fixedStart: null), policy, new TruncatedGaussianExploration(0.05, double.PositiveInfinity));
        var trainer = new Trainer(new TrainingOptions
        {
            Mode = PolicyMode.Traj, Iterations = 3, Rollouts = 12, Sigma = 0.05, Beta = double.PositiveInfinity, LearningRate = 0.1, Seed = 1,
        }, new SequentialRolloutExecutor(worker), [1.0, 0.0]);

        int dropped = 0, kept = 0;
        for (int k = 0; k < 3; k++)
        {
            var m = trainer.RunIteration();
            dropped += m.DroppedRollouts;
            kept += 12 - m.DroppedRollouts;
        }
        Assert.That(dropped, Is.GreaterThan(0), "starts above −0.2 make the policy OCP infeasible");
        Assert.That(kept, Is.GreaterThan(0), "starts below −0.2 solve");
        Assert.That(trainer.Theta, Has.All.Matches<double>(double.IsFinite));
    }
}
