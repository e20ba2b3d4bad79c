using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>
/// <see cref="TrainingOptions.CandidateTestFraction"/>: the trust-region rule runs only the first whole start blocks of a
/// batch again at its candidate, and its curvature pair compares estimates from exactly those rollouts.
/// </summary>
public class CandidateTestFractionTests
{
    [TestCase(100, 4, true, 0.5, 48)]    // voltage Step: blocks of two antithetic pairs
    [TestCase(100, 0, true, 0.5, 50)]    // antithetic pairs
    [TestCase(100, 0, false, 0.25, 25)]
    [TestCase(100, 4, true, 1.0, 100)]
    [TestCase(100, 4, true, 0.01, 4)]    // at least one block
    [TestCase(10, 0, true, 0.3, 2)]
    public void CandidateTestRollouts_IsWholeGroupsNearTheFraction(int rollouts, int perStart, bool antithetic, double fraction, int expected)
    {
        var options = new TrainingOptions
        {
            Rollouts = rollouts, RolloutsPerStart = perStart, Antithetic = antithetic, CandidateTestFraction = fraction,
            Optimizer = OptimizerKind.TrustRegion, Estimator = GradientEstimatorKind.RewardToGo,
        };
        options.Validate();
        Assert.That(options.CandidateTestRollouts, Is.EqualTo(expected));
    }

    [TestCase(0.0, OptimizerKind.TrustRegion, "must be in (0, 1]")]
    [TestCase(1.5, OptimizerKind.TrustRegion, "must be in (0, 1]")]
    [TestCase(double.NaN, OptimizerKind.TrustRegion, "must be in (0, 1]")]
    [TestCase(0.5, OptimizerKind.Adam, "tests no candidate")]
    public void BadFractions_AreClearErrors(double fraction, OptimizerKind optimizer, string message)
    {
        var options = new TrainingOptions { Rollouts = 10, CandidateTestFraction = fraction, Optimizer = optimizer };
        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains(message));
    }

    [Test]
    public void CurvaturePair_UsesTheGradientOnTheSameSamples()
    {
        double[] metric = [1, 0, 0, 1];
        var optimizer = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 0.5);
        double[] theta = [1, 1];
        var proposal = optimizer.ProposeTrustRegionStep(theta, [2.0, -1.0], metric, null)!;
        double[] atCandidate = [1.5, 0.4], sameSamples = [2.4, -1.3];   // the subset's ĝ at θ differs from the batch's
        var model = proposal.Model.Length > 0 ? proposal.Model : optimizer.Hessian;
        optimizer.ConcludeTrustRegionStep(proposal, double.NaN, atCandidate, sameSamples);   // rejected: no halving of B
        var s = proposal.Step;
        double[] y = [atCandidate[0] - sameSamples[0], atCandidate[1] - sameSamples[1]];
        double sy = (s[0] * y[0]) + (s[1] * y[1]);
        double sBs = (s[0] * ((model[0] * s[0]) + (model[1] * s[1]))) + (s[1] * ((model[2] * s[0]) + (model[3] * s[1])));
        Assert.That(sy, Is.GreaterThanOrEqualTo(0.2 * sBs), "the data keep Powell's damping inactive, so B₊s = y exactly");
        var b = optimizer.Hessian;
        Assert.That((b[0] * s[0]) + (b[1] * s[1]), Is.EqualTo(y[0]).Within(1e-12));
        Assert.That((b[2] * s[0]) + (b[3] * s[1]), Is.EqualTo(y[1]).Within(1e-12));
        var other = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 0.5);
        var again = other.ProposeTrustRegionStep(theta, [2.0, -1.0], metric, null)!;
        Assert.That(() => other.ConcludeTrustRegionStep(again, double.NaN, atCandidate, [1.0]),
            Throws.ArgumentException.With.Message.Contains("same samples has length 1"));
    }

    [Test]
    [Category("Native")]
    public void Trainer_RunsTheFirstBlocksAgain_WithTheirSeedsAndMirroring()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var options = TrainingOptions.Recommended(PolicyMode.Traj, 0.2, 0.05) with
        {
            Iterations = 4, Rollouts = 8, Seed = 3, Optimizer = OptimizerKind.TrustRegion, Schedule = LearningRateSchedule.Constant, TrustRadius = 0.05,
            CandidateTestFraction = 0.5,
        };
        var worker = new RolloutWorker(new ScalarEnvironment(5, fixedStart: null, controlWeight: 0.2),
            new OptimizationPolicy(ScalarPolicy.Build(5), PolicyMode.Traj), new TruncatedGaussianExploration(options.Sigma, options.Beta));
        var recorder = new Recorder(new SequentialRolloutExecutor(worker));
        var trainer = new Trainer(options, recorder, [1.0, 0.0]);
        int tested = 0;
        for (int k = 0; k < options.Iterations; k++)
        {
            int before = recorder.Batches.Count;
            var metrics = trainer.RunIteration();
            var batches = recorder.Batches.Skip(before).ToArray();
            if (batches.Length == 1) { Assert.That(metrics.TrustRatio, Is.NaN, "no candidate tested"); continue; }
            tested++;
            Assert.That(batches, Has.Length.EqualTo(2));
            var first = batches[0].Take(options.Rollouts).ToArray();
            Assert.That(batches[1], Has.Count.EqualTo(4), "half of N = 8: two antithetic pairs");
            Assert.That(batches[1].Select(r => (r.Seed, r.NoiseSeed, r.Mirror, r.Tangent)), Is.EqualTo(first.Take(4).Select(r => (r.Seed, r.NoiseSeed, r.Mirror, r.Tangent))),
                "the first pairs again: common random numbers");
        }
        Assert.That(tested, Is.GreaterThan(0), "some iteration tested a candidate");
    }

    private sealed class Recorder(IRolloutExecutor inner) : IRolloutExecutor
    {
        public List<IReadOnlyList<RolloutRequest>> Batches { get; } = [];
        public int WorkerCount => inner.WorkerCount;
        public IReadOnlyList<RolloutResult> Run(double[] theta, IReadOnlyList<RolloutRequest> requests)
        {
            Batches.Add([.. requests]);
            return inner.Run(theta, requests);
        }
        public void Dispose() => inner.Dispose();
    }
}
