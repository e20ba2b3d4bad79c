using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Samples.DampedCart;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>The code of docs/library.md, run as a test so that the page cannot rot (its true system is samples/DampedCart's).</summary>
public class LibraryWalkthroughTests
{
    /// <summary>The policy's model: the damping is learnable (the model starts at 0), so are the weights; |u| ≤ 2 is known.</summary>
    private static Ocp BuildPolicyOcp(int horizon)
    {
        var b = new OcpBuilder("damped_cart_policy", stateCount: 2, controlCount: 1, horizon);
        var damping = b.AddParameter("damping", [0.0]);
        var weights = b.AddParameter("weights", [1.0, 0.1]);
        Sx x = b.State[0], v = b.State[1], u = b.Control[0];
        b.SetDynamics(new SxVector(x + 0.1 * v, v + 0.1 * (u - damping[0] * v)));
        b.SetStageCost(weights[0] * Sx.Sqr(x - 1) + weights[1] * Sx.Sqr(u));
        b.SetTerminalCost(weights[0] * Sx.Sqr(x - 1));
        b.SetControlBounds([-2.0], [2.0]);
        return b.Build();
    }

    [Test]
    [Category("Native")]
    public void Walkthrough_TrainsACustomPolicyWithTheRecommendedRecipe()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var options = TrainingOptions.Recommended(PolicyMode.Step, sigma: 0.2, learningRate: 0.02) with
        {
            Iterations = 30, ParameterLowerBounds = [0.0, 0.0, 0.0], Seed = 1,
        };
        var ocp = BuildPolicyOcp(horizon: 10);
        using var worker = new RolloutWorker(new DampedCartSystem(), new OptimizationPolicy(ocp, options.Mode),
            new TruncatedGaussianExploration(options.Sigma, options.Beta));
        var executor = new SequentialRolloutExecutor(worker);
        var trainer = new Trainer(options, executor, ocp.InitialParameters());

        double Evaluate(double[] theta) =>
            Enumerable.Range(0, 10).Average(e => worker.Run(theta, new RolloutRequest(SeedSequence.Evaluation(e), Explore: false)).Cost);
        double before = Evaluate(trainer.Theta);
        string checkpoint = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"walkthrough-{Guid.NewGuid():N}.json");
        var metrics = trainer.Train(m => TrainingCheckpoint.From(trainer, ocp.Parameters).Save(checkpoint));
        double after = Evaluate(trainer.Theta);

        Assert.That(metrics, Has.Count.EqualTo(30));
        Assert.That(TrainingCheckpoint.Load(checkpoint).FlatTheta(ocp.Parameters), Is.EqualTo(trainer.Theta));
        Assert.That(after, Is.LessThan(before), $"deterministic cost {before} → {after}");
        File.Delete(checkpoint);

        // One source of truth: a worker that explores differently from the options is refused.
        using var other = new RolloutWorker(new DampedCartSystem(), new OptimizationPolicy(ocp, PolicyMode.Traj), new TruncatedGaussianExploration(0.2, double.PositiveInfinity));
        Assert.That(() => new Trainer(options, new SequentialRolloutExecutor(other), ocp.InitialParameters()),
            Throws.ArgumentException.With.Message.Contains("Step mode"));
    }
}
