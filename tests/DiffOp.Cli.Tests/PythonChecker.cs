using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace DiffOp.Cli.Tests;

/// <summary>
/// Runs tools/python/check_kkt.py with a python3 that has numpy: $DIFFOP_PYTHON when set, else /usr/bin/python3 (where
/// Debian's python3-numpy, installed by ./build.sh setup, lives), else python3 on PATH. A missing numpy fails the test
/// with what to run; it never passes silently.
/// </summary>
internal static class PythonChecker
{
    public const string PythonVariable = "DIFFOP_PYTHON";

    private static readonly Lazy<string> Interpreter = new(Find);

    public static string Script([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "tools", "python", "check_kkt.py"));

    /// <summary>Fails the calling test when no python3 with numpy is available.</summary>
    public static string RequirePython()
    {
        string python = Interpreter.Value;
        var (code, _, err) = Run(python, "-c", "import numpy");
        if (code != 0)
            Assert.Fail($"python3 with numpy is needed by the KKT checker tests and is missing ('{python} -c \"import numpy\"' exited {code}: {err.Trim().Split('\n')[^1]}). " +
                        $"Run ./build.sh setup (as root it installs Debian's python3-numpy), or set {PythonVariable} to a python3 that has numpy.");
        return python;
    }

    /// <summary>Runs the checker on <paramref name="export"/>; returns its exit code and output.</summary>
    public static (int Code, string Out, string Err) Check(string export, params string[] extra) =>
        Run(RequirePython(), [Script(), export, .. extra]);

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } configured) return configured;
        return File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    }

    private static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", $"cannot start '{file}': {ex.Message}");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"'{file}' did not finish within 60 s.");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
