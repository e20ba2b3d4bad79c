namespace DiffOp.Learning.Training;

/// <summary>What one training iteration did (one row of metrics.csv).</summary>
/// <param name="Iteration">1-based iteration number.</param>
/// <param name="MeanCost">Mean episode cost L(τ) over kept rollouts (NaN when none was kept).</param>
/// <param name="MinCost">Smallest kept episode cost.</param>
/// <param name="MaxCost">Largest kept episode cost.</param>
/// <param name="GradientNorm">‖ĝ‖.</param>
/// <param name="DroppedRollouts">Rollouts dropped because a policy solve failed or its solution was not differentiable.</param>
/// <param name="SimulatorFailures">Rollouts whose simulator reported a failure (cost holds the penalty).</param>
/// <param name="UpdateSkipped">True when θ was left unchanged (non-finite ĝ, every rollout dropped, or a trust-region step rejected).</param>
/// <param name="ForwardSeconds">Seconds in OCP solves (summed over rollouts).</param>
/// <param name="BackwardSeconds">Seconds in sensitivities (summed over rollouts).</param>
/// <param name="WallSeconds">Wall time of the iteration.</param>
public sealed record IterationMetrics(
    int Iteration, double MeanCost, double MinCost, double MaxCost, double GradientNorm, int DroppedRollouts,
    int SimulatorFailures, bool UpdateSkipped, double ForwardSeconds, double BackwardSeconds, double WallSeconds)
{
    /// <summary>Entries of θ the update pushed below their lower bounds and the projection put back on them.</summary>
    public int ClampedParameters { get; init; }

    /// <summary>
    /// Mean cost of the fixed deterministic evaluation episodes at this iteration's θ (before its update); NaN when the
    /// iteration did not evaluate (see <see cref="TrainingOptions.EvaluationEpisodes"/>) or every such episode failed.
    /// </summary>
    public double EvaluationCost { get; init; } = double.NaN;

    /// <summary>Evaluation episodes whose policy solve failed (not in <see cref="EvaluationCost"/>).</summary>
    public int EvaluationDropped { get; init; }

    /// <summary>OCP solves in this iteration's rollouts (exploring and evaluation).</summary>
    public int Solves { get; init; }

    /// <summary>Steps of the kept exploring rollouts at which a plan failed and the fallback control acted (<see cref="RolloutResult.FallbackSteps"/>).</summary>
    public int FallbackSteps { get; init; }

    /// <summary>
    /// Trust-region rule: ρ, the measured decrease at the candidate over the model's predicted decrease (the step is taken
    /// when ρ ≥ 0.1; <see cref="UpdateSkipped"/> is true when it is not). NaN for the other rules or when nothing was measured.
    /// </summary>
    public double TrustRatio { get; init; } = double.NaN;

    /// <summary>Trust-region rule: the radius Δ after this iteration (RMS change of the planned actions); NaN for the other rules.</summary>
    public double TrustRadius { get; init; } = double.NaN;

    /// <summary>
    /// Kept rollouts ĝ was formed from: this iteration's, plus those pooled from the iterations before it at the same θ
    /// (<see cref="TrainingOptions.PooledBatches"/>).
    /// </summary>
    public int GradientRollouts { get; init; }
}
