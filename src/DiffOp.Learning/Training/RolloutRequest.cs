namespace DiffOp.Learning.Training;

/// <summary>What to run: the episode's seeds, and whether to explore (training) or act deterministically (evaluation).</summary>
/// <param name="Seed">Seed of the episode: the environment's Reset seed (initial state or scenario).</param>
/// <param name="Explore">True for training rollouts (truncated-Gaussian actions and a score), false for u = u*.</param>
/// <param name="NoiseSeed">Seed of the exploration noise; null derives it from <paramref name="Seed"/>.</param>
public sealed record RolloutRequest(int Seed, bool Explore, int? NoiseSeed = null);
