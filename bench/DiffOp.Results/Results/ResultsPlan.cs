using DiffOp.Learning.Policies;

namespace DiffOp.Results;

/// <summary>
/// Training settings of one environment in the results run: the default recipe (TrainingOptions.Recommended) with the
/// environment's σ and η. With the paper's own settings (β = 0.01, SGD η = 0.1) θ barely moves or, on the nonlinear
/// tasks, jumps out of the physical region (docs/training.md).
/// </summary>
/// <param name="Environment">Environment name.</param>
/// <param name="Sigma">σ of the exploration, in the units of the environment's controls.</param>
/// <param name="LearningRate">Adam's step size η.</param>
/// <param name="Iterations">K per run.</param>
/// <param name="EvaluationEpisodes">Fixed deterministic episodes behind the learning curve.</param>
/// <param name="EvaluateEvery">Evaluate every this many iterations.</param>
internal sealed record EnvironmentRecipe(string Environment, double Sigma, double LearningRate, int Iterations, int EvaluationEpisodes, int EvaluateEvery)
{
    /// <summary>
    /// The budget of a task whose default recipe is the trust-region rule in both modes (voltage: K = 80 iterations of N = 100,
    /// each tested candidate on 24 of them, for the paper's 10,000 trajectories); null: the Adam recipe's K, N = 10 and evaluation period.
    /// </summary>
    public TrustRegionBudget? TrustRegion { get; init; }

    /// <summary>K in <paramref name="mode"/> (the same in both modes today; the mode is kept for the callers' sake).</summary>
    public int IterationsIn(PolicyMode mode) => TrustRegion is { } t ? t.Iterations : Iterations;

    /// <summary>N in <paramref name="mode"/>.</summary>
    public int RolloutsIn(PolicyMode mode) => TrustRegion is { } t ? t.Rollouts : ResultsPlan.Rollouts;

    /// <summary>The evaluation period in <paramref name="mode"/>.</summary>
    public int EvaluateEveryIn(PolicyMode mode) => TrustRegion is { } t ? t.EvaluateEvery : EvaluateEvery;

    /// <summary>The <c>diffop train</c> arguments of one run (without --out).</summary>
    public string[] TrainArguments(PolicyMode mode, int seed, int workers) =>
    [
        "train", Environment, "--recipe", "default", "--mode", mode == PolicyMode.Step ? "step" : "traj", "--iterations", Invariant(IterationsIn(mode)),
        "--rollouts", Invariant(RolloutsIn(mode)), "--sigma", Invariant(Sigma), "--lr", Invariant(LearningRate), "--eval-episodes", Invariant(EvaluationEpisodes),
        "--eval-every", Invariant(EvaluateEveryIn(mode)), "--seed", Invariant(seed), .. Parallelism(Environment, workers),
    ];

    /// <summary>
    /// How a training run uses <paramref name="workers"/> cores: threads for voltage control (its policy is a convex QP, solved
    /// without Ipopt), worker processes for the Ipopt-solved tasks. θ is the same either way.
    /// </summary>
    public static string[] Parallelism(string environment, int workers) =>
        environment == "voltage" ? ["--threads", Invariant(workers)] : ["--workers", Invariant(workers)];

    /// <summary>The training options as a reader sees them in the report.</summary>
    public string Describe() =>
        TrustRegion is { } t
            ? $"default recipe: σ = {Invariant(Sigma)}, β = ∞, antithetic pairs, the trust-region quasi-Newton rule (Δ₀ = σ, N = {t.Rollouts}, K = {t.Iterations}; " +
              "a tested iteration runs the candidate on a quarter of the batch); Traj: tangent-space exploration, one start per pair, leave-one-out baseline; Step: reward-to-go with " +
              $"start blocks of two pairs (the other pair's cost to go as baseline); {EvaluationEpisodes} evaluation episodes every " +
              $"{(t.EvaluateEvery == 1 ? "iteration" : $"{t.EvaluateEvery} iterations")}"
            : $"default recipe: σ = {Invariant(Sigma)}, β = ∞, antithetic pairs, leave-one-out baseline (Traj: tangent-space exploration, one start per pair; " +
              $"Step: shared start); Adam η = {Invariant(LearningRate)} with cosine decay, N = 10, K = {Iterations}; " +
              $"{EvaluationEpisodes} evaluation episodes every {(EvaluateEvery == 1 ? "iteration" : $"{EvaluateEvery} iterations")}";

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The trust-region recipe's budget: K, N and the evaluation period.</summary>
internal sealed record TrustRegionBudget(int Iterations, int Rollouts, int EvaluateEvery);

/// <summary>
/// What <c>diffop-results run</c> runs: the seeds, the per-environment recipes, the voltage evaluation size, and whether
/// this is the full run or the <c>--quick</c> smoke run (fewer seeds and iterations, stated as such in the report).
/// </summary>
internal sealed record ResultsPlan(bool Quick, int Seeds, IReadOnlyList<EnvironmentRecipe> Recipes, int VoltageScenarios, int StepEvaluationSeeds, bool PaperSettingsRun)
{
    /// <summary>Environments the benchmarks measure (default: every environment).</summary>
    public IReadOnlyList<string> BenchEnvironments { get; init; } = [.. DiffOp.Environments.Common.EnvironmentCatalog.Names];

    /// <summary>Horizons of the voltage sweep.</summary>
    public IReadOnlyList<int> Sweep { get; init; } = Commands.BenchCommand.Sweep;

    /// <summary>Demonstrations of the voltage imitation baseline (safe-gradient-flow episodes; docs/baselines.md).</summary>
    public int ImitationDemonstrations { get; init; } = 200;

    /// <summary>α of the voltage RL-MPC baselines (the best of the sweeps in docs/baselines.md).</summary>
    public (double Td, double Dpg) RlmpcLearningRates { get; init; } = (1.0, 1e-3);

    /// <summary>Demonstrations of the imitation baseline on the control tasks (plans of the true-θ OCP, as PDP made its data).</summary>
    public int TaskImitationDemonstrations { get; init; } = 10;

    /// <summary>
    /// α of RLMPC-TD and RLMPC-DPG on each control task: the best of a short sweep (α ∈ {1e-5, 1e-4, 1e-3}, 10 iterations,
    /// evaluation cost on the fixed episodes; docs/baselines.md). A task without an entry uses the CLI's default 1e-3.
    /// </summary>
    public IReadOnlyDictionary<string, (double Td, double Dpg)> TaskRlmpcLearningRates { get; init; } = new Dictionary<string, (double Td, double Dpg)>
    {
        ["cartpole"] = (1e-5, 1e-3), ["robotarm"] = (1e-3, 1e-4), ["quadrotor"] = (1e-5, 1e-5), ["rocket"] = (1e-5, 1e-4),
    };

    /// <summary>Run every baseline on every control task for each seed (the Figure 2 comparison); false skips that stage.</summary>
    public bool TaskBaselines { get; init; } = true;

    /// <summary>
    /// Train voltage with the other update rules too, every seed and both modes, on the same budget: the Adam recipe (N = 10,
    /// K iterations) and the paper's settings; their learning curves are drawn beside the default recipe's.
    /// </summary>
    public bool VoltageVariants { get; init; } = true;

    /// <summary>Iterations of the voltage training timed with each rollout executor (0: skip that stage).</summary>
    public int ExecutorIterations { get; init; } = 200;

    /// <summary>Rollouts per iteration (the paper's N).</summary>
    public const int Rollouts = 10;

    /// <summary>The full run: 5 seeds (the paper's Figure 2), the paper's 10,000 voltage trajectories, 500 scenarios.</summary>
    public static ResultsPlan Full { get; } = new(false, 5,
    [
        new("cartpole", 0.5, 0.02, 100, 10, 1),
        new("robotarm", 0.5, 0.02, 100, 10, 1),
        new("quadrotor", 0.5, 0.05, 60, 4, 2),
        new("rocket", 0.5, 0.02, 60, 4, 2),
        new("voltage", 0.01, 0.02, 1000, 10, 10) { TrustRegion = new(DiffOp.Environments.Voltage.VoltagePolicyModel.RecommendedIterations, 100, 1) },
    ], VoltageScenarios: 500, StepEvaluationSeeds: 5, PaperSettingsRun: true);

    /// <summary>The smoke run: 2 seeds, a tenth of the iterations or less, 50 scenarios.</summary>
    public static ResultsPlan QuickRun { get; } = new(true, 2,
    [
        new("cartpole", 0.5, 0.02, 10, 5, 1),
        new("robotarm", 0.5, 0.02, 10, 4, 1),
        new("quadrotor", 0.5, 0.05, 4, 2, 2),
        new("rocket", 0.5, 0.02, 4, 2, 2),
        new("voltage", 0.01, 0.02, 50, 5, 5) { TrustRegion = new(8, 100, 1) },
    ], VoltageScenarios: 50, StepEvaluationSeeds: 1, PaperSettingsRun: false) { ExecutorIterations = 20 };

    /// <summary>True when <see cref="Restricted"/> left environments out (the report says which).</summary>
    public bool Partial { get; init; }

    /// <summary>
    /// This plan on <paramref name="environments"/> only (recipes, benchmarks and the control-task baselines); voltage must be
    /// among them, since the voltage table and the runtime table come from it.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown environment, or voltage left out.</exception>
    public ResultsPlan Restricted(IReadOnlyCollection<string> environments)
    {
        var unknown = environments.Where(e => Recipes.All(r => r.Environment != e)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"--environments names {string.Join(", ", unknown)}, which the results run does not train; choose from {string.Join(", ", Recipes.Select(r => r.Environment))}.");
        if (!environments.Contains("voltage"))
            throw new ArgumentException("--environments must include voltage: the voltage table and the runtime table come from it.");
        return this with
        {
            Recipes = [.. Recipes.Where(r => environments.Contains(r.Environment))],
            BenchEnvironments = [.. BenchEnvironments.Where(environments.Contains)],
            Partial = Recipes.Any(r => !environments.Contains(r.Environment)),
        };
    }

    /// <summary>The voltage recipe.</summary>
    public EnvironmentRecipe Voltage => Recipes.Single(r => r.Environment == "voltage");

    /// <summary>Voltage trajectories per seed (K·N): 10,000 in the full run, the paper's budget.</summary>
    public int VoltageTrajectories => Voltage.Iterations * Rollouts;
}
