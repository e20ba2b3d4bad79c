using System.CommandLine;
using System.Diagnostics;
using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop soak [--solves N] [--json]</c>: a long run of voltage policy solves that shows whether memory stays flat —
/// first N solves on one solver (resident set size after a warm-up tenth and at the end), then N/10 solves each on a
/// solver created and disposed for it. A benchmark, not a test: the figures go into docs, no threshold is asserted.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var solves = new Option<int>("--solves") { Description = "N: solves on one solver (then N/10 with a solver per solve).", DefaultValueFactory = _ => 20_000 };
        CommonOptions.AddMinimum(solves, 10);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("soak", "Solve the voltage policy OCP many times and report the resident memory (does it stay flat?).") { solves, json };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(solves);
            var model = EnvironmentCatalog.CreatePolicyModel("voltage", []);
            var theta = model.TrueTheta();
            var ocp = ProblemLimits.Build(model, model.StepHorizon, theta);
            var context = ocp.DefaultContext();
            var starts = model.InitialStates;
            int failures = 0;

            var clock = Stopwatch.StartNew();
            long warm = 0, managedWarm = 0, committedWarm = 0;
            using (var solver = new OcpSolver(ocp))
            {
                for (int k = 0; k < n; k++)
                {
                    if (!solver.Solve(theta, starts[k % starts.Count].ToArray(), context).IsSuccess) failures++;
                    if (k == (n / 10) - 1) { warm = ResidentBytes(); managedWarm = GC.GetTotalMemory(forceFullCollection: true); committedWarm = GC.GetGCMemoryInfo().TotalCommittedBytes; }
                }
            }
            long afterShared = ResidentBytes(), managedAfter = GC.GetTotalMemory(forceFullCollection: true), committedAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
            double sharedSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            int fresh = Math.Max(1, n / 10);
            long freshStart = ResidentBytes();
            for (int k = 0; k < fresh; k++)
            {
                using var solver = new OcpSolver(ocp);
                if (!solver.Solve(theta, starts[k % starts.Count].ToArray(), context).IsSuccess) failures++;
            }
            long afterFresh = ResidentBytes();
            double freshSeconds = clock.Elapsed.TotalSeconds;

            const double MiB = 1024.0 * 1024.0;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(output, new
                {
                    solves = n, rss_after_warmup_mib = warm / MiB, rss_after_solves_mib = afterShared / MiB, growth_mib = (afterShared - warm) / MiB,
                    managed_growth_mib = (managedAfter - managedWarm) / MiB, gc_committed_growth_mib = (committedAfter - committedWarm) / MiB,
                    solves_per_second = n / sharedSeconds, fresh_solver_solves = fresh, rss_before_fresh_mib = freshStart / MiB,
                    rss_after_fresh_mib = afterFresh / MiB, fresh_growth_mib = (afterFresh - freshStart) / MiB,
                    fresh_solves_per_second = fresh / freshSeconds, failures,
                });
            }
            else
            {
                output.WriteLine($"one solver, {n} solves ({n / sharedSeconds:F0}/s): RSS {warm / MiB:F1} MiB after {n / 10} → {afterShared / MiB:F1} MiB at the end ({Signed((afterShared - warm) / MiB)} MiB; managed heap {Signed((managedAfter - managedWarm) / MiB)} MiB, GC committed {Signed((committedAfter - committedWarm) / MiB)} MiB)");
                output.WriteLine($"a solver per solve, {fresh} solves ({fresh / freshSeconds:F0}/s): RSS {freshStart / MiB:F1} → {afterFresh / MiB:F1} MiB ({Signed((afterFresh - freshStart) / MiB)} MiB)");
                output.WriteLine($"failed solves: {failures}");
            }
            return failures == 0 ? DiffOpCli.Success : DiffOpCli.ComputationFailed;
        }));
        return command;
    }

    private static string Signed(double value) => (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The process's resident set after a full garbage collection (managed garbage is not a leak).</summary>
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
