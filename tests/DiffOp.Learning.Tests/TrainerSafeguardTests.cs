using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>Parameter bounds, evaluation episodes, dropped non-differentiable plans and the stall counter.</summary>
public class TrainerSafeguardTests
{
    private static TrainingOptions Sgd(int rollouts = 4) => new()
    {
        Rollouts = rollouts, Sigma = 1, Beta = double.PositiveInfinity, LearningRate = 0.1, Optimizer = OptimizerKind.Sgd, Seed = 3,
    };

    [Test]
    public void Update_BelowLowerBound_IsProjectedOntoIt_AndCounted()
    {
        // Every rollout: cost 1, score (100, −1) → ĝ = (100, −1); SGD η = 0.1 → θ = (1 − 10, 0 + 0.1).
        var executor = new ScriptedExecutor((_, _) => (1.0, [100.0, -1.0]));
        var trainer = new Trainer(Sgd() with { ParameterLowerBounds = [0.5, double.NegativeInfinity] }, executor, [1.0, 0.0]);
        var metrics = trainer.RunIteration();
        Assert.That(trainer.Theta, Is.EqualTo(new[] { 0.5, 0.1 }).Within(1e-12), "θ₀ clamped to its bound, θ₁ free");
        Assert.That(metrics.ClampedParameters, Is.EqualTo(1));

        var unbounded = new Trainer(Sgd(), new ScriptedExecutor((_, _) => (1.0, [100.0, -1.0])), [1.0, 0.0]);
        unbounded.RunIteration();
        Assert.That(unbounded.Theta[0], Is.EqualTo(-9.0).Within(1e-12), "without bounds the same step goes to −9");
    }

    [Test]
    public void LowerBounds_AreValidated()
    {
        var executor = new ScriptedExecutor((_, _) => (1.0, [0.0, 0.0]));
        Assert.That(() => new Trainer(Sgd() with { ParameterLowerBounds = [0.0] }, executor, [1.0, 0.0]),
            Throws.ArgumentException.With.Message.Contains("1 entries; θ has 2"));
        Assert.That(() => new Trainer(Sgd() with { ParameterLowerBounds = [2.0, 0.0] }, executor, [1.0, 0.0]),
            Throws.ArgumentException.With.Message.Contains("θ[0] = 1 is below its lower bound 2"));
        Assert.That(() => (Sgd() with { ParameterLowerBounds = [double.NaN, 0.0] }).Validate(),
            Throws.ArgumentException.With.Message.Contains("ParameterLowerBounds[0]"));
    }

    [Test]
    public void EvaluationEpisodes_RunDeterministically_OnFixedSeeds_AndDoNotEnterTheGradient()
    {
        // Exploring rollouts: cost 1, score (1, 0). Evaluation episodes: cost = seed offset, a huge score that would
        // wreck θ if it entered ĝ.
        static (double, double[]) Script(RolloutRequest r, int _) =>
            r.Explore ? (1.0, [1.0, 0.0]) : (r.Seed - SeedSequence.EvaluationBase, [1e6, 1e6]);
        var executor = new ScriptedExecutor(Script);
        var options = Sgd() with { EvaluationEpisodes = 3, EvaluateEvery = 2 };
        var trainer = new Trainer(options, executor, [1.0, 0.0]);
        var first = trainer.RunIteration();
        var second = trainer.RunIteration();
        var third = trainer.RunIteration();

        var batch = executor.Batches[0];
        Assert.That(batch, Has.Count.EqualTo(4 + 3));
        Assert.That(batch.Take(4).All(r => r.Explore), Is.True);
        Assert.That(batch.Skip(4).Select(r => (r.Seed, r.Explore)), Is.EqualTo(new[]
        {
            (SeedSequence.Evaluation(0), false), (SeedSequence.Evaluation(1), false), (SeedSequence.Evaluation(2), false),
        }));
        Assert.That(executor.Batches[1], Has.Count.EqualTo(4), "iteration 2 does not evaluate (every 2)");
        Assert.That(executor.Batches[2], Has.Count.EqualTo(7), "iteration 3 does");
        Assert.That(first.EvaluationCost, Is.EqualTo(1.0).Within(1e-15), "mean of costs 0, 1, 2");
        Assert.That(second.EvaluationCost, Is.NaN);
        Assert.That(third.EvaluationCost, Is.EqualTo(1.0).Within(1e-15));
        Assert.That(trainer.Theta, Is.EqualTo(new[] { 1.0 - 3 * 0.1, 0.0 }).Within(1e-12), "ĝ = (1, 0) in every iteration");
    }

    [Test]
    public void ConsecutiveAllDroppedIterations_CountsAndResets()
    {
        bool fail = true;
        var executor = new ScriptedExecutor((_, _) => fail ? (double.NaN, [0.0, 0.0]) : (1.0, [0.0, 0.0]));
        var trainer = new Trainer(Sgd(), executor, [1.0, 0.0]);
        trainer.RunIteration();
        trainer.RunIteration();
        Assert.That(trainer.ConsecutiveAllDroppedIterations, Is.EqualTo(2));
        fail = false;
        trainer.RunIteration();
        Assert.That(trainer.ConsecutiveAllDroppedIterations, Is.Zero);
    }

    [Test]
    [Category("Native")]
    public void Rollout_WhosePlanIsNotDifferentiable_IsDropped_NotThrown()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        // u₁ has no effect and, with θ₂ = 0, no curvature: the solve succeeds (u₁ = 0 is optimal) but ∂u*/∂θ does not exist.
        using var worker = new RolloutWorker(new TwoControlEnvironment(),
            new OptimizationPolicy(IdleControlPolicy(), PolicyMode.Traj), new TruncatedGaussianExploration(0.1, double.PositiveInfinity));
        var singular = worker.Run([1.0, 0.0], new RolloutRequest(1, Explore: true));
        Assert.That(singular.Dropped, Is.True);
        Assert.That(singular.Cost, Is.NaN);
        var regular = worker.Run([1.0, 1.0], new RolloutRequest(1, Explore: true));
        Assert.That(regular.Dropped, Is.False, "with curvature on u₁ the same rollout is kept");
        Assert.That(regular.Score.All(double.IsFinite), Is.True);
    }

    private static Ocp IdleControlPolicy()
    {
        var b = new OcpBuilder("idle_control", 1, 2, 3);
        var th = b.AddParameter("theta", [1.0, 1.0]);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(0.5 * th[0] * Sx.Sqr(b.Control[0]) + 0.5 * th[1] * Sx.Sqr(b.Control[1]) + 0.5 * Sx.Sqr(b.State[0] - 1));
        b.SetTerminalCost(0.5 * Sx.Sqr(b.State[0] - 1));
        return b.Build();
    }

    private sealed class TwoControlEnvironment : IEnvironment
    {
        private double _x;
        public string Name => "two-control";
        public int StateCount => 1;
        public int ControlCount => 2;
        public int EpisodeLength => 3;
        public void Reset(int seed, Span<double> state) => state[0] = _x = 0;
        public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
        {
            _x += control[0];
            nextState[0] = _x;
            return new StepResult((_x - 1) * (_x - 1), Done: false, Failed: false);
        }
    }

    /// <summary>Answers each request from a script (cost, score); a NaN cost means the rollout was dropped.</summary>
    private sealed class ScriptedExecutor(Func<RolloutRequest, int, (double Cost, double[] Score)> script) : IRolloutExecutor
    {
        public List<IReadOnlyList<RolloutRequest>> Batches { get; } = [];
        public int WorkerCount => 1;
        public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
        {
            Batches.Add([.. requests]);
            return requests.Select((r, i) =>
            {
                var (cost, score) = script(r, i);
                return new RolloutResult { Seed = r.Seed, Cost = cost, Score = score, Steps = 1, Dropped = double.IsNaN(cost) };
            }).ToArray();
        }
        public void Dispose() { }
    }
}

/// <summary>metrics.csv columns read back by name.</summary>
public class MetricsCsvTests
{
    [Test]
    public void ReadColumn_FindsColumnsByHeader_OldFilesGiveNaN_BadRowsNameTheLine()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"metrics-{Guid.NewGuid():N}.csv");
        MetricsCsvWriter.Append(path, new IterationMetrics(1, 5.0, 4, 6, 1, 0, 0, false, 0.1, 0.01, 0.2) { EvaluationCost = 3.5 });
        MetricsCsvWriter.Append(path, new IterationMetrics(2, 4.0, 3, 5, 1, 0, 0, false, 0.1, 0.01, 0.2));
        Assert.That(MetricsCsvWriter.ReadColumn(path, "eval_cost")[0], Is.EqualTo((1, 3.5)));
        Assert.That(MetricsCsvWriter.ReadColumn(path, "eval_cost")[1].Value, Is.NaN, "not evaluated in iteration 2");
        Assert.That(MetricsCsvWriter.ReadMeanCosts(path).Select(p => p.MeanCost), Is.EqualTo(new[] { 5.0, 4.0 }));
        Assert.That(MetricsCsvWriter.ReadColumn(path, "no_such_column").All(p => double.IsNaN(p.Value)), Is.True);

        File.WriteAllText(path, "iteration,mean_cost\n1,2.5\n2,oops\n");
        Assert.That(() => MetricsCsvWriter.ReadColumn(path, "mean_cost"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("line 3"));
        File.WriteAllText(path, "mean_cost\n1\n");
        Assert.That(() => MetricsCsvWriter.ReadColumn(path, "mean_cost"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("no 'iteration' column"));
        File.Delete(path);
    }
}
