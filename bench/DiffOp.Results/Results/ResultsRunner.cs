using DiffOp.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DiffOp.Results.Benchmarking;
using DiffOp.Cli.Commands;
using DiffOp.Cli.Training;
using DiffOp.Environments.Common;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Results;

/// <summary>
/// Produces the data of docs/RESULTS.md: benchmarks (in this process), the training runs (child <c>diffop train</c>
/// processes with 2 rollout workers each), the true-θ reference costs of the learning curves, and the voltage table
/// (child <c>diffop evaluate</c> processes, two at a time). Work lives in <c>work</c>; a training run that is already
/// complete there is reused and a partial one is resumed, so an interrupted results run continues where it stopped.
/// </summary>
internal sealed class ResultsRunner(ResultsPlan plan, string work, int workers, TextWriter progress)
{
    private readonly List<(string, TimeSpan)> _stages = [];
    private int _reused;

    public ResultsData Run()
    {
        var machine = Machines.Describe(DateTime.UtcNow);
        Directory.CreateDirectory(work);
        var bench = Stage("benchmarks", RunBenchmarks);
        var executors = plan.ExecutorIterations > 0
            ? Stage("rollout executors", () => ExecutorThroughput.Measure(plan.ExecutorIterations, work, progress))
            : [];
        var runs = Stage("training runs", RunTrainings);
        var baselines = plan.TaskBaselines ? Stage("baselines on the control tasks", RunTaskBaselines) : [];
        var reference = Stage("true-θ reference costs", TrueThetaCosts);
        var table = Stage("voltage evaluation", VoltageTable);
        var pictures = Stage("voltage rollouts (Figure 3)", VoltageRollouts);
        return new ResultsData(plan, machine, bench, runs, reference, table, _stages)
        {
            ReusedRuns = _reused, Executors = executors, Baselines = baselines, VoltageRolloutPictures = pictures,
        };
    }

    private T Stage<T>(string name, Func<T> body)
    {
        progress.WriteLine($"==> results: {name}");
        var clock = Stopwatch.StartNew();
        var result = body();
        _stages.Add((name, clock.Elapsed));
        progress.WriteLine($"    {name}: {clock.Elapsed.TotalMinutes:F1} min");
        return result;
    }

    private IReadOnlyList<BenchmarkRow> RunBenchmarks()
    {
        var rows = new BenchmarkSuite(plan.Quick).Run(plan.BenchEnvironments, plan.Sweep).ToList();
        File.WriteAllText(Path.Combine(work, "bench.json"), JsonSerializer.Serialize(rows, JsonOutput.Indented));
        return rows;
    }

    /// <summary>The run folders in the order they are trained: voltage first (Table 2 and 3 need it), Traj before Step.</summary>
    private IEnumerable<(EnvironmentRecipe Recipe, PolicyMode Mode, int Seed, string Label, string[] Arguments, RunSettings Settings)> Jobs()
    {
        foreach (var recipe in plan.Recipes.OrderBy(r => r.Environment == "voltage" ? 0 : 1))
            foreach (var mode in new[] { PolicyMode.Traj, PolicyMode.Step })
                for (int seed = 0; seed < plan.Seeds; seed++)
                    yield return (recipe, mode, seed, "tuned", recipe.TrainArguments(mode, seed, workers), RunSettings.Tuned(recipe, mode));
        var v = plan.Voltage;
        string[] Variant(string recipe, PolicyMode mode, int seed, params string[] rule) =>
        [
            "train", "voltage", "--recipe", recipe, "--mode", mode == PolicyMode.Step ? "step" : "traj", .. rule, "--iterations", Invariant(v.Iterations),
            "--rollouts", Invariant(ResultsPlan.Rollouts), "--eval-episodes", Invariant(v.EvaluationEpisodes), "--eval-every", Invariant(v.EvaluateEvery),
            "--seed", Invariant(seed), .. EnvironmentRecipe.Parallelism("voltage", workers),
        ];
        if (plan.VoltageVariants)
        {
            // The update rules side by side on the same budget (K × N = the trust-region recipe's trajectories), every seed.
            foreach (var mode in new[] { PolicyMode.Traj, PolicyMode.Step })
                for (int seed = 0; seed < plan.Seeds; seed++)
                {
                    yield return (v, mode, seed, "adam", Variant("default", mode, seed, "--optimizer", "adam", "--sigma", Invariant(v.Sigma), "--lr", Invariant(v.LearningRate)),
                        RunSettings.Adam(v));
                    yield return (v, mode, seed, "paper", Variant("paper", mode, seed), RunSettings.Paper(v));
                }
        }
        else if (plan.PaperSettingsRun)
            yield return (v, PolicyMode.Traj, 0, "paper", Variant("paper", PolicyMode.Traj, 0), RunSettings.Paper(v));
    }

    private string RunDirectory(string environment, PolicyMode mode, int seed, string label) =>
        Path.Combine(work, "runs", $"{environment}-{(mode == PolicyMode.Step ? "step" : "traj")}{(label == "tuned" ? "" : "-" + label)}-seed{seed}");

    private IReadOnlyList<TrainingRunSummary> RunTrainings()
    {
        var summaries = new List<TrainingRunSummary>();
        foreach (var (recipe, mode, seed, label, arguments, settings) in Jobs())
        {
            string dir = RunDirectory(recipe.Environment, mode, seed, label);
            string configPath = Path.Combine(dir, "config.json");
            if (File.Exists(configPath) && !settings.Matches(RunConfig.Load(configPath)))
            {
                progress.WriteLine($"    {Path.GetFileName(dir)} was trained with other settings: training it again");
                Directory.Delete(dir, recursive: true);
            }
            int done = CompletedIterations(dir), iterations = label == "tuned" ? recipe.IterationsIn(mode) : recipe.Iterations;
            if (done >= iterations) _reused++;
            else
            {
                progress.WriteLine($"    train {Path.GetFileName(dir)} ({(done > 0 ? $"resuming at {done}/" : "")}{iterations} iterations)");
                string[] args = done > 0
                    ? ["train", "--resume", dir, "--iterations", Invariant(iterations), .. EnvironmentRecipe.Parallelism(recipe.Environment, workers)]
                    : [.. arguments, "--out", dir];
                if (done == 0 && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);   // a run that never finished an iteration
                ChildCommand.RunOrThrow(args, dir + ".log", captureOutput: false);
            }
            summaries.Add(Summarize(recipe.Environment, mode, seed, label, dir));
        }
        return summaries;
    }

    private IReadOnlyList<BaselineRunSummary> RunTaskBaselines()
    {
        var baselines = new TaskBaselines(plan, work, workers, progress);
        var runs = baselines.Run();
        _reused += baselines.Reused;
        return runs;
    }

    private static int CompletedIterations(string dir)
    {
        string path = Path.Combine(dir, "params.json");
        return File.Exists(path) ? TrainingCheckpoint.Load(path).Iteration : 0;
    }

    internal static TrainingRunSummary Summarize(string environment, PolicyMode mode, int seed, string label, string dir)
    {
        string metrics = Path.Combine(dir, "metrics.csv");
        double Sum(string column) => MetricsCsvWriter.ReadColumn(metrics, column).Where(p => double.IsFinite(p.Value)).Sum(p => p.Value);
        var config = RunConfig.Load(Path.Combine(dir, "config.json"));
        var exploring = MetricsCsvWriter.ReadColumn(metrics, "mean_cost");
        int episodeLength = EnvironmentCatalog.CreatePolicyModel(environment, config.Settings).EpisodeLength;
        long solves = (long)exploring.Count * config.Rollouts * (mode == PolicyMode.Step ? episodeLength : (episodeLength + config.Horizon - 1) / config.Horizon);
        // The trust-region rule runs a second batch (CandidateTestRollouts of the N) where it tested a candidate: there trust_ratio is finite.
        var ratio = MetricsCsvWriter.ReadColumn(metrics, "trust_ratio").ToDictionary(p => p.Iteration, p => p.Value);
        long used = 0;
        int tested = config.ToTrainingOptions().CandidateTestRollouts;
        var trajectories = exploring.Select(p => used += config.Rollouts + (ratio.TryGetValue(p.Iteration, out double r) && double.IsFinite(r) ? tested : 0L)).ToArray();
        return new TrainingRunSummary(environment, mode, seed, label, MetricsCsvWriter.ReadColumn(metrics, "eval_cost"), exploring,
            Sum("wall_s"), Sum("forward_s"), Sum("backward_s"), solves) { Rollouts = config.Rollouts, Trajectories = trajectories };
    }

    /// <summary>The evaluation cost of θ_true (the policy OCP equal to the true OCP) on the same fixed episodes as the curves.</summary>
    private IReadOnlyDictionary<string, double> TrueThetaCosts()
    {
        var costs = new Dictionary<string, double>();
        foreach (var recipe in plan.Recipes)
            foreach (var mode in new[] { PolicyMode.Step, PolicyMode.Traj })
            {
                string dir = RunDirectory(recipe.Environment, mode, 0, "tuned");
                var config = RunConfig.Load(Path.Combine(dir, "config.json")) with { InitialTheta = "true" };
                var setup = new TrainingSetup(config);
                using var worker = setup.CreateWorker();
                costs[ResultsData.Key(recipe.Environment, mode)] = worker.EvaluationCost(setup.Theta0, recipe.EvaluationEpisodes).MeanCost;
            }
        return costs;
    }

    /// <summary>
    /// The paper's Figure 3: <c>diffop plot</c> on the voltage Step run of seed 0 (scenario 0, low voltage, and 1, high
    /// voltage, under the evaluation protocol, initial θ dashed and trained θ solid). Returns the two pictures' paths.
    /// </summary>
    private IReadOnlyList<string> VoltageRollouts()
    {
        string folder = Path.Combine(work, "figure3");
        Directory.CreateDirectory(folder);
        ChildCommand.RunOrThrow(["plot", "--run", RunDirectory("voltage", PolicyMode.Step, 0, "tuned"), "--out", folder], Path.Combine(work, "figure3.log"), captureOutput: false);
        string[] pictures = [Path.Combine(folder, "rollout-low-voltage.png"), Path.Combine(folder, "rollout-high-voltage.png")];
        var missing = pictures.Where(p => !File.Exists(p)).ToArray();
        if (missing.Length > 0) throw new ResultsStageException($"'diffop plot' did not draw {string.Join(", ", missing)}; its output is in {Path.Combine(work, "figure3.log")}.");
        return pictures;
    }

    /// <summary>The voltage baselines (docs/baselines.md), seed 0, Traj: trained once, reused when their folder has a θ.</summary>
    private (string Sysid, string Imitation, string Td, string Dpg) TrainBaselines()
    {
        var v = plan.Voltage;
        string Folder(string name) => Path.Combine(work, "runs", name);
        string sysid = Folder("voltage-sysid-seed0"), imitation = Folder($"voltage-imitation{plan.ImitationDemonstrations}-seed0");
        string td = Folder("voltage-rlmpc-td-seed0"), dpg = Folder("voltage-rlmpc-dpg-seed0");
        // The trained baselines share the DiffOP runs' budget (iterations × rollouts), seed 0.
        string[] Budgeted(params string[] head) => [.. head, "--iterations", Invariant(v.Iterations), "--rollouts", Invariant(ResultsPlan.Rollouts), "--seed", "0"];
        (string Dir, string[] Args)[] baselines =
        [
            (sysid, Budgeted("train", "voltage", "--algorithm", "sysid", "--mode", "traj")),
            (imitation, ["train", "voltage", "--algorithm", "imitation", "--mode", "traj", "--demos", Invariant(plan.ImitationDemonstrations), "--seed", "0"]),
            (td, Budgeted("train", "voltage", "--algorithm", "rlmpc-td", "--lr", Invariant(plan.RlmpcLearningRates.Td))),
            (dpg, Budgeted("train", "voltage", "--algorithm", "rlmpc-dpg", "--lr", Invariant(plan.RlmpcLearningRates.Dpg))),
        ];
        foreach (var (dir, args) in baselines)
        {
            if (File.Exists(Path.Combine(dir, "params.json")) && BaselineMatches(dir, args)) { _reused++; continue; }
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            progress.WriteLine($"    train {Path.GetFileName(dir)}");
            ChildCommand.RunOrThrow([.. args, "--out", dir], dir + ".log", captureOutput: false);
        }
        return (sysid, imitation, td, dpg);
    }

    /// <summary>A baseline folder is reused only when its config.json says the algorithm, iterations, rollouts and demonstrations asked for.</summary>
    private static bool BaselineMatches(string dir, string[] args)
    {
        string configPath = Path.Combine(dir, "config.json");
        if (!File.Exists(configPath)) return false;
        var config = RunConfig.Load(configPath);
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        if (config.Algorithm != Arg("--algorithm") || config.Seed != 0 || config.Settings.Length != 0) return false;
        if (config.Algorithm != "imitation")
            return config.Iterations.ToString(CultureInfo.InvariantCulture) == Arg("--iterations") && config.Rollouts.ToString(CultureInfo.InvariantCulture) == Arg("--rollouts") &&
                   (config.Algorithm == "sysid" || config.LearningRate.ToString(CultureInfo.InvariantCulture) == Arg("--lr")) &&
                   TrainingCheckpoint.Load(Path.Combine(dir, "params.json")).Iteration == config.Iterations;   // an RL-MPC run that finished
        string report = Path.Combine(dir, "imitation.json");
        return File.Exists(report) &&
               JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("demonstrations").GetInt32().ToString(CultureInfo.InvariantCulture) == Arg("--demos");
    }

    private IReadOnlyList<VoltageTableRow> VoltageTable()
    {
        int scenarios = plan.VoltageScenarios;
        var (sysidDir, imitationDir, tdDir, dpgDir) = TrainBaselines();
        var jobs = new List<(string Name, string[] Args)>();
        for (int seed = 0; seed < plan.Seeds; seed++)
            jobs.Add(($"traj-seed{seed}", ["evaluate", RunDirectory("voltage", PolicyMode.Traj, seed, "tuned"), "--scenarios", Invariant(scenarios), "--json"]));
        for (int seed = 0; seed < Math.Min(plan.StepEvaluationSeeds, plan.Seeds); seed++)
            jobs.Add(($"step-seed{seed}", ["evaluate", RunDirectory("voltage", PolicyMode.Step, seed, "tuned"), "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));
        if (plan.PaperSettingsRun)
            jobs.Add(("traj-paper-seed0", ["evaluate", RunDirectory("voltage", PolicyMode.Traj, 0, "paper"), "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));
        jobs.Add(("ceiling", ["evaluate", CeilingRun(), "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));
        jobs.Add(("sgf", ["evaluate-baseline", "voltage", "--controller", "sgf", "--scenarios", Invariant(scenarios), "--json"]));
        jobs.Add(("sysid", ["evaluate", sysidDir, "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));
        jobs.Add(("imitation", ["evaluate", imitationDir, "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));
        jobs.Add(("rlmpc-td", ["evaluate", tdDir, "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));
        jobs.Add(("rlmpc-dpg", ["evaluate", dpgDir, "--scenarios", Invariant(scenarios), "--json", "--skip-initial"]));

        var outputs = new Dictionary<string, JsonElement>();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, job =>
        {
            progress.WriteLine($"    evaluate {job.Name} on scenarios 0..{scenarios - 1}");
            string text = ChildCommand.RunOrThrow(job.Args, Path.Combine(work, "eval", job.Name + ".log"), captureOutput: true);
            var json = JsonDocument.Parse(text).RootElement.Clone();
            lock (outputs) outputs[job.Name] = json;
        });
        File.WriteAllText(Path.Combine(work, "voltage-evaluation.json"), JsonSerializer.Serialize(outputs, JsonOutput.Indented));

        double Get(string job, string key) => outputs[job].GetProperty(key).GetDouble();
        IReadOnlyList<double> Seeds(string prefix, int count, string key) => [.. Enumerable.Range(0, count).Select(s => Get($"{prefix}-seed{s}", key))];
        var rows = new List<VoltageTableRow>
        {
            new("untrained (θ₀: C_v = I, A = 0.5·I), Traj", [Get("traj-seed0", "initial_transient_cost")], [Get("traj-seed0", "initial_steady_state_cost")], null, null),
            new("DiffOP Step", Seeds("step", Math.Min(plan.StepEvaluationSeeds, plan.Seeds), "transient_cost"), Seeds("step", Math.Min(plan.StepEvaluationSeeds, plan.Seeds), "steady_state_cost"), -6.81, -0.11),
            new("DiffOP Traj", Seeds("traj", plan.Seeds, "transient_cost"), Seeds("traj", plan.Seeds, "steady_state_cost"), -6.80, -0.11),
        };
        if (plan.PaperSettingsRun)
            rows.Add(new("DiffOP Traj with the paper's settings (σ = 1, β = 0.01, SGD η = 0.1)", [Get("traj-paper-seed0", "transient_cost")], [Get("traj-paper-seed0", "steady_state_cost")], null, null));
        rows.Add(new("best θ of this policy class found by direct search (a reference, not a method: CMA-ES on scenarios 0..99, docs/training.md), Traj",
            [Get("ceiling", "transient_cost")], [Get("ceiling", "steady_state_cost")], null, null));
        rows.Add(new("safe gradient flow (SGF) baseline", [Get("sgf", "transient_cost")], [Get("sgf", "steady_state_cost")], null, null));
        rows.Add(new("system identification (A fitted to the transitions, C_v = I), Traj", [Get("sysid", "transient_cost")], [Get("sysid", "steady_state_cost")], null, null));
        rows.Add(new($"imitation of SGF ({plan.ImitationDemonstrations} demonstrations; the paper's PDP imitated TASRL), Traj",
            [Get("imitation", "transient_cost")], [Get("imitation", "steady_state_cost")], -5.86, -0.09));
        rows.Add(new($"RLMPC-DPG (α = {Invariant(plan.RlmpcLearningRates.Dpg)}), Step", [Get("rlmpc-dpg", "transient_cost")], [Get("rlmpc-dpg", "steady_state_cost")], -6.11, -0.10));
        rows.Add(new($"RLMPC-TD (α = {Invariant(plan.RlmpcLearningRates.Td)}), Step", [Get("rlmpc-td", "transient_cost")], [Get("rlmpc-td", "steady_state_cost")], -4.62, -0.07));
        return rows;
    }

    /// <summary>
    /// The best θ of the voltage policy class that a derivative-free search found (CMA-ES over log₁₀ C_v and A on the
    /// deterministic Traj policy's transient cost, scenarios 0..99; docs/training.md), rounded to two significant digits:
    /// diag C_v, then A row-major.
    /// </summary>
    internal static readonly double[] VoltageCeilingTheta = [3.6e7, 7.0e3, 3.9e3, 0.077, 0.038, 0.016, 0.010, 0.103, 0.047, 0.009, 0.046, 0.117];

    /// <summary>A run folder holding <see cref="VoltageCeilingTheta"/> with the settings of the first voltage Traj run, for <c>diffop evaluate</c>.</summary>
    private string CeilingRun()
    {
        string dir = Path.Combine(work, "runs", "voltage-ceiling");
        Directory.CreateDirectory(dir);
        var config = RunConfig.Load(Path.Combine(RunDirectory("voltage", PolicyMode.Traj, 0, "tuned"), "config.json"));
        config.Save(Path.Combine(dir, "config.json"));
        var blocks = new TrainingSetup(config).Ocp.Parameters;
        new TrainingCheckpoint
        {
            Iteration = 0, Seed = config.Seed,
            Theta = blocks.ToDictionary(b => b.Name, b => VoltageCeilingTheta.AsSpan(b.Offset, b.Length).ToArray()),
            OptimizerFirstMoment = new double[VoltageCeilingTheta.Length], OptimizerSecondMoment = new double[VoltageCeilingTheta.Length], OptimizerSteps = 0,
        }.Save(Path.Combine(dir, "params.json"));
        return dir;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The training settings a results job asks for, to tell whether a run folder in the work folder can be reused.</summary>
internal sealed record RunSettings(string Recipe, double Sigma, double LearningRate, int Rollouts, int EvaluationEpisodes, int EvaluateEvery)
{
    /// <summary>The default recipe with the environment's σ and η, and the mode's N and evaluation period.</summary>
    public static RunSettings Tuned(EnvironmentRecipe r, PolicyMode mode) =>
        new("default", r.Sigma, r.LearningRate, r.RolloutsIn(mode), r.EvaluationEpisodes, r.EvaluateEveryIn(mode));

    /// <summary>The paper's recipe: σ = 1, β = 0.01, SGD η = 0.1, REINFORCE.</summary>
    public static RunSettings Paper(EnvironmentRecipe r) => new("paper", 1.0, 0.1, ResultsPlan.Rollouts, r.EvaluationEpisodes, r.EvaluateEvery);

    /// <summary>The Adam recipe (<c>--optimizer adam</c> from the default recipe: TrainingOptions.Recommended) with the environment's σ and η.</summary>
    public static RunSettings Adam(EnvironmentRecipe r) => new("adam", r.Sigma, r.LearningRate, ResultsPlan.Rollouts, r.EvaluationEpisodes, r.EvaluateEvery);

    public bool Matches(RunConfig c)
    {
        var model = EnvironmentCatalog.CreatePolicyModel(c.Environment);
        var expected = Recipe switch
        {
            "paper" => TrainingOptions.Paper(c.Mode),
            "adam" => TrainingOptions.Recommended(c.Mode, model.ExplorationScale, model.RecommendedLearningRate) with { Sigma = Sigma, LearningRate = LearningRate },
            _ => model.RecommendedOptions(c.Mode) with { Sigma = Sigma, LearningRate = LearningRate },
        };
        string recipe = Recipe == "adam" ? "default" : Recipe;   // an Adam run is the default recipe with --optimizer adam
        return c.Algorithm == "diffop" && c.Recipe == recipe && c.Solver == DiffOp.Control.OptimalControl.OcpSolverChoice.Auto && c.Sigma == expected.Sigma && c.Beta.Equals(expected.Beta) && c.LearningRate == expected.LearningRate &&
               c.Optimizer == expected.Optimizer && c.Estimator == expected.Estimator && c.SharedStart == expected.SharedInitialState &&
               c.RolloutsPerStart == expected.RolloutsPerStart &&
               c.Antithetic == expected.Antithetic && c.TangentExploration == expected.TangentExploration && c.Schedule == expected.Schedule &&
               c.LogScale == expected.LogScalePositiveParameters && c.TestFraction == expected.CandidateTestFraction && c.PoolBatches == expected.PooledBatches &&
               c.Rollouts == Rollouts && c.EvaluationEpisodes == EvaluationEpisodes && c.EvaluateEvery == EvaluateEvery &&
               c.GradientClip is null && c.InitialTheta == "init" && c.Settings.Length == 0;
    }
}
