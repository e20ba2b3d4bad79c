using DiffOp.Learning.Exploration;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

public class TrainerTests
{
    private static RolloutWorker Worker(PolicyMode mode, int horizon, double sigma) =>
        new(new ScalarEnvironment(episodeLength: 5, fixedStart: null, controlWeight: 0.2),
            new OptimizationPolicy(ScalarPolicy.Build(horizon), mode), new TruncatedGaussianExploration(sigma, double.PositiveInfinity));

    private static TrainingOptions Options(PolicyMode mode, int iterations) => new()
    {
        Mode = mode, Iterations = iterations, Rollouts = 8, Sigma = 0.2, Beta = double.PositiveInfinity,
        LearningRate = 0.05, Optimizer = OptimizerKind.Adam, Seed = 42,
    };

    [TestCase(PolicyMode.Step, 3)]
    [TestCase(PolicyMode.Traj, 5)]
    [Category("Native")]
    public void Training_LowersTheExpectedCost(PolicyMode mode, int horizon)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var worker = Worker(mode, horizon, 0.2);
        var trainer = new Trainer(Options(mode, 40), new SequentialRolloutExecutor(worker), [1.0, 0.0]);
        double Evaluate(double[] theta) => Enumerable.Range(0, 20).Average(s => worker.Run(theta, new RolloutRequest(1000 + s, false)).Cost);
        double before = Evaluate(trainer.Theta);
        for (int k = 0; k < 40; k++) trainer.RunIteration();
        double after = Evaluate(trainer.Theta);
        Assert.That(after, Is.LessThan(0.7 * before), $"deterministic cost {before} → {after}");
        Assert.That(trainer.Theta[1], Is.GreaterThan(0.3), "the learned target moves toward the true target 1");
    }

    [Test]
    [Category("Native")]
    public void SameSeed_SameTheta_AndResumeEqualsUninterruptedRun()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var options = Options(PolicyMode.Step, 6);
        var a = new Trainer(options, new SequentialRolloutExecutor(Worker(PolicyMode.Step, 3, 0.2)), [1.0, 0.0]);
        var b = new Trainer(options, new SequentialRolloutExecutor(Worker(PolicyMode.Step, 3, 0.2)), [1.0, 0.0]);
        for (int k = 0; k < 6; k++) { a.RunIteration(); b.RunIteration(); }
        Assert.That(b.Theta, Is.EqualTo(a.Theta), "bit-identical for the same seed");

        // Interrupt after 3 iterations, checkpoint, resume from the file.
        var first = new Trainer(options, new SequentialRolloutExecutor(Worker(PolicyMode.Step, 3, 0.2)), [1.0, 0.0]);
        for (int k = 0; k < 3; k++) first.RunIteration();
        var blocks = ScalarPolicy.Build(3).Parameters;
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"params-{Guid.NewGuid():N}.json");
        TrainingCheckpoint.From(first, blocks).Save(path);
        var checkpoint = TrainingCheckpoint.Load(path);
        var optimizer = new ParameterOptimizer(options.Optimizer, options.LearningRate, 2);
        optimizer.Restore(checkpoint.OptimizerFirstMoment, checkpoint.OptimizerSecondMoment, checkpoint.OptimizerSteps);
        var resumed = new Trainer(options, new SequentialRolloutExecutor(Worker(PolicyMode.Step, 3, 0.2)), checkpoint.FlatTheta(blocks), optimizer, checkpoint.Iteration);
        for (int k = 0; k < 3; k++) resumed.RunIteration();
        Assert.That(resumed.Theta, Is.EqualTo(a.Theta), "resume reproduces the uninterrupted run");
        File.Delete(path);
    }

    [Test]
    public void Optimizer_NonFiniteGradient_LeavesThetaUnchanged()
    {
        var sgd = new ParameterOptimizer(OptimizerKind.Sgd, 0.1, 2);
        double[] theta = [1.0, 2.0];
        Assert.That(sgd.TryStep(theta, [double.NaN, 1.0]), Is.False);
        Assert.That(theta, Is.EqualTo(new[] { 1.0, 2.0 }));
        Assert.That(sgd.TryStep(theta, [1e308, 1e308]), Is.False, "an overflowing norm is not finite either");
        Assert.That(sgd.TryStep(theta, [1.0, -2.0]), Is.True);
        Assert.That(theta, Is.EqualTo(new[] { 0.9, 2.2 }).Within(1e-15));

        var clipped = new ParameterOptimizer(OptimizerKind.Sgd, 1.0, 2, gradientClipNorm: 1.0);
        double[] t2 = [0, 0];
        clipped.TryStep(t2, [3.0, 4.0]);
        Assert.That(t2, Is.EqualTo(new[] { -0.6, -0.8 }).Within(1e-15));

        var adam = new ParameterOptimizer(OptimizerKind.Adam, 0.01, 1);
        double[] t3 = [0];
        adam.TryStep(t3, [123.0]);
        Assert.That(t3[0], Is.EqualTo(-0.01).Within(1e-9), "Adam's first step is −η·sign(g)");
    }

    [Test]
    public void AllRolloutsDropped_LeavesThetaUnchanged()
    {
        var trainer = new Trainer(Options(PolicyMode.Step, 1), new FailingExecutor(), [1.0, 0.0]);
        var metrics = trainer.RunIteration();
        Assert.That(metrics.UpdateSkipped, Is.True);
        Assert.That(metrics.DroppedRollouts, Is.EqualTo(8));
        Assert.That(trainer.Theta, Is.EqualTo(new[] { 1.0, 0.0 }));
    }

    [Test]
    public void Checkpoint_RefusesNonFiniteValues()
    {
        var checkpoint = new TrainingCheckpoint
        {
            Iteration = 1, Seed = 0, Theta = new() { ["theta"] = [double.NaN] },
            OptimizerFirstMoment = [0], OptimizerSecondMoment = [0], OptimizerSteps = 0,
        };
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"nan-{Guid.NewGuid():N}.json");
        Assert.That(() => checkpoint.Save(path), Throws.InvalidOperationException.With.Message.Contains("non-finite"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void SharedInitialState_SameStartDifferentNoiseWithinAnIteration_NewStartNextIteration()
    {
        var recorder = new RecordingExecutor();
        var trainer = new Trainer(Options(PolicyMode.Step, 2) with { SharedInitialState = true }, recorder, [1.0, 0.0]);
        trainer.RunIteration();
        trainer.RunIteration();
        var first = recorder.Batches[0];
        var second = recorder.Batches[1];
        Assert.That(first.Select(r => r.Seed).Distinct().Count(), Is.EqualTo(1), "one start per iteration");
        Assert.That(first.Select(r => r.NoiseSeed).Distinct().Count(), Is.EqualTo(first.Count), "distinct noise per rollout");
        Assert.That(second[0].Seed, Is.Not.EqualTo(first[0].Seed), "a fresh start each iteration");

        var independent = new RecordingExecutor();
        new Trainer(Options(PolicyMode.Step, 1), independent, [1.0, 0.0]).RunIteration();
        Assert.That(independent.Batches[0].Select(r => r.Seed).Distinct().Count(), Is.EqualTo(8), "by default every rollout has its own start");
    }

    private sealed class RecordingExecutor : IRolloutExecutor
    {
        public List<IReadOnlyList<RolloutRequest>> Batches { get; } = [];
        public int WorkerCount => 1;
        public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
        {
            Batches.Add(requests);
            return requests.Select(r => new RolloutResult { Seed = r.Seed, Cost = 1.0, Score = new double[theta.Length], Steps = 1, Dropped = false }).ToArray();
        }
        public void Dispose() { }
    }

    private sealed class FailingExecutor : IRolloutExecutor
    {
        public int WorkerCount => 1;
        public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests) =>
            requests.Select(r => new RolloutResult { Seed = r.Seed, Cost = double.NaN, Score = new double[theta.Length], Steps = 0, Dropped = true }).ToArray();
        public void Dispose() { }
    }

    [TestCase(OptimizerKind.Adam)]
    [TestCase(OptimizerKind.ActionAdam)]
    [TestCase(OptimizerKind.Natural)]
    [TestCase(OptimizerKind.TrustRegion)]
    [Category("Native")]
    public void RecommendedRecipe_ResumeFromCheckpointEqualsTheUninterruptedRun(OptimizerKind kind)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // Cosine schedule, antithetic pairs, tangent exploration and each optimizer's state must all survive a checkpoint.
        var options = TrainingOptions.Recommended(PolicyMode.Traj, 0.2, kind == OptimizerKind.ActionAdam ? 0.02 : 0.05) with
        {
            Iterations = 6, Seed = 9, Optimizer = kind, TrustRadius = 0.05, ParameterLowerBounds = [0.05, double.NegativeInfinity],
            Schedule = kind == OptimizerKind.TrustRegion ? LearningRateSchedule.Constant : LearningRateSchedule.Cosine,
        };
        RolloutWorker NewWorker() => new(new ScalarEnvironment(5, fixedStart: null, controlWeight: 0.2),
            new OptimizationPolicy(ScalarPolicy.Build(5), PolicyMode.Traj), new TruncatedGaussianExploration(options.Sigma, options.Beta));
        var whole = new Trainer(options, new SequentialRolloutExecutor(NewWorker()), [1.0, 0.0]);
        whole.Train();

        var first = new Trainer(options, new SequentialRolloutExecutor(NewWorker()), [1.0, 0.0]);
        for (int k = 0; k < 3; k++) first.RunIteration();
        var blocks = ScalarPolicy.Build(5).Parameters;
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"params-{Guid.NewGuid():N}.json");
        TrainingCheckpoint.From(first, blocks).Save(path);
        var checkpoint = TrainingCheckpoint.Load(path);
        var optimizer = options.CreateOptimizer(2);
        checkpoint.RestoreOptimizer(optimizer);
        var resumed = new Trainer(options, new SequentialRolloutExecutor(NewWorker()), checkpoint.FlatTheta(blocks), optimizer, checkpoint.Iteration);
        resumed.Train();
        File.Delete(path);
        Assert.That(resumed.Theta, Is.EqualTo(whole.Theta), "resume reproduces the uninterrupted run bit for bit");
        Assert.That(whole.Theta, Is.Not.EqualTo(new[] { 1.0, 0.0 }), "θ moved");
    }
}
