using DiffOp.Cli.Training;
using DiffOp.Environments.Common;
using DiffOp.Environments.Voltage;
using DiffOp.Learning;
using DiffOp.Learning.Training;
using ScottPlot;

namespace DiffOp.Cli.Commands;

/// <summary>
/// The pictures of a run folder (<c>diffop plot --run RUN</c>): the learning curve, θ over iterations by parameter block,
/// and closed-loop episodes of the initial and the trained policy on the true system — for voltage one scenario of each
/// class (low and high voltage) under the evaluation protocol (100 steps, the evaluation box), for the other tasks the
/// first evaluation start over one episode.
/// </summary>
internal static class RunPlots
{
    /// <summary>A picture written, and what it shows.</summary>
    public sealed record Picture(string Path, string Shows);

    /// <summary>Writes every picture of the run in <paramref name="runDir"/> into <paramref name="outDir"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no config.json or params.json.</exception>
    public static IReadOnlyList<Picture> Write(string runDir, string outDir)
    {
        var config = RunConfig.Load(Path.Combine(runDir, "config.json"));
        string paramsPath = Path.Combine(runDir, "params.json");
        if (!File.Exists(paramsPath))
            throw new FileNotFoundException($"{runDir} has no params.json yet (the run has not finished an iteration): train it first.", paramsPath);
        var checkpoint = TrainingCheckpoint.Load(paramsPath);
        var setup = new TrainingSetup(config);
        double[] trained = checkpoint.FlatTheta(setup.Ocp.Parameters);
        Directory.CreateDirectory(outDir);
        var pictures = new List<Picture>();

        string metrics = Path.Combine(runDir, "metrics.csv");
        if (File.Exists(metrics))   // a system-identification run has no iterations to draw
        {
            string curve = Path.Combine(outDir, "learning-curve.png");
            LearningCurvePlot.Save(curve, $"{config.Environment} — DiffOP {config.Mode}, seed {config.Seed}",
                MetricsCsvWriter.ReadMeanCosts(metrics), MetricsCsvWriter.ReadColumn(metrics, "eval_cost"));
            pictures.Add(new(curve, "learning curve: evaluation cost of the deterministic policy (blue), exploring rollouts (grey)"));
        }

        string thetaCsv = Path.Combine(runDir, "theta.csv");
        if (File.Exists(thetaCsv))
        {
            string path = Path.Combine(outDir, "theta.png");
            DrawTheta(path, $"{config.Environment} — θ over iterations ({config.Mode}, seed {config.Seed})", setup.Ocp.Parameters, ThetaCsvWriter.Read(thetaCsv).Rows);
            pictures.Add(new(path, "θ over iterations, one panel per parameter block"));
        }

        if (string.Equals(config.Environment, "voltage", StringComparison.OrdinalIgnoreCase))
        {
            // The evaluation protocol's system and box, known to the policy too (as `diffop evaluate --scenarios` runs it).
            var model = EnvironmentCatalog.CreatePolicyModel(config.Environment, [.. config.Settings, "box=evaluation"]);
            var system = EvaluateCommand.EvaluationSystem(config) with { EpisodeLength = 100 };
            foreach (int scenario in new[] { 0, 1 })
            {
                var simulator = new VoltageEnvironment(system);
                simulator.Reset(scenario, new double[simulator.StateCount]);
                string label = simulator.ScenarioKind == VoltageScenarioKind.LowVoltage ? "low" : "high";
                string path = Path.Combine(outDir, $"rollout-{label}-voltage.png");
                var initial = PlotCommand.Roll(model, simulator, setup.Theta0, config.Mode, config.Horizon, scenario);
                var after = PlotCommand.Roll(model, new VoltageEnvironment(system), trained, config.Mode, config.Horizon, scenario);
                PlotCommand.Draw(path, $"voltage, scenario {scenario} ({label} voltage), {config.Mode} policy: cost {initial.TotalCost:G4} initial → {after.TotalCost:G4} trained",
                    PlotCommand.Panels("voltage", model), [(initial, "initial θ", true), (after, "trained θ", false)]);
                pictures.Add(new(path, $"scenario {scenario} ({label} voltage): voltages with the ±5% band and reactive power, initial θ dashed, trained θ solid"));
            }
        }
        else
        {
            var model = setup.Model;
            var initial = PlotCommand.Roll(model, EnvironmentCatalog.CreateSimulator(config.Environment, config.Settings), setup.Theta0, config.Mode, config.Horizon, 0);
            var after = PlotCommand.Roll(model, EnvironmentCatalog.CreateSimulator(config.Environment, config.Settings), trained, config.Mode, config.Horizon, 0);
            string path = Path.Combine(outDir, "rollout.png");
            PlotCommand.Draw(path, $"{config.Environment}, {config.Mode} policy from the first start: cost {initial.TotalCost:G4} initial → {after.TotalCost:G4} trained",
                PlotCommand.Panels(config.Environment, model), [(initial, "initial θ", true), (after, "trained θ", false)]);
            pictures.Add(new(path, "one closed-loop episode from the first start: states and controls, initial θ dashed, trained θ solid"));
        }
        return pictures;
    }

    /// <summary>One panel per parameter block, one line per entry of the block.</summary>
    private static void DrawTheta(string path, string title, IReadOnlyList<DiffOp.Control.OptimalControl.ParameterBlock> blocks, IReadOnlyList<(int Iteration, double[] Theta)> rows)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(blocks.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        var plots = multiplot.GetPlots();
        double[] iterations = [.. rows.Select(r => (double)r.Iteration)];
        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            var plot = plots[b];
            for (int i = 0; i < block.Length; i++)
            {
                var line = plot.Add.Scatter(iterations, [.. rows.Select(r => r.Theta[block.Offset + i])]);
                line.MarkerSize = 0;
                line.LineWidth = 2;
                line.LegendText = block.Length == 1 ? block.Name : $"{block.Name}[{i}]";
            }
            plot.YLabel(block.Name);
            plot.XLabel(b == blocks.Count - 1 ? "iteration" : "");
            plot.ShowLegend(Edge.Right);
            plot.Layout.Fixed(new PixelPadding(left: 80, right: 150, bottom: b == blocks.Count - 1 ? 45 : 25, top: b == 0 ? 35 : 10));
        }
        plots[0].Title(title);
        multiplot.SharedAxes.ShareX(plots);
        multiplot.SavePng(path, 920, 260 * blocks.Count);
    }
}
