using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>The metric-based optimizers: the natural gradient and Adam in action units.</summary>
public class NaturalGradientTests
{
    private static readonly double[] Metric = [4.0, 1.0, 1.0, 2.0];

    [Test]
    public void NaturalStep_SolvesTheDampedMetricSystem()
    {
        var optimizer = new ParameterOptimizer(OptimizerKind.Natural, 0.5, 2, damping: 0.1);
        double[] theta = [1.0, -1.0], g = [1.0, 3.0];
        Assert.That(optimizer.TryStep(theta, g, Metric), Is.True);
        // (G + 0.1·diag G) p = g with G = [[4,1],[1,2]]: [[4.4,1],[1,2.2]] p = [1,3] → p = (−0.7/8.68, 12.2/8.68).
        double det = 4.4 * 2.2 - 1.0;
        double p0 = (2.2 * 1 - 1 * 3) / det, p1 = (4.4 * 3 - 1 * 1) / det;
        Assert.That(theta[0], Is.EqualTo(1.0 - 0.5 * p0).Within(1e-9));
        Assert.That(theta[1], Is.EqualTo(-1.0 - 0.5 * p1).Within(1e-9));
    }

    [Test]
    public void TrustRadius_LimitsTheRmsActionChange()
    {
        var optimizer = new ParameterOptimizer(OptimizerKind.Natural, 1e6, 2, damping: 0.5, trustRadius: 0.01);
        double[] theta = [0.0, 0.0];
        Assert.That(optimizer.TryStep(theta, [1.0, 3.0], Metric), Is.True);
        // The damped metric G + 0.5·diag G = [[6, 1], [1, 3]].
        double change = Math.Sqrt(theta[0] * (6 * theta[0] + theta[1]) + theta[1] * (theta[0] + 3 * theta[1]));
        Assert.That(change, Is.EqualTo(0.01).Within(1e-12), "√(Δθᵀ(G + λ diag G)Δθ) = ε when the unconstrained step is longer");
    }

    [TestCase(OptimizerKind.Natural)]
    [TestCase(OptimizerKind.ActionAdam)]
    public void Step_IsTheSameUnderARescalingOfTheParameters(OptimizerKind kind)
    {
        // θ' = S⁻¹θ with S = diag(1000, 0.01): ĝ' = Sĝ, G' = SGS. The step in the original units must not change.
        double[] s = [1000, 0.01];
        var plain = new ParameterOptimizer(kind, 0.1, 2, trustRadius: 0.05);
        var scaled = new ParameterOptimizer(kind, 0.1, 2, trustRadius: 0.05);
        double[] theta = [1.0, 2.0], thetaScaled = [1.0 / s[0], 2.0 / s[1]];
        var random = new Random(1);
        for (int k = 0; k < 5; k++)
        {
            double[] g = [random.NextDouble() - 0.5, random.NextDouble() - 0.5];
            double[] gs = [s[0] * g[0], s[1] * g[1]];
            double[] ms = [s[0] * Metric[0] * s[0], s[0] * Metric[1] * s[1], s[1] * Metric[2] * s[0], s[1] * Metric[3] * s[1]];
            Assert.That(plain.TryStep(theta, g, Metric) && scaled.TryStep(thetaScaled, gs, ms), Is.True);
            // Adam's absolute ε = 1e-8 on gradients of about 1e-3 (entry 1, scaled by 0.01) allows a 1e-5 relative difference there.
            double tolerance = kind == OptimizerKind.ActionAdam ? 1e-5 : 1e-9;
            for (int i = 0; i < 2; i++) Assert.That(s[i] * thetaScaled[i], Is.EqualTo(theta[i]).Within(tolerance * (1 + Math.Abs(theta[i]))), $"step {k}, entry {i}");
        }
    }

    [Test]
    public void BadSettings_AreRejected()
    {
        Assert.That(() => new ParameterOptimizer(OptimizerKind.Natural, 0.1, 2, damping: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("damping"));
        Assert.That(() => new ParameterOptimizer(OptimizerKind.Natural, 0.1, 2, trustRadius: -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("trust radius"));
        var natural = new ParameterOptimizer(OptimizerKind.Natural, 0.1, 2);
        Assert.That(() => natural.TryStep(new double[2], [1.0, 1.0]), Throws.InvalidOperationException.With.Message.Contains("metric"));
        Assert.That(() => natural.TryStep(new double[2], [1.0, 1.0], [1.0]), Throws.ArgumentException.With.Message.Contains("d² = 4"));
        Assert.That(() => new TrainingOptions { Damping = -1 }.Validate(), Throws.ArgumentException.With.Message.Contains("Damping"));
        Assert.That(() => new TrainingOptions { TrustRadius = 0 }.Validate(), Throws.ArgumentException.With.Message.Contains("TrustRadius"));
        Assert.That(() => new TrainingOptions { Antithetic = true, Rollouts = 5 }.Validate(), Throws.ArgumentException.With.Message.Contains("even"));
    }

    [Test]
    public void NonFiniteMetric_LeavesThetaUnchanged()
    {
        var optimizer = new ParameterOptimizer(OptimizerKind.Natural, 0.1, 2);
        double[] theta = [1.0, 2.0];
        Assert.That(optimizer.TryStep(theta, [1.0, 1.0], [double.NaN, 0, 0, 1]), Is.False);
        Assert.That(theta, Is.EqualTo(new[] { 1.0, 2.0 }));
    }

    private static RolloutWorker ScalarWorker(double rScale) =>
        new(new ScalarEnvironment(5, fixedStart: null, controlWeight: 0.2),
            new OptimizationPolicy(ScalarPolicy.Build(5, 1.0, 0.0, rScale), PolicyMode.Traj), new TruncatedGaussianExploration(0.2, double.PositiveInfinity));

    [TestCase(OptimizerKind.Natural, true)]
    [TestCase(OptimizerKind.ActionAdam, true)]
    [TestCase(OptimizerKind.Adam, false)]
    [Category("Native")]
    public void Training_InUnitsScaledBy1000_FollowsTheSamePolicyPath_OnlyForTheMetricOptimizers(OptimizerKind kind, bool invariant)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var options = new TrainingOptions
        {
            Mode = PolicyMode.Traj, Iterations = 6, Rollouts = 8, Sigma = 0.2, Beta = double.PositiveInfinity, LearningRate = kind == OptimizerKind.Natural ? 0.5 : 0.05,
            Optimizer = kind, Estimator = GradientEstimatorKind.ReinforceWithBaseline, SharedInitialState = true, TrustRadius = 0.05, Seed = 3,
        };
        const double scale = 1000;
        var a = new Trainer(options with { ParameterLowerBounds = [0.05, double.NegativeInfinity] }, new SequentialRolloutExecutor(ScalarWorker(1)), [1.0, 0.0]);
        var b = new Trainer(options with { ParameterLowerBounds = [0.05 / scale, double.NegativeInfinity] }, new SequentialRolloutExecutor(ScalarWorker(scale)), [1.0 / scale, 0.0]);
        double largest = 0;
        for (int k = 0; k < options.Iterations; k++)
        {
            var ma = a.RunIteration();
            var mb = b.RunIteration();
            TestContext.Progress.WriteLine($"{kind} {k + 1}: cost {ma.MeanCost} / {mb.MeanCost}, θ = ({a.Theta[0]}, {a.Theta[1]}) / ({scale * b.Theta[0]}, {b.Theta[1]})");
            Assert.That(ma.DroppedRollouts + mb.DroppedRollouts, Is.Zero, "every solve succeeds");
            if (invariant) Assert.That(mb.MeanCost, Is.EqualTo(ma.MeanCost).Within(1e-5 * Math.Abs(ma.MeanCost)), $"iteration {k + 1}: the same policy, the same costs");
            largest = Math.Max(largest, Math.Abs(scale * b.Theta[0] - a.Theta[0]) + Math.Abs(b.Theta[1] - a.Theta[1]));
        }
        Assert.That(a.Theta[0], Is.Not.EqualTo(1.0), "θ moved");
        if (invariant) Assert.That(largest, Is.LessThan(1e-4), "the physical parameters r and g follow the same path");
        else Assert.That(largest, Is.GreaterThan(1e-2), "Adam moves each entry by about η in its own units, so the rescaled run differs");
    }

    // Measured: action-unit Adam closes 99% of the gap in 40 iterations, the trust-region natural gradient 73% in 100
    // (its steps stay at the radius while the estimate is noisy); each test asks for what its optimizer reliably does.
    [TestCase(OptimizerKind.Natural, 0.03, 100, 0.5)]
    [TestCase(OptimizerKind.ActionAdam, 0.01, 40, 0.9)]
    [Category("Native")]
    public void BoxLqrWithWrongDynamics_MetricOptimizersCloseTheGapToTheTrueModel(OptimizerKind kind, double rate, int iterations, double closed)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var ocp = LqrSamples.BoxLqr(8);
        var truth = ocp.InitialParameters();
        var wrong = ocp.InitialParameters();
        var block = ocp.Parameter("b");
        for (int i = 0; i < block.Length; i++) wrong[block.Offset + i] = -wrong[block.Offset + i];
        var solverOptions = new Control.OptimalControl.OcpSolverOptions { MaxIterations = 200 };
        var worker = new RolloutWorker(new LqrEnvironment(), new OptimizationPolicy(ocp, PolicyMode.Traj, solverOptions), new TruncatedGaussianExploration(0.05, double.PositiveInfinity));
        double Evaluate(double[] theta) => worker.Run(theta, new RolloutRequest(10_000, false)).Cost;
        double initial = Evaluate(wrong), best = Evaluate(truth);
        var options = new TrainingOptions
        {
            Mode = PolicyMode.Traj, Iterations = iterations, Rollouts = 10, Sigma = 0.05, Beta = double.PositiveInfinity, LearningRate = 1e6,
            TrustRadius = rate, Optimizer = kind, Estimator = GradientEstimatorKind.ReinforceWithBaseline, Seed = 1,
        };
        if (kind == OptimizerKind.ActionAdam) options = options with { LearningRate = rate, TrustRadius = null };
        var trainer = new Trainer(options, new SequentialRolloutExecutor(worker), wrong);
        for (int k = 0; k < options.Iterations; k++)
        {
            var m = trainer.RunIteration();
            if (k % 5 == 0) TestContext.Progress.WriteLine($"{kind} {k + 1}: cost {m.MeanCost}, dropped {m.DroppedRollouts}, θ = [{string.Join(", ", trainer.Theta.Select(v => v.ToString("G4")))}]");
        }
        double trained = Evaluate(trainer.Theta);
        TestContext.Progress.WriteLine($"{kind}: {initial} → {trained} (true model {best})");
        Assert.That(trained, Is.Not.NaN, "the trained policy solves");
        Assert.That(trained - best, Is.LessThan((1 - closed) * (initial - best)), $"{kind} closes {closed:P0} of the gap: {initial} → {trained}, true model {best}");
    }
}
