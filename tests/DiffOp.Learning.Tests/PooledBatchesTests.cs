using DiffOp.Learning.Exploration;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>
/// <see cref="TrainingOptions.PooledBatches"/>: while the trust-region rule leaves θ where it is, the next iteration forms ĝ
/// from its own batch and the batches of the iterations before it at that θ; a resumed run re-runs those batches.
/// </summary>
public class PooledBatchesTests
{
    private static TrainingOptions Options(int pooled, int iterations) => TrainingOptions.Recommended(PolicyMode.Traj, 0.2, 0.05) with
    {
        Iterations = iterations, Rollouts = 8, Seed = 4, Optimizer = OptimizerKind.TrustRegion, Schedule = LearningRateSchedule.Constant,
        TrustRadius = 0.2, EvaluationEpisodes = 0, PooledBatches = pooled, ParameterLowerBounds = [0.05, double.NegativeInfinity],
    };

    private static RolloutWorker NewWorker(TrainingOptions options) => new(new ScalarEnvironment(5, fixedStart: null, controlWeight: 0.2),
        new OptimizationPolicy(ScalarPolicy.Build(5), PolicyMode.Traj), new TruncatedGaussianExploration(options.Sigma, options.Beta));

    [Test]
    [Category("Native")]
    public void Gradient_ComesFromTheBatchesAtTheSameTheta()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var options = Options(pooled: 3, iterations: 14);
        var recorder = new Recorder(new SequentialRolloutExecutor(NewWorker(options)));
        var trainer = new Trainer(options, recorder, [1.0, 0.0]);
        var pool = new List<RolloutResult[]>();
        int pooledIterations = 0, moves = 0;
        for (int k = 0; k < options.Iterations; k++)
        {
            int before = recorder.Results.Count;
            var metrics = trainer.RunIteration();
            var batch = recorder.Results[before].ToArray();   // the exploring batch; a candidate test follows it
            pool.Add(batch);
            var all = pool.SelectMany(b => b).ToArray();
            var expected = TrainingBatch.Estimate(options, all, 2);
            Assert.That(metrics.GradientNorm, Is.EqualTo(ParameterOptimizer.Norm(expected)).Within(1e-12), $"iteration {k + 1}: ĝ of the {pool.Count} batch(es) at θ");
            Assert.That(metrics.GradientRollouts, Is.EqualTo(all.Count(r => !r.Dropped)));
            if (pool.Count > 1) pooledIterations++;
            if (!metrics.UpdateSkipped) { pool.Clear(); moves++; }
            while (pool.Count > options.PooledBatches - 1) pool.RemoveAt(0);
            Assert.That(trainer.CarriedBatches, Is.EqualTo(pool.Count), "the batches carried to the next iteration");
        }
        Assert.That(pooledIterations, Is.GreaterThan(0), "some iteration pooled earlier batches");
        Assert.That(moves, Is.GreaterThan(0), "some iteration moved θ and emptied the pool");
    }

    [Test]
    [Category("Native")]
    public void Resume_RerunsThePooledBatches_AndEqualsTheUninterruptedRun()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var options = Options(pooled: 4, iterations: 14);
        var whole = new Trainer(options, new SequentialRolloutExecutor(NewWorker(options)), [1.0, 0.0]);
        var carried = new List<int>();
        var rollouts = whole.Train(_ => carried.Add(whole.CarriedBatches)).Select(m => m.GradientRollouts).ToArray();
        int split = carried.FindIndex(c => c > 0) + 1;   // interrupt after the first iteration that leaves batches to pool
        Assert.That(split, Is.InRange(1, options.Iterations - 1), "some iteration before the last one left θ in place");

        var first = new Trainer(options, new SequentialRolloutExecutor(NewWorker(options)), [1.0, 0.0]);
        for (int k = 0; k < split; k++) first.RunIteration();
        var blocks = ScalarPolicy.Build(5).Parameters;
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"params-{Guid.NewGuid():N}.json");
        TrainingCheckpoint.From(first, blocks).Save(path);
        var checkpoint = TrainingCheckpoint.Load(path);
        File.Delete(path);
        Assert.That(checkpoint.PooledBatches, Is.EqualTo(carried[split - 1]), "the checkpoint says how many batches to pool");
        var optimizer = options.CreateOptimizer(2);
        checkpoint.RestoreOptimizer(optimizer);
        var resumed = new Trainer(options, new SequentialRolloutExecutor(NewWorker(options)), checkpoint.FlatTheta(blocks), optimizer, checkpoint.Iteration, checkpoint.PooledBatches);
        var after = resumed.Train();
        Assert.That(after[0].GradientRollouts, Is.EqualTo(rollouts[split]), "the resumed iteration pools the re-run batches");
        Assert.That(after[0].GradientRollouts, Is.GreaterThan(options.Rollouts));
        Assert.That(resumed.Theta, Is.EqualTo(whole.Theta), "resume reproduces the uninterrupted run bit for bit");
    }

    [TestCase(0, OptimizerKind.TrustRegion, "PooledBatches must be ≥ 1")]
    [TestCase(2, OptimizerKind.Adam, "moves θ every iteration")]
    public void BadPools_AreClearErrors(int pooled, OptimizerKind optimizer, string message)
    {
        var options = new TrainingOptions { Rollouts = 10, PooledBatches = pooled, Optimizer = optimizer };
        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains(message));
    }

    [TestCase(3, 5)]   // more than PooledBatches − 1
    [TestCase(2, 1)]   // more than the completed iterations
    [TestCase(-1, 5)]
    public void CarriedBatches_OutOfRange_IsAClearError(int carried, int completed)
    {
        var options = new TrainingOptions { Rollouts = 4, PooledBatches = 3, Optimizer = OptimizerKind.TrustRegion, Schedule = LearningRateSchedule.Constant };
        Assert.That(() => new Trainer(options, new NeverExecutor(), [1.0, 0.0], completedIterations: completed, carriedBatches: carried),
            Throws.ArgumentException.With.Message.Contains("carried batches cannot be pooled"));
    }

    private sealed class NeverExecutor : IRolloutExecutor
    {
        public int WorkerCount => 1;
        public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests) => throw new InvalidOperationException("not run");
        public void Dispose() { }
    }

    private sealed class Recorder(IRolloutExecutor inner) : IRolloutExecutor
    {
        public List<IReadOnlyList<RolloutResult>> Results { get; } = [];
        public int WorkerCount => inner.WorkerCount;
        public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
        {
            var results = inner.Run(theta, requests);
            Results.Add(results);
            return results;
        }
        public void Dispose() => inner.Dispose();
    }
}
