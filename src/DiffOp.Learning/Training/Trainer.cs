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
    // Batches of the last iterations that left θ where it is, oldest first (TrainingOptions.PooledBatches).
    private readonly List<RolloutResult[]> _pool = [];
    private int _batchesToRebuild;

    /// <summary>Starts (or, with <paramref name="completedIterations"/> &gt; 0, resumes) training from θ.</summary>
    /// <param name="options">The run's settings.</param>
    /// <param name="executor">Runs the rollouts.</param>
    /// <param name="theta">θ to start (or resume) from.</param>
    /// <param name="optimizer">The optimizer with its state (resume), or null for a fresh one from the options.</param>
    /// <param name="completedIterations">Iterations done before (resume).</param>
    /// <param name="carriedBatches">
    /// Resume: <see cref="CarriedBatches"/> of the checkpoint. The first iteration runs those iterations' batches again at θ
    /// (the same seeds give the same results) to pool them as the uninterrupted run would have.
    /// </param>
    public Trainer(TrainingOptions options, IRolloutExecutor executor, double[] theta, ParameterOptimizer? optimizer = null, int completedIterations = 0, int carriedBatches = 0)
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
        if (executor is SequentialRolloutExecutor { Worker: var worker }) CheckAgreement(options, worker);
        _theta = (double[])theta.Clone();
        if (options.LogScalePositiveParameters && options.ParameterLowerBounds is null)
            throw new ArgumentException(
                "LogScalePositiveParameters updates the entries whose lower bound is ≥ 0 in log scale, but ParameterLowerBounds is not set: give the bounds (e.g. IPolicyModel.ParameterLowerBounds()).",
                nameof(options));
        Optimizer = optimizer ?? options.CreateOptimizer(theta.Length);
        if (Optimizer.Kind != options.Optimizer)
            throw new ArgumentException($"The optimizer passed in is {Optimizer.Kind}, but the options say {options.Optimizer}: create it with options.CreateOptimizer.", nameof(optimizer));
        var mask = options.LogScaleMask(theta.Length);
        bool sameMask = mask is null ? Optimizer.LogScale is null || !Optimizer.LogScale.Contains(true) : Optimizer.LogScale is { } given && given.SequenceEqual(mask);
        if (!sameMask)
            throw new ArgumentException("The optimizer passed in updates other entries in log scale than the options say: create it with options.CreateOptimizer.", nameof(optimizer));
        CompletedIterations = completedIterations;
        if (carriedBatches < 0 || carriedBatches > Math.Min(options.PooledBatches - 1, completedIterations))
            throw new ArgumentException(
                $"{carriedBatches} carried batches cannot be pooled: at most PooledBatches − 1 = {options.PooledBatches - 1} and at most the {completedIterations} completed iterations.",
                nameof(carriedBatches));
        _batchesToRebuild = carriedBatches;
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

    /// <summary>
    /// Batches of the last iterations, drawn at the current θ, that the next iteration pools with its own
    /// (<see cref="TrainingOptions.PooledBatches"/>); 0 after an iteration that moved θ. Saved in a checkpoint for resume.
    /// </summary>
    public int CarriedBatches => _batchesToRebuild > 0 ? _batchesToRebuild : _pool.Count;

    /// <summary>The current θ (a copy).</summary>
    public double[] Theta => (double[])_theta.Clone();

    /// <summary>Iterations in a row with every rollout dropped after which <see cref="Train"/> stops (θ can no longer change).</summary>
    public const int StallLimit = 5;

    /// <summary>
    /// Runs iterations until <see cref="TrainingOptions.Iterations"/> are complete (counting those done before a resume),
    /// calling <paramref name="onIteration"/> after each one (write metrics and checkpoints there). Returns the metrics
    /// of the iterations it ran.
    /// </summary>
    /// <exception cref="TrainingStalledException">
    /// Every rollout was dropped in <see cref="StallLimit"/> iterations in a row; the callback has seen the last one.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (between iterations).</exception>
    public IReadOnlyList<IterationMetrics> Train(Action<IterationMetrics>? onIteration = null, CancellationToken cancellationToken = default)
    {
        var all = new List<IterationMetrics>();
        while (CompletedIterations < Options.Iterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metrics = RunIteration();
            all.Add(metrics);
            onIteration?.Invoke(metrics);
            if (ConsecutiveAllDroppedIterations >= StallLimit)
                throw new TrainingStalledException(
                    $"Every rollout was dropped in {StallLimit} iterations in a row (the policy OCP failed to solve or was not differentiable at θ), " +
                    $"so θ cannot change any more; stopped at iteration {metrics.Iteration}. " +
                    "Use a smaller step (learning rate), a smaller σ, or gradient clipping.");
        }
        return all;
    }

    /// <summary>Runs the next iteration.</summary>
    public IterationMetrics RunIteration()
    {
        var clock = Stopwatch.StartNew();
        int iteration = CompletedIterations;
        var requests = TrainingBatch.ExploringRequests(Options, iteration, Optimizer.NeedsMetric).ToList();
        // The evaluation episodes run in the same batch (in parallel with the exploring rollouts) at the same θ.
        bool evaluate = Options.EvaluationEpisodes > 0 && iteration % Options.EvaluateEvery == 0;
        if (evaluate)
            requests.AddRange(Enumerable.Range(0, Options.EvaluationEpisodes).Select(e => new RolloutRequest(SeedSequence.Evaluation(e), Explore: false)));
        if (Options.Schedule == LearningRateSchedule.Cosine)
        {
            double progress = Math.Min(1.0, (double)iteration / Options.Iterations);
            Optimizer.RateScale = CosineFloor + ((1 - CosineFloor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
        }
        var all = _executor.Run(_theta, requests);
        var results = all.Take(Options.Rollouts).ToArray();
        var evaluation = all.Skip(Options.Rollouts).Where(r => !r.Dropped).ToArray();
        var kept = results.Where(r => !r.Dropped).ToArray();
        RebuildPool();
        _pool.Add(results);
        var pooled = _pool.Count == 1 ? results : _pool.SelectMany(b => b).ToArray();
        var pooledKept = _pool.Count == 1 ? kept : pooled.Where(r => !r.Dropped).ToArray();
        var gradient = TrainingBatch.Estimate(Options, pooled, _theta.Length);
        double norm = ParameterOptimizer.Norm(gradient);
        TrustRegionOutcome? trust = null;
        bool skipped;
        int clamped = 0;
        if (Optimizer.Kind == OptimizerKind.TrustRegion)
        {
            (trust, clamped) = kept.Length == 0 ? (null, 0) : TrustRegionStep(requests.Take(Options.Rollouts).ToArray(), results, pooled, gradient, MeanMetric(pooledKept));
            skipped = trust is not { Accepted: true };
        }
        else
        {
            skipped = kept.Length == 0 || !Optimizer.TryStep(_theta, gradient, Optimizer.NeedsMetric ? MeanMetric(kept) : []);
            clamped = skipped ? 0 : ProjectOntoBounds();
        }
        // θ moved: the batches were drawn elsewhere. Otherwise keep the newest PooledBatches − 1 for the next iteration.
        if (!skipped) _pool.Clear();
        while (_pool.Count > Options.PooledBatches - 1) _pool.RemoveAt(0);
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
            FallbackSteps = kept.Sum(r => r.FallbackSteps),
            Solves = all.Sum(r => r.Solves),
            TrustRatio = trust?.Ratio ?? double.NaN,
            TrustRadius = trust?.Radius ?? double.NaN,
            GradientRollouts = pooledKept.Length,
        };
    }

    /// <summary>
    /// The trust-region rule's iteration: propose a step from ĝ and G, run the same exploring requests (seeds, noise,
    /// mirroring; the first <see cref="TrainingOptions.CandidateTestRollouts"/> of them) at the candidate, and give the optimizer the mean paired cost decrease (common random numbers) and the
    /// candidate's ĝ from the same samples. θ moves only when the optimizer accepts. Null outcome: no proposal was possible.
    /// </summary>
    /// <param name="requests">This iteration's exploring requests.</param>
    /// <param name="current">Their results.</param>
    /// <param name="pooled">The results ĝ came from: <paramref name="current"/> after the batches pooled from earlier iterations at θ.</param>
    /// <param name="gradient">ĝ from <paramref name="pooled"/>.</param>
    /// <param name="metric">G from <paramref name="pooled"/>.</param>
    private (TrustRegionOutcome? Outcome, int Clamped) TrustRegionStep(RolloutRequest[] requests, RolloutResult[] current, RolloutResult[] pooled, double[] gradient, double[] metric)
    {
        var proposal = Optimizer.ProposeTrustRegionStep(_theta, gradient, metric, Options.ParameterLowerBounds,
            TrainingBatch.LeaveOneGroupOut(Options, pooled, _theta.Length));
        if (proposal is null) return (null, 0);
        if (!(proposal.PredictedDecrease > 0)) return (Optimizer.ConcludeTrustRegionStep(proposal, double.NaN, []), 0);
        // The first CandidateTestRollouts requests (whole start blocks / pairs) again at the candidate: the same seeds, noise and
        // mirroring, so the paired differences measure the step and not the scenarios.
        int tested = Math.Min(Options.CandidateTestRollouts, requests.Length);
        var again = requests.Take(tested).Select(r => r with { Detail = r.Detail & ~RolloutDetail.Metric }).ToArray();
        var candidate = _executor.Run(proposal.Candidate, again).ToArray();
        double decrease = 0;
        int pairs = 0, lost = 0;
        for (int i = 0; i < tested; i++)
        {
            if (current[i].Dropped) continue;
            if (candidate[i].Dropped) { lost++; continue; }
            decrease += current[i].Cost - candidate[i].Cost;
            pairs++;
        }
        // A candidate at which the policy fails where it solved at θ is rejected: its cost there is unknown.
        double measured = pairs > 0 && lost == 0 ? decrease / pairs : double.NaN;
        var sameSamples = current.Take(tested).ToArray();
        bool complete = sameSamples.All(r => !r.Dropped) && candidate.All(r => !r.Dropped);
        var candidateGradient = complete ? TrainingBatch.Estimate(Options, candidate, _theta.Length) : [];
        // The curvature pair compares estimates from the same samples: with a partial test, ĝ at θ from those samples only.
        var gradientOnSameSamples = complete && (tested < current.Length || pooled.Length > current.Length) ? TrainingBatch.Estimate(Options, sameSamples, _theta.Length) : [];
        var outcome = Optimizer.ConcludeTrustRegionStep(proposal, measured, candidateGradient, gradientOnSameSamples);
        if (!outcome.Accepted) return (outcome, 0);
        proposal.Candidate.CopyTo(_theta, 0);
        return (outcome, proposal.ClampedParameters);
    }

    /// <summary>
    /// After a resume: runs the exploring batches of the <see cref="CarriedBatches"/> iterations before this one again at θ
    /// (their seeds give the results the uninterrupted run pooled) and pools them.
    /// </summary>
    private void RebuildPool()
    {
        if (_batchesToRebuild == 0) return;
        for (int iteration = CompletedIterations - _batchesToRebuild; iteration < CompletedIterations; iteration++)
            _pool.Add(_executor.Run(_theta, TrainingBatch.ExploringRequests(Options, iteration, Optimizer.NeedsMetric).ToArray()).ToArray());
        _batchesToRebuild = 0;
    }

    /// <summary>The cosine schedule's final fraction of η.</summary>
    private const double CosineFloor = 0.05;

    /// <summary>G = Σ_n Σ_t J_tᵀJ_t / Σ_n T_n over the kept rollouts: the mean per-step metric of the planned actions.</summary>
    private double[] MeanMetric(RolloutResult[] kept)
    {
        int d = _theta.Length;
        var metric = new double[d * d];
        long steps = 0;
        foreach (var r in kept)
        {
            if (r.Metric is not { } m || m.Length != d * d)
                throw new InvalidOperationException($"Rollout {r.Seed} came back without its metric: the rollout executor must pass RolloutRequest.Detail on.");
            for (int i = 0; i < metric.Length; i++) metric[i] += m[i];
            steps += r.Steps;
        }
        if (steps > 0)
            for (int i = 0; i < metric.Length; i++) metric[i] /= steps;
        return metric;
    }

    /// <summary>The worker of a sequential executor must act as the options say (one source of truth for mode, σ and β).</summary>
    private static void CheckAgreement(TrainingOptions options, RolloutWorker worker)
    {
        if (worker.Policy.Mode != options.Mode)
            throw new ArgumentException($"The options say {options.Mode} mode but the rollout worker's policy acts in {worker.Policy.Mode} mode: build both from the same settings.", nameof(options));
        if (worker.Exploration.Sigma != options.Sigma || !worker.Exploration.Beta.Equals(options.Beta))
            throw new ArgumentException(
                $"The options say σ = {options.Sigma}, β = {options.Beta} but the rollout worker explores with σ = {worker.Exploration.Sigma}, β = {worker.Exploration.Beta}: build both from the same settings.",
                nameof(options));
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
