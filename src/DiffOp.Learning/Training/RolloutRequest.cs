namespace DiffOp.Learning.Training;

/// <summary>What to run: θ, the rollout seed, and whether to explore (training) or act deterministically (evaluation).</summary>
/// <param name="Seed">Seed of the episode: the environment's Reset seed and the exploration noise.</param>
/// <param name="Explore">True for training rollouts (truncated-Gaussian actions and a score), false for u = u*.</param>
public sealed record RolloutRequest(int Seed, bool Explore);
