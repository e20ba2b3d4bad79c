using System.CommandLine;
using DiffOp.Cli.Commands;

namespace DiffOp.Cli;

/// <summary>
/// The <c>diffop</c> command. Exit codes: 0 success; 1 the requested computation failed (e.g. a solve
/// did not converge: its status is still printed); 2 invalid usage or input; 3 a native dependency is
/// missing (the message says what to install).
/// </summary>
public static class DiffOpCli
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;
    /// <summary>Exit code when the computation ran but failed (non-converged solve, …).</summary>
    public const int ComputationFailed = 1;
    /// <summary>Exit code for invalid arguments or input.</summary>
    public const int UsageError = 2;
    /// <summary>Exit code when Ipopt (or another native library) cannot be loaded.</summary>
    public const int MissingDependency = 3;

    /// <summary>Builds the command tree.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "diffop — train optimization-based control policies (DiffOP): solve parameterized optimal control problems " +
            "with Ipopt, differentiate their solutions, and train the parameters by policy gradient.");
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(GradCheckCommand.Create());
        root.Subcommands.Add(ExportKktCommand.Create());
        root.Subcommands.Add(EvaluateBaselineCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(RolloutWorkerCommand.Create());
        root.Subcommands.Add(SiloCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(VarianceCommand.Create());
        root.Subcommands.Add(SoakCommand.Create());
        root.Options.Add(CommandErrors.Verbose);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(BuildRootCommand(), args, output, error);

    /// <summary>
    /// Parses and runs <paramref name="args"/> against <paramref name="root"/> behind this tool's error boundary (one message,
    /// the documented exit codes); other programs built on these commands (the results harness) use it too.
    /// </summary>
    internal static int Run(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        var parse = root.Parse(args);
        // Our own boundary instead of System.CommandLine's handler, which prints a stack trace and exits 1 for anything.
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            if (parse.Errors.Count > 0)
            {
                parse.Invoke(config);   // prints the errors and help
                return UsageError;
            }
            return parse.Invoke(config);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return CommandErrors.Report(ex, error, CommandErrors.IsVerbose(parse));
        }
    }
}
