using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Results;

/// <summary>
/// One baseline run on a control task (docs/baselines.md): its learning curve on the fixed evaluation episodes (RL-MPC
/// methods, which train over iterations; empty for the fits), the evaluation cost of its final θ on the same episodes,
/// and its training wall time.
/// </summary>
/// <param name="Environment">Environment name.</param>
/// <param name="Algorithm">sysid, imitation, rlmpc-td or rlmpc-dpg.</param>
/// <param name="Mode">The mode the policy is deployed in (RL-MPC: Step; the fits: Traj, as PDP's open-loop plans).</param>
/// <param name="Seed">Run seed.</param>
/// <param name="Evaluation">eval_cost per evaluated iteration (empty for sysid and imitation).</param>
/// <param name="FinalCost">Evaluation cost of the final θ (<c>diffop evaluate RUN --episodes E</c>).</param>
/// <param name="WallSeconds">Wall time of the training command.</param>
/// <param name="Stopped">The training stopped before its budget (diffop exit code 1: e.g. an α so large that every solve
/// failed for several iterations); its last θ is what is evaluated.</param>
internal sealed record BaselineRunSummary(string Environment, string Algorithm, PolicyMode Mode, int Seed,
    IReadOnlyList<(int Iteration, double Value)> Evaluation, double FinalCost, double WallSeconds, bool Stopped = false);

/// <summary>
/// The paper's Figure 2 comparison: every baseline on every control task, for each seed of the plan, with DiffOP's budget
/// (K iterations × N episodes for the RL-MPC methods and system identification; <see cref="ResultsPlan.TaskImitationDemonstrations"/>
/// demonstrations for imitation). Two runs at a time (each is one process on one core). A run folder is reused when it
/// finished with the same command (recorded in harness.json).
/// </summary>
internal sealed class TaskBaselines(ResultsPlan plan, string work, int parallel, TextWriter progress)
{
    /// <summary>The methods compared, in the report's order.</summary>
    public static readonly string[] Algorithms = ["rlmpc-td", "rlmpc-dpg", "imitation", "sysid"];

    /// <summary>Runs reused from an earlier invocation.</summary>
    public int Reused { get; private set; }

    public IReadOnlyList<BaselineRunSummary> Run()
    {
        var jobs = new List<(string Environment, string Algorithm, int Seed, string Dir, string[] Args)>();
        foreach (var recipe in plan.Recipes.Where(r => r.Environment != "voltage"))
            foreach (string algorithm in Algorithms)
                for (int seed = 0; seed < plan.Seeds; seed++)
                    jobs.Add((recipe.Environment, algorithm, seed, Path.Combine(work, "baselines", $"{recipe.Environment}-{algorithm}-seed{seed}"),
                              Arguments(recipe, algorithm, seed)));
        var summaries = new BaselineRunSummary?[jobs.Count];
        int reused = 0;
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) }, i =>
        {
            var (environment, algorithm, seed, dir, args) = jobs[i];
            var record = FinishedWith(dir, args);
            if (record is null)
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                lock (progress) progress.WriteLine($"    train {Path.GetFileName(dir)}");
                var clock = Stopwatch.StartNew();
                var (code, _) = ChildCommand.Run([.. args, "--out", dir], dir + ".log", captureOutput: false);
                // A baseline that stops early (exit code 1, its last θ saved) is a result to report, not a failure of the harness.
                if (code != DiffOp.Cli.DiffOpCli.Success && !(code == DiffOp.Cli.DiffOpCli.ComputationFailed && File.Exists(Path.Combine(dir, "params.json"))))
                    throw new ResultsStageException($"'diffop {string.Join(' ', args)}' failed with exit code {code}; its output is in {dir}.log.");
                record = new HarnessRecord(args, clock.Elapsed.TotalSeconds, code != DiffOp.Cli.DiffOpCli.Success);
                File.WriteAllText(Path.Combine(dir, "harness.json"), JsonSerializer.Serialize(record));
            }
            else Interlocked.Increment(ref reused);
            var recipe = plan.Recipes.Single(r => r.Environment == environment);
            var (evaluated, evaluation) = ChildCommand.Run(["evaluate", dir, "--episodes", Invariant(recipe.EvaluationEpisodes), "--json", "--skip-initial"],
                                                           Path.Combine(work, "eval", $"{Path.GetFileName(dir)}.log"), captureOutput: true);
            double final = evaluated == DiffOp.Cli.DiffOpCli.Success ? JsonDocument.Parse(evaluation).RootElement.GetProperty("mean_cost").GetDouble() : double.NaN;
            var curve = algorithm.StartsWith("rlmpc-", StringComparison.Ordinal)
                ? MetricsCsvWriter.ReadColumn(Path.Combine(dir, "rlmpc.csv"), "eval_cost").Where(p => !double.IsNaN(p.Value)).ToArray()
                : [];
            summaries[i] = new BaselineRunSummary(environment, algorithm, ModeOf(algorithm), seed, curve, final, record.WallSeconds, record.Stopped);
        });
        Reused = reused;
        return [.. summaries.Select(s => s!)];
    }

    /// <summary>The mode a baseline's policy runs in: Step for the RL-MPC methods (their MPC), Traj for the fits.</summary>
    public static PolicyMode ModeOf(string algorithm) => algorithm.StartsWith("rlmpc-", StringComparison.Ordinal) ? PolicyMode.Step : PolicyMode.Traj;

    /// <summary>The <c>diffop train</c> arguments of one baseline run (without --out).</summary>
    public string[] Arguments(EnvironmentRecipe recipe, string algorithm, int seed)
    {
        string[] head = ["train", recipe.Environment, "--algorithm", algorithm];
        string[] budget = ["--iterations", Invariant(recipe.Iterations), "--rollouts", Invariant(ResultsPlan.Rollouts)];
        string[] tail = ["--seed", Invariant(seed)];
        return algorithm switch
        {
            "sysid" => [.. head, "--mode", "traj", .. budget, .. tail],
            "imitation" => [.. head, "--mode", "traj", "--demos", Invariant(plan.TaskImitationDemonstrations), .. tail],
            _ => [.. head, .. budget, "--lr", Invariant(LearningRate(recipe.Environment, algorithm)),
                  "--eval-episodes", Invariant(recipe.EvaluationEpisodes), "--eval-every", Invariant(recipe.EvaluateEvery), .. tail],
        };
    }

    /// <summary>α of an RL-MPC method on a task (<see cref="ResultsPlan.TaskRlmpcLearningRates"/>, else the CLI's 1e-3).</summary>
    public double LearningRate(string environment, string algorithm) =>
        plan.TaskRlmpcLearningRates.TryGetValue(environment, out var rates) ? (algorithm == "rlmpc-td" ? rates.Td : rates.Dpg) : 1e-3;

    /// <summary>The record of a finished run of exactly these arguments in <paramref name="dir"/>; null if there is none.</summary>
    private static HarnessRecord? FinishedWith(string dir, string[] args)
    {
        string path = Path.Combine(dir, "harness.json");
        if (!File.Exists(path) || !File.Exists(Path.Combine(dir, "params.json"))) return null;
        var record = JsonSerializer.Deserialize<HarnessRecord>(File.ReadAllText(path));
        return record is not null && record.Arguments.SequenceEqual(args) ? record : null;
    }

    /// <summary>What the harness writes into a baseline's folder once its training command ended with a θ.</summary>
    private sealed record HarnessRecord(string[] Arguments, double WallSeconds, bool Stopped);

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
