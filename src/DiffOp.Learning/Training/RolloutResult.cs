namespace DiffOp.Learning.Training;

/// <summary>
/// One episode: its true cost L(τ) = Σ_t c_t, its score Σ_t (u_t − u*_t)ᵀ∂u*_t/∂θ / σ² (zero for deterministic
/// evaluation), and bookkeeping. <see cref="Dropped"/> rollouts (a policy solve failed) take no part in the gradient.
/// </summary>
public sealed record RolloutResult
{
    /// <summary>The rollout's seed (initial state and exploration noise derive from it).</summary>
    public required int Seed { get; init; }
    /// <summary>L(τ).</summary>
    public required double Cost { get; init; }
    /// <summary>The score vector (length d).</summary>
    public required double[] Score { get; init; }
    /// <summary>Steps taken.</summary>
    public required int Steps { get; init; }
    /// <summary>
    /// Steps at which the policy's plan failed to solve and <see cref="Policies.OptimizationPolicy.FallbackControl"/> acted
    /// instead (no exploration and no score at those steps). Only a failure of the episode's first plan drops the rollout.
    /// </summary>
    public int FallbackSteps { get; init; }
    /// <summary>True when the episode's first plan failed to solve, or a plan was not differentiable: the rollout is excluded from the gradient and counted.</summary>
    public required bool Dropped { get; init; }
    /// <summary>True when the simulator reported a failure (e.g. no power-flow solution); the cost holds its penalty.</summary>
    public bool SimulatorFailed { get; init; }
    /// <summary>Seconds spent in OCP solves.</summary>
    public double ForwardSeconds { get; init; }
    /// <summary>Seconds spent in sensitivities.</summary>
    public double BackwardSeconds { get; init; }
    /// <summary>Number of OCP solves.</summary>
    public int Solves { get; init; }
    /// <summary>The true stage cost c_t of each step taken (length <see cref="Steps"/>; L(τ) is their sum).</summary>
    public double[] StageCosts { get; init; } = [];
    /// <summary>
    /// With <see cref="RolloutDetail.StageScores"/>: the score of each step, s_t = (u_t − u*_t)ᵀ∂u*_t/∂θ / σ², row-major
    /// <see cref="Steps"/> × d (their sum is <see cref="Score"/>); otherwise null.
    /// </summary>
    public double[]? StageScores { get; init; }
    /// <summary>
    /// With <see cref="RolloutDetail.Metric"/>: Σ_t (∂u*_t/∂θ)ᵀ(∂u*_t/∂θ) over the steps taken, row-major d × d. Divided by
    /// σ² and averaged over rollouts it is the Fisher matrix of the Gaussian exploration policy; otherwise null.
    /// </summary>
    public double[]? Metric { get; init; }
}
