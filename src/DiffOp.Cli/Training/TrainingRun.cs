using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>Runs (or resumes) training in a run folder and keeps its files up to date.</summary>
internal static class TrainingRun
{
    public static int Execute(RunConfig config, string dir, bool resume, int workers, TextWriter output)
    {
        var setup = new TrainingSetup(config);
        string paramsPath = Path.Combine(dir, "params.json"), metricsPath = Path.Combine(dir, "metrics.csv");
        var options = config.ToTrainingOptions() with { ParameterLowerBounds = setup.Model.ParameterLowerBounds() };
        double[] theta = setup.Theta0;
        var optimizer = options.CreateOptimizer(theta.Length);
        int completed = 0;
        if (resume)
        {
            var checkpoint = TrainingCheckpoint.Load(paramsPath);
            theta = checkpoint.FlatTheta(setup.Ocp.Parameters);
            checkpoint.RestoreOptimizer(optimizer);
            completed = checkpoint.Iteration;
            if (completed >= config.Iterations)
            {
                output.WriteLine($"{dir} already has {completed} iterations (asked for {config.Iterations}); nothing to do.");
                return DiffOpCli.Success;
            }
            config.Save(Path.Combine(dir, "config.json"));
        }
        else
        {
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new IOException($"The run folder {dir} exists and is not empty: choose another --out, or continue it with --resume {dir}.");
            Directory.CreateDirectory(dir);
            config.Save(Path.Combine(dir, "config.json"));
        }

        output.WriteLine($"training {config.Environment} ({config.Mode}, H = {config.Horizon}, θ ∈ ℝ^{theta.Length}) for {config.Iterations} iterations × {config.Rollouts} rollouts, " +
                         $"σ = {config.Sigma}, β = {config.Beta}, η = {config.LearningRate} ({config.Optimizer}), seed {config.Seed}, {workers} worker(s) → {dir}");
        using var executor = setup.CreateExecutor(workers);
        var trainer = new Trainer(options, executor, theta, optimizer, completed);
        var progress = new ProgressReporter(output, config.Iterations, interactive: !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));
        try
        {
            trainer.Train(metrics =>
            {
                MetricsCsvWriter.Append(metricsPath, metrics);
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
        var curve = SaveCurve(config, dir, metricsPath);
        output.WriteLine($"done: mean cost {curve[0].MeanCost:G6} (iteration 1) → {curve[^1].MeanCost:G6} (iteration {curve[^1].Iteration}); files in {dir}");
        return DiffOpCli.Success;
    }

    private static IReadOnlyList<(int Iteration, double MeanCost)> SaveCurve(RunConfig config, string dir, string metricsPath)
    {
        var curve = MetricsCsvWriter.ReadMeanCosts(metricsPath);
        LearningCurvePlot.Save(Path.Combine(dir, "learning-curve.png"), $"{config.Environment} — DiffOP {config.Mode}, seed {config.Seed}",
            curve, MetricsCsvWriter.ReadColumn(metricsPath, "eval_cost"));
        return curve;
    }
}
