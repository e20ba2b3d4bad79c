using System.CommandLine;
using DiffOp.Control.Nlp;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Commands;

/// <summary>
/// Runs a command body and turns the expected failures into one message on stderr and a documented exit code:
/// Ipopt missing → 3; a solver or sensitivity failure, or stalled training → 1; bad arguments, settings or files → 2.
/// </summary>
internal static class CommandErrors
{
    public static int Guard(ParseResult parse, Func<int> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return body();
        }
        catch (NativeLibraryException ex) { error.WriteLine(ex.Message); return DiffOpCli.MissingDependency; }
        catch (SolverException ex) { error.WriteLine(ex.Message); return DiffOpCli.ComputationFailed; }
        catch (DiffOp.Learning.Training.TrainingStalledException ex) { error.WriteLine(ex.Message); return DiffOpCli.ComputationFailed; }
        catch (Results.ResultsStageException ex) { error.WriteLine(ex.Message); return DiffOpCli.ComputationFailed; }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine(ex.Message);
            return DiffOpCli.UsageError;
        }
    }
}
