using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Algorithms;

/// <summary>
/// Records transitions (x, u, x₊) of the true system for <see cref="SystemIdentification"/>: episodes of a deterministic
/// policy with independent Gaussian excitation N(0, σ²) added to every action: as many episodes, of the same kind, as a
/// DiffOP run of that budget sees (not the same starts: episode e uses the seed of iteration e, rollout 0).
/// </summary>
public static class TransitionRecorder
{
    /// <summary>
    /// Runs <paramref name="episodes"/> episodes; episode e starts from the environment's reset with seed
    /// <see cref="SeedSequence.Rollout"/>(runSeed, e, 0) and draws its excitation from <see cref="SeedSequence.Noise"/> of that
    /// seed. An episode ends early when the simulator fails (that step is not recorded).
    /// </summary>
    /// <param name="environment">The true system.</param>
    /// <param name="policy">The deterministic policy that drives the system (e.g. at the initial θ).</param>
    /// <param name="episodes">Number of episodes (≥ 1).</param>
    /// <param name="sigma">Standard deviation of the excitation, in the controls' units (≥ 0).</param>
    /// <param name="runSeed">The run's seed.</param>
    /// <param name="onEpisode">Optional progress hook, called with the number of finished episodes.</param>
    /// <exception cref="ArgumentException">A count or σ is out of range.</exception>
    public static List<Transition> Record(IEnvironment environment, FeedbackPolicy policy, int episodes, double sigma, int runSeed, Action<int>? onEpisode = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        if (episodes < 1) throw new ArgumentException($"Record at least 1 episode, got {episodes}.", nameof(episodes));
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentException($"The excitation σ must be finite and ≥ 0, got {sigma}.", nameof(sigma));
        var data = new List<Transition>();
        int n = environment.StateCount, m = environment.ControlCount;
        for (int e = 0; e < episodes; e++)
        {
            int seed = SeedSequence.Rollout(runSeed, e, 0);
            var noise = new Random(SeedSequence.Noise(seed));
            var x = new double[n];
            environment.Reset(seed, x);
            policy.Reset();
            for (int t = 0; t < environment.EpisodeLength; t++)
            {
                var u = new double[m];
                policy.Act(x, u);
                for (int j = 0; j < m; j++) u[j] += sigma * Gaussian(noise);
                var next = new double[n];
                var step = environment.Step(u, next);
                if (step.Failed || !next.All(double.IsFinite)) break;
                data.Add(new Transition(x, u, next));
                x = next;
                if (step.Done) break;
            }
            onEpisode?.Invoke(e + 1);
        }
        return data;
    }

    /// <summary>A standard normal draw (Box–Muller on (0, 1]).</summary>
    internal static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
