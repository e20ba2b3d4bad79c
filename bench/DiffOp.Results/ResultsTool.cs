using System.CommandLine;
using DiffOp.Cli;
using DiffOp.Cli.Commands;
using DiffOp.Results.Commands;

namespace DiffOp.Results;

/// <summary>
/// <c>diffop-results run|bench</c>: the experiment harness that regenerates docs/RESULTS.md (<c>./build.sh bench</c>) and
/// the quick solve/backward timing table. It lives outside the shipped <c>diffop</c> tool and drives it through child
/// processes; exit codes are the tool's (0 success, 1 a stage failed, 2 bad arguments, 3 Ipopt missing).
/// </summary>
internal static class ResultsTool
{
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("diffop-results — regenerate docs/RESULTS.md (benchmarks, learning curves over seeds, the voltage table) and time solves.");
        root.Subcommands.Add(ResultsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Options.Add(CommandErrors.Verbose);
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error) => DiffOpCli.Run(BuildRootCommand(), args, output, error);

    /// <summary>The commands' error boundary: a failed stage (its message names the command and log) is exit 1, the rest as in diffop.</summary>
    public static int Guard(ParseResult parse, Func<int> body) => CommandErrors.Guard(parse, () =>
    {
        try
        {
            return body();
        }
        catch (ResultsStageException ex)
        {
            parse.InvocationConfiguration.Error.WriteLine(ex.Message);
            return DiffOpCli.ComputationFailed;
        }
    });
}
