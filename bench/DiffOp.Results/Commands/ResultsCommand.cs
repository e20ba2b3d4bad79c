using System.CommandLine;
using DiffOp.Cli;
using DiffOp.Cli.Commands;
using DiffOp.Results;

namespace DiffOp.Results.Commands;

/// <summary>
/// <c>diffop-results run [--quick] [--out docs] [--work artifacts/results] [--workers 2] [--environments voltage,…]</c>: regenerates docs/RESULTS.md and
/// its pictures — benchmarks, training runs over seeds, the voltage evaluation — beside the paper's figures
/// (<c>./build.sh bench</c> calls it). Finished training runs in the work folder are reused, partial ones resumed.
/// </summary>
internal static class ResultsCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 2 seeds, few iterations, 50 voltage scenarios, short benchmarks (the report says so)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder of RESULTS.md (pictures go to its results/ subfolder).", DefaultValueFactory = _ => new DirectoryInfo("docs") };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Folder for runs, logs and raw data (default artifacts/results, or artifacts/results-quick with --quick)." };
        var workers = new Option<int>("--workers") { Description = "Rollout worker processes per training run.", DefaultValueFactory = _ => 2 };
        var environments = new Option<string[]>("--environments")
        {
            Description = "Only these environments (comma-separated or repeated; must include voltage). The report says it is a partial run.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("run", "Regenerate docs/RESULTS.md: benchmarks, learning curves over seeds and the voltage table, beside the paper.")
        {
            quick, output, work, workers, environments,
        };
        command.SetAction(parse => ResultsTool.Guard(parse, () =>
        {
            if (parse.GetValue(workers) < 1) throw new ArgumentException($"--workers must be at least 1, got {parse.GetValue(workers)}.");
            var plan = parse.GetValue(quick) ? ResultsPlan.QuickRun : ResultsPlan.Full;
            if (parse.GetValue(environments) is { Length: > 0 } only)
                plan = plan.Restricted([.. only.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]);
            string outDir = parse.GetValue(output)!.FullName;
            string workDir = parse.GetValue(work)?.FullName ?? Path.GetFullPath(Path.Combine("artifacts", plan.Quick ? "results-quick" : "results"));
            var console = parse.InvocationConfiguration.Output;
            var data = new ResultsRunner(plan, workDir, parse.GetValue(workers), console).Run();
            string report = ResultsPublisher.Publish(data, outDir);
            console.WriteLine($"wrote {report} and its pictures in {Path.Combine(outDir, "results")} ({data.Duration.TotalMinutes:F1} min)");
            return DiffOpCli.Success;
        }));
        return command;
    }
}
