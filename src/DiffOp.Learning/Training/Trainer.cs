using System.Diagnostics;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;

namespace DiffOp.Learning.Training;

/// <summary>
/// DiffOP training (paper Algorithm 1): each iteration runs N exploring rollouts at the current θ, forms ĝ with the
/// chosen estimator and applies the optimizer. θ never becomes non-finite; an iteration whose rollouts all fail
/// or whose ĝ is not finite leaves θ unchanged and says so in its metrics. Results depend only on the options and
/// the seed, not on the executor's worker count.
/// </summary>
public sealed class Trainer
{
    private readonly IRolloutExecutor _executor;
    private readonly double[] _theta;

    /// <summary>Starts (or, with <paramref name="completedIterations"/> &gt; 0, resumes) training from θ.</summary>
    public Trainer(TrainingOptions options, IRolloutExecutor executor, double[] theta, ParameterOptimizer? optimizer = null, int completedIterations = 0)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        ArgumentNullException.ThrowIfNull(theta);
        for (int i = 0; i < theta.Length; i++)
        {
            if (!double.IsFinite(theta[i])) throw new ArgumentException($"The initial θ has a non-finite entry {theta[i]} at index {i}.", nameof(theta));
        }
        if (options.ParameterLowerBounds is { } bounds)
        {
            if (bounds.Count != theta.Length)
                throw new ArgumentException($"ParameterLowerBounds has {bounds.Count} entries; θ has {theta.Length}.", nameof(options));
            for (int i = 0; i < theta.Length; i++)
            {
                if (theta[i] < bounds[i])
                    throw new ArgumentException($"The initial θ[{i}] = {theta[i]} is below its lower bound {bounds[i]}: start from a θ inside the bounds (e.g. a smaller initial spread).", nameof(theta));
            }
        }
        _theta = (double[])theta.Clone();
        Optimizer = optimizer ?? new ParameterOptimizer(options.Optimizer, options.LearningRate, theta.Length, options.GradientClipNorm);
        CompletedIterations = completedIterations;
    }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The update rule and its state.</summary>
    public ParameterOptimizer Optimizer { get; }

    /// <summary>Iterations done so far.</summary>
    public int CompletedIterations { get; private set; }

    /// <summary>
    /// Iterations in a row, up to the last one, in which every exploring rollout was dropped: θ cannot move while this
    /// grows, so a caller should stop (the CLI does at 5) and tell the user to change the settings.
    /// </summary>
    public int ConsecutiveAllDroppedIterations { get; private set; }

    /// <summary>The current θ (a copy).</summary>
    public double[] Theta => (double[])_theta.Clone();

    /// <summary>Runs the next iteration.</summary>
    public IterationMetrics RunIteration()
    {
        var clock = Stopwatch.StartNew();
        int iteration = CompletedIterations;
        var requests = Enumerable.Range(0, Options.Rollouts).Select(k =>
        {
            int seed = SeedSequence.Rollout(Options.Seed, iteration, k);
            return Options.SharedInitialState
                ? new RolloutRequest(SeedSequence.Rollout(Options.Seed, iteration, 0), Explore: true, NoiseSeed: SeedSequence.Noise(seed))
                : new RolloutRequest(seed, Explore: true);
        }).ToList();
        // The evaluation episodes run in the same batch (in parallel with the exploring rollouts) at the same θ.
        bool evaluate = Options.EvaluationEpisodes > 0 && iteration % Options.EvaluateEvery == 0;
        if (evaluate)
            requests.AddRange(Enumerable.Range(0, Options.EvaluationEpisodes).Select(e => new RolloutRequest(SeedSequence.Evaluation(e), Explore: false)));
        var all = _executor.Run(_theta, requests);
        var results = all.Take(Options.Rollouts).ToArray();
        var evaluation = all.Skip(Options.Rollouts).Where(r => !r.Dropped).ToArray();
        var kept = results.Where(r => !r.Dropped).ToArray();
        var gradient = GradientEstimator.Estimate(Options.Estimator, results, _theta.Length);
        double norm = ParameterOptimizer.Norm(gradient);
        bool skipped = kept.Length == 0 || !Optimizer.TryStep(_theta, gradient);
        int clamped = skipped ? 0 : ProjectOntoBounds();
        ConsecutiveAllDroppedIterations = kept.Length == 0 ? ConsecutiveAllDroppedIterations + 1 : 0;
        CompletedIterations++;
        return new IterationMetrics(
            CompletedIterations,
            kept.Length > 0 ? kept.Average(r => r.Cost) : double.NaN,
            kept.Length > 0 ? kept.Min(r => r.Cost) : double.NaN,
            kept.Length > 0 ? kept.Max(r => r.Cost) : double.NaN,
            norm, results.Count(r => r.Dropped), results.Count(r => r.SimulatorFailed), skipped,
            results.Sum(r => r.ForwardSeconds), results.Sum(r => r.BackwardSeconds), clock.Elapsed.TotalSeconds)
        {
            ClampedParameters = clamped,
            EvaluationCost = evaluation.Length > 0 ? evaluation.Average(r => r.Cost) : double.NaN,
            EvaluationDropped = evaluate ? Options.EvaluationEpisodes - evaluation.Length : 0,
        };
    }

    /// <summary>Projects θ onto its lower bounds (the Euclidean projection onto a box is a clamp); returns how many entries moved.</summary>
    private int ProjectOntoBounds()
    {
        if (Options.ParameterLowerBounds is not { } bounds) return 0;
        int moved = 0;
        for (int i = 0; i < _theta.Length; i++)
        {
            if (_theta[i] < bounds[i]) { _theta[i] = bounds[i]; moved++; }
        }
        return moved;
    }
}
