using DiffOp.Results.Benchmarking;
using DiffOp.Learning.Policies;

namespace DiffOp.Results;

/// <summary>Where and when the results were produced.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string OperatingSystem, string Runtime, string IpoptLibrary, string Commit, bool DirtyTree, DateTime StartedUtc);

/// <summary>One training run of the results: its learning curves and time totals (from its metrics.csv).</summary>
/// <param name="Environment">Environment name.</param>
/// <param name="Mode">Step or Traj.</param>
/// <param name="Seed">Run seed.</param>
/// <param name="Label">Which recipe: "tuned" (the default), "adam" (the Adam recipe) or "paper".</param>
/// <param name="Evaluation">eval_cost per evaluated iteration (deterministic, fixed episodes).</param>
/// <param name="Exploring">mean_cost per iteration (exploring rollouts).</param>
/// <param name="WallSeconds">Training wall time (sum of wall_s).</param>
/// <param name="ForwardSeconds">Time in policy solves of the exploring rollouts (sum of forward_s).</param>
/// <param name="BackwardSeconds">Time in score VJPs (sum of backward_s).</param>
/// <param name="Solves">Policy solves of the exploring rollouts (N·T per iteration in Step mode, N in Traj mode).</param>
internal sealed record TrainingRunSummary(
    string Environment, PolicyMode Mode, int Seed, string Label,
    IReadOnlyList<(int Iteration, double Value)> Evaluation, IReadOnlyList<(int Iteration, double Value)> Exploring,
    double WallSeconds, double ForwardSeconds, double BackwardSeconds, long Solves)
{
    /// <summary>N, the run's rollouts per iteration (the learning curves' x axis is iteration × N).</summary>
    public int Rollouts { get; init; } = ResultsPlan.Rollouts;

    /// <summary>
    /// Exploring trajectories used up to and including each iteration (index i: iteration i + 1): N per iteration, plus N for
    /// the trust-region rule's second batch where one ran (a finite trust_ratio in metrics.csv). Empty: not read.
    /// </summary>
    public IReadOnlyList<long> Trajectories { get; init; } = [];
}

/// <summary>Transient and steady-state cost of one voltage policy on scenarios 0..S−1 (docs/environments-voltage.md).</summary>
/// <param name="Policy">Row label.</param>
/// <param name="Transient">Transient cost per evaluated seed (one entry for a single policy).</param>
/// <param name="SteadyState">Steady-state cost per evaluated seed.</param>
/// <param name="PaperTransient">The paper's Table 2 figure, when it has one.</param>
/// <param name="PaperSteadyState">The paper's Table 2 figure, when it has one.</param>
internal sealed record VoltageTableRow(string Policy, IReadOnlyList<double> Transient, IReadOnlyList<double> SteadyState, double? PaperTransient, double? PaperSteadyState);

/// <summary>Everything the report is made of.</summary>
internal sealed record ResultsData(
    ResultsPlan Plan,
    MachineInfo Machine,
    IReadOnlyList<BenchmarkRow> Benchmarks,
    IReadOnlyList<TrainingRunSummary> Runs,
    IReadOnlyDictionary<string, double> TrueThetaEvaluationCost,
    IReadOnlyList<VoltageTableRow> VoltageTable,
    IReadOnlyList<(string Stage, TimeSpan Duration)> Stages)
{
    /// <summary>The same voltage training timed with each rollout executor (empty when the stage was not run).</summary>
    public IReadOnlyList<ExecutorThroughputRow> Executors { get; init; } = [];

    /// <summary>The baselines on the control tasks, every seed (empty when the stage was not run).</summary>
    public IReadOnlyList<BaselineRunSummary> Baselines { get; init; } = [];

    /// <summary>
    /// The paper's Figure 3 as <c>diffop plot</c> drew it for the voltage Step run of seed 0: the low- and high-voltage
    /// scenarios' pictures in the work folder (empty when they were not drawn).
    /// </summary>
    public IReadOnlyList<string> VoltageRolloutPictures { get; init; } = [];

    /// <summary>Training runs found complete in the work folder and reused rather than trained by this invocation.</summary>
    public int ReusedRuns { get; init; }

    /// <summary>Key of <see cref="TrueThetaEvaluationCost"/>.</summary>
    public static string Key(string environment, PolicyMode mode) => $"{environment}-{(mode == PolicyMode.Step ? "step" : "traj")}";

    /// <summary>Total time of the results run.</summary>
    public TimeSpan Duration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
}
