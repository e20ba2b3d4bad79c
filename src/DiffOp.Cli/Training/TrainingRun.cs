using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>Runs (or resumes) training in a run folder and keeps its files up to date.</summary>
internal static class TrainingRun
{
    public static int Execute(RunConfig config, string dir, bool resume, int workers, TextWriter output, ProgressStyle style = ProgressStyle.Lines, TextWriter? error = null,
        string? cluster = null, bool verbose = false, string? tlsCertificate = null, int threads = 1)
    {
        // With JSON lines, stdout carries only the per-iteration objects; the run's other messages go to stderr.
        var info = style == ProgressStyle.JsonLines ? error ?? TextWriter.Null : output;
        var setup = new TrainingSetup(config);   // validates the configuration (horizon, sizes) before anything native
        string paramsPath = Path.Combine(dir, "params.json"), metricsPath = Path.Combine(dir, "metrics.csv"), thetaPath = Path.Combine(dir, "theta.csv");
        var options = config.ToTrainingOptions() with { ParameterLowerBounds = setup.Model.ParameterLowerBounds() };
        double[] theta = setup.Theta0;
        var optimizer = options.CreateOptimizer(theta.Length);
        int completed = 0, carried = 0;
        if (resume)
        {
            if (File.Exists(paramsPath))
            {
                var checkpoint = TrainingCheckpoint.Load(paramsPath);
                if (checkpoint.Seed != config.Seed)
                    throw new InvalidDataException($"{paramsPath} is of seed {checkpoint.Seed} but config.json says seed {config.Seed}: the folder mixes two runs; start a new run with --out.");
                theta = checkpoint.FlatTheta(setup.Ocp.Parameters);
                checkpoint.RestoreOptimizer(optimizer);
                completed = checkpoint.Iteration;
                carried = checkpoint.PooledBatches;   // the Trainer refuses more than the run's PooledBatches − 1
            }
            else
            {
                // The run stopped before its first checkpoint (only config.json was written): start it from iteration 0.
                info.WriteLine($"{dir} has no checkpoint yet (the run stopped before its first iteration ended): starting it from iteration 0.");
            }
            int dropped = ReconcileMetrics(metricsPath, completed);
            if (dropped > 0) info.WriteLine($"metrics.csv: removed {dropped} row(s) past the checkpoint's iteration {completed} (written after the last checkpoint, or torn).");
            ReconcileMetrics(thetaPath, completed, firstIteration: 0);
            if (!File.Exists(thetaPath)) ThetaCsvWriter.Append(thetaPath, setup.Ocp.Parameters, completed, theta);   // a run from before theta.csv: its history starts here
            if (completed >= config.Iterations)
            {
                info.WriteLine($"{dir} already has {completed} iterations (asked for {config.Iterations}); nothing to do.");
                return DiffOpCli.Success;
            }
            config.Save(Path.Combine(dir, "config.json"));
        }
        else
        {
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new IOException($"The run folder {dir} exists and is not empty: choose another --out, or continue it with --resume {dir}.");
            bool created = !Directory.Exists(dir);
            Directory.CreateDirectory(dir);   // an unwritable --out is a usage error, reported before a missing Ipopt
            // Load Ipopt before the first file: with worker processes a missing Ipopt would otherwise surface as workers that keep dying.
            try { DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded(); }
            catch
            {
                if (created) Directory.Delete(dir);   // nothing was started: leave nothing behind
                throw;
            }
            config.Save(Path.Combine(dir, "config.json"));
            ThetaCsvWriter.Append(thetaPath, setup.Ocp.Parameters, 0, theta);
        }

        DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded();   // (resume) before any worker starts
        info.WriteLine($"training {config.Environment} ({config.Mode}, H = {config.Horizon}, θ ∈ ℝ^{theta.Length}) for {config.Iterations} iterations × {config.Rollouts} rollouts, " +
                         $"σ = {config.Sigma}, β = {config.Beta}, η = {config.LearningRate} ({config.Optimizer}), seed {config.Seed}, " +
                         (cluster is not null ? $"on the cluster at {cluster}" : threads > 1 ? $"{threads} threads" : $"{workers} worker(s)") + $" → {dir}");
        // More workers than rollouts run at once only wait (and each is a process with its own Ipopt): cap them.
        int useful = config.Rollouts + config.EvaluationEpisodes;
        if (cluster is null && workers > useful)
        {
            info.WriteLine($"note: {workers} workers for {useful} rollouts per iteration; using {useful}.");
            workers = useful;
        }
        if (workers > 4 * Environment.ProcessorCount)
            info.WriteLine($"note: {workers} worker processes on {Environment.ProcessorCount} cores; more than about one per core makes no iteration faster.");
        if (threads > 1)
        {
            threads = Math.Min(threads, useful);
            if (!setup.Ocp.IsQuadraticProgram)
                info.WriteLine($"note: the {config.Environment} policy's OCP is not a convex QP, so Ipopt solves it, and Ipopt solves in one process take turns: " +
                               "--threads will not be faster than one thread here; use --workers for parallel rollouts.");
        }
        using var executor = cluster is null ? setup.CreateExecutor(workers, threads) : ConnectOrCleanUp(config, cluster, tlsCertificate, error ?? output, verbose, dir, fresh: !resume);
        var trainer = new Trainer(options, executor, theta, optimizer, completed, carried);
        var progress = new ProgressReporter(output, config.Iterations, interactive: !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out), style);
        bool anyUpdate = false;
        try
        {
            trainer.Train(metrics =>
            {
                anyUpdate |= !metrics.UpdateSkipped;
                MetricsCsvWriter.Append(metricsPath, metrics);
                ThetaCsvWriter.Append(thetaPath, setup.Ocp.Parameters, metrics.Iteration, trainer.Theta);
                TrainingCheckpoint.From(trainer, setup.Ocp.Parameters).Save(paramsPath);
                progress.Report(metrics);
            });
        }
        catch (TrainingStalledException stalled)
        {
            SaveCurve(config, dir, metricsPath);
            throw new TrainingStalledException(
                $"{stalled.Message.Replace("a smaller step (learning rate), a smaller σ, or gradient clipping.", "a smaller step (--lr), a smaller --sigma, or --clip;")} " +
                $"θ and metrics.csv are saved in {dir}; 'diffop solve' with --theta shows whether the OCP solves.", stalled);
        }
        if (executor is DiffOp.Cluster.OrleansRolloutExecutor clustered && clustered.CompletedRollouts > 0)
            info.WriteLine($"cluster: {clustered.CompletedRollouts} rollouts, {clustered.Retries} re-run after a fault; overhead of the cluster path " +
                           $"{1000 * clustered.OverheadSeconds / clustered.CompletedRollouts:F2} ms per rollout (round trip minus the silo's time)");
        var curve = SaveCurve(config, dir, metricsPath);
        info.WriteLine($"done: mean cost {curve[0].MeanCost:G6} (iteration 1) → {curve[^1].MeanCost:G6} (iteration {curve[^1].Iteration}); files in {dir}");
        var evaluated = MetricsCsvWriter.ReadColumn(metricsPath, "eval_cost").Where(p => double.IsFinite(p.Value)).ToArray();
        if (evaluated.Length > 0)
            info.WriteLine($"evaluation (deterministic policy, {config.EvaluationEpisodes} fixed episodes every {config.EvaluateEvery} iterations): " +
                           $"{evaluated[0].Value:G6} (iteration {evaluated[0].Iteration}) → {evaluated[^1].Value:G6} (iteration {evaluated[^1].Iteration})");
        info.WriteLine($"learning curve: {Path.Combine(dir, "learning-curve.png")} (evaluation cost in blue, exploring cost in grey, untrained policy dashed)");
        if (!anyUpdate)
            throw new TrainingStalledException(
                $"No update was applied in the {config.Iterations - completed} iteration(s) of this run, so θ is unchanged: every estimate was non-finite, " +
                "every rollout was dropped (the policy OCP failed to solve), or every trust-region step was rejected. metrics.csv says which " +
                "(dropped_rollouts, update_skipped, trust_ratio); try a smaller --lr or --sigma, or check the OCP with 'diffop solve'.");
        return DiffOpCli.Success;
    }

    /// <summary>
    /// Connects to the cluster; when that fails for a new run, removes what the run wrote so far (config.json, theta.csv and
    /// the folder if it is then empty), so that the same command works once the silos run.
    /// </summary>
    private static IRolloutExecutor ConnectOrCleanUp(RunConfig config, string cluster, string? tlsCertificate, TextWriter log, bool verbose, string dir, bool fresh)
    {
        try
        {
            return CliCluster.Connect(config, cluster, tlsCertificate, log, verbose);
        }
        catch when (fresh)
        {
            foreach (string file in new[] { "config.json", "theta.csv" }) File.Delete(Path.Combine(dir, file));
            if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            throw;
        }
    }

    /// <summary>
    /// Makes metrics.csv (or theta.csv, whose rows start at iteration 0) agree with the checkpoint: rows past
    /// <paramref name="completed"/> (written after the last checkpoint) and a torn last row are removed, atomically.
    /// Returns how many rows were removed.
    /// </summary>
    internal static int ReconcileMetrics(string metricsPath, int completed, int firstIteration = 1)
    {
        if (!File.Exists(metricsPath)) return 0;
        var lines = File.ReadAllLines(metricsPath);
        if (lines.Length == 0) return 0;
        int columns = lines[0].Split(',').Length;
        var kept = new List<string> { lines[0] };
        int removed = 0;
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            bool whole = fields.Length >= columns && int.TryParse(fields[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int iteration)
                         && iteration >= firstIteration && iteration <= completed;
            if (whole) kept.Add(line);
            else removed++;
        }
        if (removed == 0 && !lines.Skip(1).Any(l => l.Length == 0)) return 0;
        string temporary = metricsPath + ".tmp";
        File.WriteAllLines(temporary, kept);
        File.Move(temporary, metricsPath, overwrite: true);
        return removed;
    }

    private static IReadOnlyList<(int Iteration, double MeanCost)> SaveCurve(RunConfig config, string dir, string metricsPath)
    {
        var curve = MetricsCsvWriter.ReadMeanCosts(metricsPath);
        LearningCurvePlot.Save(Path.Combine(dir, "learning-curve.png"), $"{config.Environment} — DiffOP {config.Mode}, seed {config.Seed}",
            curve, MetricsCsvWriter.ReadColumn(metricsPath, "eval_cost"));
        return curve;
    }
}
