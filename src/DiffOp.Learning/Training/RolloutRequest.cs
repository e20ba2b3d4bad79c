namespace DiffOp.Learning.Training;

/// <summary>What to run: the episode's seeds, and whether to explore (training) or act deterministically (evaluation).</summary>
/// <param name="Seed">Seed of the episode: the environment's Reset seed (initial state or scenario).</param>
/// <param name="Explore">True for training rollouts (truncated-Gaussian actions and a score), false for u = u*.</param>
/// <param name="NoiseSeed">Seed of the exploration noise; null derives it from <paramref name="Seed"/>.</param>
public sealed record RolloutRequest(int Seed, bool Explore, int? NoiseSeed = null)
{
    /// <summary>
    /// Antithetic partner: the same noise draws with the opposite sign (u = u* − ε instead of u* + ε). The truncated
    /// Gaussian is symmetric, so a mirrored rollout has the same distribution as a plain one.
    /// </summary>
    public bool Mirror { get; init; }

    /// <summary>
    /// Tangent-space exploration: Gaussian deviations (σ per direction, no truncation) only along the directions in which
    /// θ can move the plan, range ∂U*/∂θ, instead of in every action component (see <see cref="TrainingOptions.TangentExploration"/>).
    /// </summary>
    public bool Tangent { get; init; }

    /// <summary>Which per-stage quantities an exploring rollout also returns (see <see cref="RolloutDetail"/>).</summary>
    public RolloutDetail Detail { get; init; }
}

/// <summary>Extra outputs of an exploring rollout, computed from ∂u*_t/∂θ of each executed stage (one multi-right-hand-side KKT sweep per plan).</summary>
[Flags]
public enum RolloutDetail
{
    /// <summary>Only the total score (one vector–Jacobian product per plan).</summary>
    None = 0,
    /// <summary><see cref="RolloutResult.StageScores"/>: the score of each step, for the reward-to-go estimator.</summary>
    StageScores = 1,
    /// <summary><see cref="RolloutResult.Metric"/>: Σ_t (∂u*_t/∂θ)ᵀ(∂u*_t/∂θ), for the Fisher matrix of the natural gradient.</summary>
    Metric = 2,
}
