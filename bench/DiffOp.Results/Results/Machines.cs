using System.Diagnostics;
using System.Runtime.InteropServices;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Results;

/// <summary>Describes the machine, the runtime, the Ipopt library and the commit a results run used.</summary>
internal static class Machines
{
    public static MachineInfo Describe(DateTime startedUtc)
    {
        string ipopt = IpoptLibrary.EnsureLoaded();
        // The file the loader actually mapped (the name may be a bare soname), with its version suffix.
        const string maps = "/proc/self/maps";
        if (File.Exists(maps) && File.ReadLines(maps).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(f => f[^1])
                .FirstOrDefault(p => p.StartsWith('/') && Path.GetFileName(p).StartsWith("libipopt", StringComparison.Ordinal)) is { } mapped)
            ipopt = $"{ipopt} ({mapped})";
        string commit = Git("rev-parse", "HEAD") ?? "unknown (not a git checkout)";
        bool dirty = !string.IsNullOrWhiteSpace(Git("status", "--porcelain", "--untracked-files=no"));
        return new MachineInfo(Cpu(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, ipopt, commit, dirty, startedUtc);
    }

    private static string Cpu()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            string? model = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (model is not null) return model[(model.IndexOf(':') + 1)..].Trim();
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string? Git(params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start);
            if (process is null) return null;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // git is not installed
        }
    }
}
