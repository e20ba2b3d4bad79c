using System.Text.Json;
using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Environments.Voltage;
using DiffOp.Learning.Algorithms;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>
/// <c>diffop train ENV --algorithm imitation --demos N</c>: PDP offline. Demonstrations are whole trajectories over the
/// episode (H = T): for the control tasks the plans of the true-θ OCP from the run's initial states (as PDP made its
/// data); for voltage the closed-loop trajectories of the safe-gradient-flow controller on the true system (the paper
/// used TASRL's, which is not available here). θ is fitted by Levenberg–Marquardt on the trajectory-matching loss with
/// one cost weight fixed (the weights' common scale is not identifiable), then deployed in the run's mode.
/// </summary>
internal static class ImitationRun
{
    public static int Execute(RunConfig config, int demos, string dir, TextWriter info)
    {
        DiffOp.Interop.Ipopt.IpoptLibrary.EnsureLoaded();
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"The run folder {dir} exists and is not empty: choose another --out.");
        var setup = new TrainingSetup(config);
        var model = setup.Model;
        int horizon = model.EpisodeLength;
        var ocp = ProblemLimits.Build(model, horizon, setup.Theta0);
        string source = model is VoltagePolicyModel ? "closed-loop trajectories of the safe-gradient-flow controller" : "plans of the true-θ OCP";
        info.WriteLine($"imitation for {config.Environment}: {demos} demonstrations ({source}, T = {horizon}), fitting θ (seed {config.Seed}) → {dir}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = model is VoltagePolicyModel voltage ? VoltageDemonstrations(voltage, ocp, demos, config.Seed) : PlanDemonstrations(model, config.Settings, ocp, demos, config.Seed, setup.SolverOptions);
        double demoSeconds = clock.Elapsed.TotalSeconds;

        // Hold one cost weight — the first entry the dynamics do not depend on — at its initial value: ζ* does not change
        // when every cost weight is multiplied by the same factor. Every dynamics entry is fitted.
        var dynamicsEntries = new SystemIdentification(ocp).FittedEntries.ToHashSet();
        int fixedWeight = Enumerable.Range(0, ocp.ParameterCount).FirstOrDefault(i => !dynamicsEntries.Contains(i), -1);
        var fitted = Enumerable.Range(0, ocp.ParameterCount).Where(i => i != fixedWeight).ToArray();
        using var imitation = new Imitation(ocp, setup.SolverOptions);
        var result = imitation.Fit(data, setup.Theta0, ocp.DefaultContext(), fitted, model.ParameterLowerBounds());
        if (!double.IsFinite(result.Loss) || !result.Theta.All(double.IsFinite))
            throw new TrainingStalledException(
                $"The imitation fit did not reach a finite loss ({result.FailedSolves} plans failed): the policy OCP does not solve from the demonstrations' " +
                "starts at the initial θ. Nothing was written; check the OCP with 'diffop solve'.");
        Directory.CreateDirectory(dir);
        config.Save(Path.Combine(dir, "config.json"));

        var blocks = setup.Ocp.Parameters;
        new TrainingCheckpoint
        {
            Iteration = config.Iterations, Seed = config.Seed,
            Theta = blocks.ToDictionary(b => b.Name, b => result.Theta.AsSpan(b.Offset, b.Length).ToArray()),
            OptimizerFirstMoment = new double[result.Theta.Length], OptimizerSecondMoment = new double[result.Theta.Length], OptimizerSteps = 0,
        }.Save(Path.Combine(dir, "params.json"));
        string thetaCsv = Path.Combine(dir, "theta.csv");
        ThetaCsvWriter.Append(thetaCsv, blocks, 0, setup.Theta0);
        ThetaCsvWriter.Append(thetaCsv, blocks, config.Iterations, result.Theta);
        File.WriteAllText(Path.Combine(dir, "imitation.json"), JsonSerializer.Serialize(new
        {
            demonstrations = data.Count, source, horizon, fixed_entry = fixedWeight, fitted_entries = fitted, initial_loss = result.InitialLoss, loss = result.Loss,
            iterations = result.Iterations, converged = result.Converged, failed_solves = result.FailedSolves, loss_history = result.LossHistory,
            demos_s = demoSeconds, fit_s = clock.Elapsed.TotalSeconds - demoSeconds,
        }, JsonOutput.Indented));
        info.WriteLine($"done: trajectory-matching loss {result.InitialLoss:G6} → {result.Loss:G6} in {result.Iterations} Levenberg–Marquardt iterations " +
                       $"({(result.Converged ? "converged" : "iteration limit")}, {result.FailedSolves} failed solves); {clock.Elapsed.TotalSeconds:F1} s. Evaluate with: diffop evaluate {dir}");
        return DiffOpCli.Success;
    }

    /// <summary>Plans of the OCP at the model's true θ from the run's initial states (seeds as a DiffOP run draws them).</summary>
    private static List<Demonstration> PlanDemonstrations(IPolicyModel model, string[] settings, Ocp ocp, int count, int runSeed, OcpSolverOptions solverOptions)
    {
        var environment = EnvironmentCatalog.CreateSimulator(model.Name, settings);
        using var solver = new OcpSolver(ocp, solverOptions);
        var truth = model.TrueTheta();
        var demos = new List<Demonstration>();
        var x0 = new double[ocp.StateCount];
        for (int e = 0; demos.Count < count && e < 10 * count; e++)
        {
            environment.Reset(SeedSequence.Rollout(runSeed, e, 0), x0);
            var plan = solver.Solve(truth, x0, ocp.DefaultContext());
            if (plan.IsSuccess) demos.Add(new Demonstration((double[])x0.Clone(), plan.Trajectory.ToArray()));
        }
        if (demos.Count < count)
            throw new TrainingStalledException($"Only {demos.Count} of {count} demonstrations could be planned at the true θ: the OCP fails from most starts; check it with 'diffop solve --theta true'.");
        return demos;
    }

    /// <summary>Safe-gradient-flow episodes of T steps on the true system, as (x₀, u₀, x₁, …, x_T) in the OCP's layout.</summary>
    private static List<Demonstration> VoltageDemonstrations(VoltagePolicyModel model, Ocp ocp, int count, int runSeed)
    {
        var system = model.Settings.System;
        var environment = new VoltageEnvironment(system);
        var sgf = new SafeGradientFlowController(system);
        int n = ocp.StateCount, m = ocp.ControlCount, T = ocp.Horizon;
        var demos = new List<Demonstration>();
        for (int e = 0; demos.Count < count && e < 10 * count; e++)
        {
            var z = new double[ocp.Layout.VariableCount];
            var x = new double[n];
            var u = new double[m];
            environment.Reset(SeedSequence.Rollout(runSeed, e, 0), x);
            var x0 = (double[])x.Clone();
            bool failed = false;
            for (int t = 0; t < T && !failed; t++)
            {
                x.CopyTo(z, t * (n + m));
                Array.Clear(u);
                sgf.Compute(x, u);
                u.CopyTo(z, t * (n + m) + n);
                failed = environment.Step(u, x).Failed;
            }
            if (failed) continue;
            x.CopyTo(z, T * (n + m));
            demos.Add(new Demonstration(x0, z));
        }
        return demos;
    }
}
