using System.CommandLine;
using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Interop.Ipopt;
using DiffOp.Learning;
using ScottPlot;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop plot &lt;env&gt; --out FILE.png [--set k=v …] [--theta true|init]</c>: rolls out the Step-mode policy on the
/// true system (re-planning every step: solve the policy OCP from the current state, zero cold start, apply u*₀) for one
/// episode from the environment's first initial state, and draws the state and control curves as stacked panels
/// (ScottPlot). For voltage the first panel shows the three voltages with the ±5% band (0.95 / 1.05 p.u.).
/// Exit code 1 when a policy solve did not converge (the plot is still written).
/// </summary>
internal static class PlotCommand
{
    private const int Width = 920;
    private const int PanelHeight = 250;

    public static Command Create()
    {
        var environment = new Argument<string?>("environment")
        {
            Description = "The environment: " + string.Join(", ", EnvironmentCatalog.Names) + " (not with --run).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        environment.AcceptOnlyFromAmong([.. EnvironmentCatalog.Names]);
        var output = new Option<string?>("--out") { Description = "The PNG file to write; with --run, the folder for the pictures (default: the run folder)." };
        var run = new Option<DirectoryInfo?>("--run") { Description = "Draw a run folder's pictures: learning curve, θ over iterations, initial vs trained closed-loop episodes." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override an environment setting, key=value (repeatable; the keys of docs/environments.md).",
            AllowMultipleArgumentsPerToken = false,
        };
        var theta = new Option<string>("--theta") { Description = "Policy parameters: 'true' (default) or 'init' (training start).", DefaultValueFactory = _ => "true" };
        theta.AcceptOnlyFromAmong("true", "init");

        var command = new Command("plot", "Draw a rollout of the Step-mode policy on the true system (state and control curves) as a PNG, or with --run the pictures of a training run.");
        command.Arguments.Add(environment);
        command.Options.Add(output);
        command.Options.Add(set);
        command.Options.Add(theta);
        command.Options.Add(run);
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(run) is { } runDir)
            {
                if (parse.GetValue(environment) is { } named)
                    throw new ArgumentException($"--run draws the run's own environment: drop '{named}' (or drop --run to plot {named} with --theta).");
                if (parse.GetResult(set) is { Implicit: false } || parse.GetResult(theta) is { Implicit: false })
                    throw new ArgumentException("--run draws the run as config.json and params.json describe it: drop --set and --theta.");
                if (!runDir.Exists) throw new ArgumentException($"The run folder {runDir.FullName} does not exist: pass a folder written by 'diffop train --out'.");
                string outDir = parse.GetValue(output) ?? runDir.FullName;
                foreach (var picture in RunPlots.Write(runDir.FullName, outDir))
                    stdout.WriteLine($"{picture.Path}: {picture.Shows}");
                return DiffOpCli.Success;
            }
            {
                string name = (parse.GetValue(environment) ?? throw new ArgumentException("Name the environment to plot (or pass --run RUN).")).ToLowerInvariant();
                string path = parse.GetValue(output) ?? throw new ArgumentException("--out FILE.png is required (where to write the picture).");
                string[] overrides = parse.GetValue(set) ?? [];
                bool trueTheta = parse.GetValue(theta) != "init";
                var model = EnvironmentCatalog.CreatePolicyModel(name, overrides);
                var simulator = EnvironmentCatalog.CreateSimulator(name, overrides);
                var rollout = Roll(model, simulator, trueTheta ? model.TrueTheta() : model.InitialTheta(0));
                string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (directory is not null) Directory.CreateDirectory(directory);
                Draw(path, name, model, rollout, trueTheta ? "true" : "init");
                stdout.WriteLine(
                    $"wrote {path}: {name}, {rollout.Controls.Count} steps, episode cost {rollout.TotalCost:G6}, " +
                    $"{rollout.Controls.Count - rollout.FailedSolves}/{rollout.Controls.Count} policy solves converged" +
                    (rollout.SimulatorFailed ? ", the simulator failed (episode ended early)" : "") + ".");
                return rollout.FailedSolves == 0 && !rollout.SimulatorFailed ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
            }
        }));
        return command;
    }

    /// <summary>One closed-loop episode: states x_0..x_K, controls u_0..u_{K−1}, the true costs.</summary>
    internal sealed record Rollout(List<double[]> States, List<double[]> Controls, double TotalCost, int FailedSolves, bool SimulatorFailed, double? TimeStep);

    private static Rollout Roll(IPolicyModel model, IEnvironment simulator, double[] theta) =>
        Roll(model, simulator, theta, DiffOp.Learning.Policies.PolicyMode.Step, model.StepHorizon, seed: 0);

    /// <summary>
    /// The deterministic policy (u = u*, in <paramref name="mode"/> with horizon <paramref name="horizon"/>) as a feedback law on the
    /// true system for one episode, as evaluation runs it (warm starts, the fallback on a failed solve). The start: the
    /// model's initial state number <paramref name="seed"/> for the control tasks, the simulator's reset with that seed otherwise
    /// (voltage: scenario <paramref name="seed"/>).
    /// </summary>
    internal static Rollout Roll(IPolicyModel model, IEnvironment simulator, double[] theta, DiffOp.Learning.Policies.PolicyMode mode, int horizon, int seed)
    {
        var ocp = ProblemLimits.Build(model, horizon, theta);
        using var policy = new DiffOp.Learning.Policies.FeedbackPolicy(ocp, mode, theta);
        var x = new double[simulator.StateCount];
        double? timeStep = null;
        if (simulator is IControlTaskEnvironment task)
        {
            task.Reset(model.InitialStates[seed % model.InitialStates.Count].ToArray(), x);
            timeStep = task.Settings.TimeStep;
        }
        else
        {
            simulator.Reset(seed, x);
        }

        var states = new List<double[]> { (double[])x.Clone() };
        var controls = new List<double[]>();
        double total = 0;
        bool simulatorFailed = false;
        for (int t = 0; t < simulator.EpisodeLength; t++)
        {
            double[] u = policy.Act(x);
            if (!u.All(double.IsFinite))
            {
                simulatorFailed = true;
                break;
            }

            var next = new double[simulator.StateCount];
            var step = simulator.Step(u, next);
            controls.Add(u);
            states.Add(next);
            total += step.Cost;
            x = next;
            if (step.Failed) simulatorFailed = true;
            if (step.Done) break;
        }

        return new Rollout(states, controls, total, policy.SolveFailures, simulatorFailed, timeStep);
    }

    /// <summary>A curve: a state or control component with its legend text.</summary>
    internal sealed record Curve(int Index, string Label);

    /// <summary>A panel: curves of the state (or of the control), a y label, and labelled horizontal reference lines.</summary>
    internal sealed record Panel(string YLabel, bool IsControl, Curve[] Curves, double[] ReferenceLines, string ReferenceLabel = "");

    internal static Panel[] Panels(string name, IPolicyModel model) => name switch
    {
        "cartpole" =>
        [
            new("position, angle", false, [new(0, "p (m)"), new(1, "θ (rad)")], [Math.PI], "upright (θ = π)"),
            new("velocities", false, [new(2, "dp/dt (m/s)"), new(3, "dθ/dt (rad/s)")], []),
            new("force (N)", true, [new(0, "F")], []),
        ],
        "robotarm" =>
        [
            new("joint angles (rad)", false, [new(0, "q1"), new(1, "q2")], []),
            new("joint velocities (rad/s)", false, [new(2, "dq1/dt"), new(3, "dq2/dt")], []),
            new("joint torques", true, [new(0, "τ1 (N·m)"), new(1, "τ2 (N·m)")], []),
        ],
        "quadrotor" =>
        [
            new("position (m)", false, [new(0, "x"), new(1, "y"), new(2, "z")], []),
            new("velocity (m/s)", false, [new(3, "vx"), new(4, "vy"), new(5, "vz")], []),
            new("attitude quaternion", false, [new(6, "q0"), new(7, "q1"), new(8, "q2"), new(9, "q3")], []),
            new("body rates (rad/s)", false, [new(10, "ωx"), new(11, "ωy"), new(12, "ωz")], []),
            new("rotor thrusts (N)", true, [new(0, "f1"), new(1, "f2"), new(2, "f3"), new(3, "f4")], []),
        ],
        "voltage" =>
        [
            new("voltage |V| (p.u.)", false, [new(0, "v bus 645"), new(1, "v bus 684"), new(2, "v bus 692")], [0.95, 1.05], "±5% band"),
            new("reactive power q (MVAr)", false, [new(3, "q bus 645"), new(4, "q bus 684"), new(5, "q bus 692")], []),
            new("increment u (MVAr)", true, [new(0, "u bus 645"), new(1, "u bus 684"), new(2, "u bus 692")], []),
        ],
        _ =>
        [
            new("state", false, [.. Enumerable.Range(0, model.StateCount).Select(i => new Curve(i, $"x{i}"))], []),
            new("control", true, [.. Enumerable.Range(0, model.ControlCount).Select(i => new Curve(i, $"u{i}"))], []),
        ],
    };

    private static void Draw(string path, string name, IPolicyModel model, Rollout rollout, string thetaName) =>
        Draw(path, $"{name}: Step policy, H = {model.StepHorizon}, θ = {thetaName}; episode cost {rollout.TotalCost:G4}", Panels(name, model), [(rollout, "", false)]);

    /// <summary>
    /// Draws stacked panels of one or more rollouts of the same system: each curve of a panel once per rollout, a faint
    /// dashed rollout (e.g. the initial θ) beside a solid one, the rollout's label appended to the legend text.
    /// </summary>
    internal static void Draw(string path, string title, Panel[] panels, IReadOnlyList<(Rollout Rollout, string Label, bool Faint)> rollouts)
    {
        var first = rollouts[0].Rollout;
        double dt = first.TimeStep ?? 1.0;
        string xLabel = first.TimeStep is null ? "step" : "time (s)";
        var palette = new ScottPlot.Palettes.Category10();

        var multiplot = new ScottPlot.Multiplot();
        multiplot.AddPlots(panels.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        var plots = multiplot.GetPlots();
        for (int p = 0; p < panels.Length; p++)
        {
            var plot = plots[p];
            var panel = panels[p];
            for (int r = 0; r < panel.ReferenceLines.Length; r++)
            {
                var line = plot.Add.HorizontalLine(panel.ReferenceLines[r], 1.5f, ScottPlot.Colors.Gray, ScottPlot.LinePattern.Dashed);
                line.LegendText = r == 0 ? panel.ReferenceLabel : "";
            }

            foreach (var (rollout, label, faint) in rollouts)
            {
                double[] stateTimes = [.. Enumerable.Range(0, rollout.States.Count).Select(k => k * dt)];
                // Controls are held over [t_k, t_{k+1}): draw them as steps, repeating the last value at the end.
                double[] controlTimes = [.. Enumerable.Range(0, rollout.Controls.Count + 1).Select(k => k * dt)];
                for (int c = 0; c < panel.Curves.Length; c++)
                {
                    var curve = panel.Curves[c];
                    ScottPlot.Plottables.Scatter scatter;
                    if (panel.IsControl)
                    {
                        if (rollout.Controls.Count == 0) continue;
                        double[] ys = [.. rollout.Controls.Select(u => u[curve.Index]), rollout.Controls[^1][curve.Index]];
                        scatter = plot.Add.Scatter(controlTimes, ys);
                        scatter.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
                    }
                    else
                    {
                        scatter = plot.Add.Scatter(stateTimes, [.. rollout.States.Select(x => x[curve.Index])]);
                    }

                    scatter.MarkerSize = 0;
                    scatter.LineWidth = faint ? 1.5f : 2;
                    scatter.Color = palette.GetColor(c).WithAlpha(faint ? 0.55 : 1.0);
                    if (faint) scatter.LinePattern = ScottPlot.LinePattern.Dashed;
                    scatter.LegendText = label.Length == 0 ? curve.Label : $"{curve.Label}, {label}";
                }
            }

            plot.YLabel(panel.YLabel);
            plot.XLabel(p == panels.Length - 1 ? xLabel : "");
            plot.ShowLegend(ScottPlot.Edge.Right);
            int right = rollouts.Count > 1 ? 260 : 190;
            plot.Layout.Fixed(new PixelPadding(left: 80, right: right, bottom: p == panels.Length - 1 ? 45 : 25, top: p == 0 ? 35 : 10));
        }

        plots[0].Title(title);
        multiplot.SharedAxes.ShareX(plots);
        multiplot.SavePng(path, Width + (rollouts.Count > 1 ? 70 : 0), PanelHeight * panels.Length);
    }
}
