namespace DiffOp.Learning.Training;

/// <summary>
/// Derives independent seeds from the run seed with SplitMix64, so that every rollout's randomness depends only on
/// (run seed, iteration, rollout index) — never on how rollouts are spread over workers.
/// </summary>
public static class SeedSequence
{
    /// <summary>The seed of rollout <paramref name="rollout"/> of iteration <paramref name="iteration"/>.</summary>
    public static int Rollout(int runSeed, int iteration, int rollout) =>
        ToSeed(Mix(Mix(Mix((ulong)(uint)runSeed) ^ (ulong)(uint)iteration) ^ (ulong)(uint)rollout));

    /// <summary>The exploration-noise seed of an episode, distinct from its environment seed.</summary>
    public static int Noise(int rolloutSeed) => ToSeed(Mix((ulong)(uint)rolloutSeed ^ 0x9E3779B97F4A7C15UL));

    /// <summary>First seed of the fixed evaluation episodes (deterministic u = u*), shared by every run and iteration.</summary>
    public const int EvaluationBase = 1_000_000;

    /// <summary>The seed of fixed evaluation episode <paramref name="episode"/> (the same for every run seed, so runs compare).</summary>
    public static int Evaluation(int episode) => EvaluationBase + episode;

    /// <summary>A seed for drawing the initial θ.</summary>
    public static int Parameters(int runSeed) => ToSeed(Mix((ulong)(uint)runSeed ^ 0xD1B54A32D192ED03UL));

    private static int ToSeed(ulong x) => (int)(x & 0x7FFFFFFF);

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
