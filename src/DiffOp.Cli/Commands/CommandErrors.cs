using System.CommandLine;
using System.Text.Json;
using DiffOp.Control.Nlp;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary>
/// The one error boundary of every command: any exception becomes one message on stderr and a documented exit code —
/// Ipopt missing or not Ipopt → 3; a solver or sensitivity failure, stalled training, or an unexpected error → 1; bad
/// arguments, settings or files, or a problem too large to build → 2. The stack trace is printed only with
/// <c>--verbose</c> (or DIFFOP_VERBOSE=1).
/// </summary>
internal static class CommandErrors
{
    /// <summary>Environment variable that turns on stack traces, like <c>--verbose</c>.</summary>
    public const string VerboseVariable = "DIFFOP_VERBOSE";

    /// <summary>The root's <c>--verbose</c> option (recursive: accepted by every command).</summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "On an error, also print the stack trace.", Recursive = true };

    public static int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Report(ex, parse.InvocationConfiguration.Error, IsVerbose(parse));
        }
    }

    /// <summary>True when <c>--verbose</c> was given or DIFFOP_VERBOSE is 1/true.</summary>
    public static bool IsVerbose(ParseResult? parse) =>
        (parse is not null && parse.GetValue(Verbose)) || Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true";

    /// <summary>Writes the message for <paramref name="exception"/> and returns its exit code.</summary>
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        var ex = Unwrap(exception);
        (int code, string message) = ex switch
        {
            NativeLibraryException => (DiffOpCli.MissingDependency, ex.Message),
            DllNotFoundException or EntryPointNotFoundException or BadImageFormatException =>
                (DiffOpCli.MissingDependency, $"A native library could not be used: {ex.Message} Check the Ipopt installation (./build.sh setup) or DIFFOP_IPOPT_PATH."),
            SolverException or DiffOp.Learning.Training.TrainingStalledException or DiffOp.Learning.Workers.RolloutWorkerException
                or DiffOp.Cluster.ClusterUnavailableException => (DiffOpCli.ComputationFailed, ex.Message),
            ArgumentException argument => (DiffOpCli.UsageError, ArgumentMessage(argument)),
            JsonException => (DiffOpCli.UsageError, $"A JSON file could not be read: {ex.Message}"),
            IOException or InvalidDataException or UnauthorizedAccessException or FormatException => (DiffOpCli.UsageError, ex.Message),
            OverflowException or OutOfMemoryException or InsufficientExecutionStackException =>
                (DiffOpCli.UsageError, $"The problem is too large to build ({ex.GetType().Name}: {ex.Message}): use a shorter horizon or a smaller problem."),
            _ => (DiffOpCli.ComputationFailed, $"Unexpected error ({ex.GetType().Name}): {ex.Message} Rerun with --verbose for the stack trace, and please report it."),
        };
        error.WriteLine(message);
        if (verbose) error.WriteLine(exception.ToString());
        return code;
    }

    /// <summary>The exception that says what happened: the first inner one of an aggregate or a reflection wrapper.</summary>
    private static Exception Unwrap(Exception ex)
    {
        while (true)
        {
            switch (ex)
            {
                case AggregateException { InnerExceptions.Count: > 0 } aggregate: ex = aggregate.InnerExceptions[0]; continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }: ex = inner; continue;
                default: return ex;
            }
        }
    }

    /// <summary>An ArgumentException's message without .NET's " (Parameter 'x')" and "Actual value was" suffixes.</summary>
    private static string ArgumentMessage(ArgumentException ex)
    {
        string message = ex.Message;
        if (ex.ParamName is { } name)
        {
            int at = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (at >= 0) message = message[..at];
        }
        int actual = message.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        return actual >= 0 ? message[..actual] : message;
    }
}
