using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DiffOp.Interop.Ipopt;

/// <summary>
/// Finds and loads Ipopt's shared library once per process. Order: the path given to
/// <see cref="Configure"/>, the <c>DIFFOP_IPOPT_PATH</c> environment variable,
/// <c>runtimes/&lt;rid&gt;/native</c> beside this assembly (filled by <c>./build.sh pack</c>), then the
/// platform names libipopt.so.1 (Debian's coinor-libipopt1v5), libipopt.so, libipopt.dylib,
/// ipopt-3.dll, ipopt.dll. If nothing loads, a <see cref="NativeLibraryException"/> says what to install.
/// </summary>
public static class IpoptLibrary
{
    /// <summary>Environment variable holding an explicit path to the Ipopt library.</summary>
    public const string PathVariable = "DIFFOP_IPOPT_PATH";

    /// <summary>Debian package that provides the runtime.</summary>
    public const string DebianPackage = "coinor-libipopt1v5";

    /// <summary>File names tried after the explicit paths, in order.</summary>
    public static IReadOnlyList<string> PlatformNames { get; } =
        ["libipopt.so.1", "libipopt.so", "libipopt.dylib", "ipopt-3.dll", "ipopt.dll"];

    private static readonly Lock Gate = new();
    private static string? _configuredPath;
    private static nint _handle;
    private static string? _loadedFrom;

    /// <summary>The file the library was loaded from, or null before the first native call.</summary>
    public static string? LoadedFrom { get { lock (Gate) return _loadedFrom; } }

    /// <summary>
    /// Uses <paramref name="path"/> before every other candidate. Call before the first solve;
    /// once the library is loaded the choice is locked and a different path throws.
    /// </summary>
    public static void Configure(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        lock (Gate)
        {
            if (_handle != 0 && _configuredPath != path)
                throw new InvalidOperationException(
                    $"Ipopt is already loaded from '{_loadedFrom}'; IpoptLibrary.Configure must be called before the first solve.");
            _configuredPath = path;
        }
    }

    /// <summary>Loads the library now (normally this happens on the first native call) and returns where it came from.</summary>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (_handle == 0)
            {
                (_handle, _loadedFrom) = Load(_configuredPath, Environment.GetEnvironmentVariable(PathVariable), useFallbacks: true);
            }
            return _loadedFrom!;
        }
    }

    /// <summary>True when the library can be loaded; never throws.</summary>
    public static bool IsAvailable()
    {
        try { EnsureLoaded(); return true; }
        catch (NativeLibraryException) { return false; }
    }

    // The resolver must be registered before the first P/Invoke of this assembly, whoever makes it.
#pragma warning disable CA2255 // a module initializer is the one place that runs early enough
    [ModuleInitializer]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(IpoptLibrary).Assembly, Resolve);
#pragma warning restore CA2255

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == IpoptNative.LibraryName ? NativeLibraryHandle() : 0;

    private static nint NativeLibraryHandle()
    {
        EnsureLoaded();
        return _handle;
    }

    /// <summary>
    /// Loads Ipopt. An explicit path (<paramref name="configuredPath"/>, else <paramref name="environmentPath"/>) is final:
    /// if it does not load, or loads something that is not Ipopt, that is the error, with the loader's own message (no
    /// silent fallback to another Ipopt). Otherwise the packaged and platform names are tried in order; when one exists
    /// but fails to load (e.g. a dependency such as MUMPS is missing), the loader's message is part of the error.
    /// <paramref name="useFallbacks"/> = false restricts the search to the explicit paths (a test hook).
    /// </summary>
    internal static (nint Handle, string From) Load(string? configuredPath, string? environmentPath, bool useFallbacks)
    {
        string? explicitPath = !string.IsNullOrWhiteSpace(configuredPath) ? configuredPath : !string.IsNullOrWhiteSpace(environmentPath) ? environmentPath : null;
        if (explicitPath is not null)
        {
            string source = explicitPath == configuredPath ? "IpoptLibrary.Configure" : $"The environment variable {PathVariable}";
            string advice = $"Fix the path, or unset it to use the system Ipopt (on Debian/Ubuntu the package {DebianPackage}).";
            nint handle;
            try { handle = NativeLibrary.Load(explicitPath); }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                throw new NativeLibraryException($"{source} names '{explicitPath}', which could not be loaded: {LoaderMessage(ex)} {advice}", ex);
            }
            if (!IsIpopt(handle))
            {
                NativeLibrary.Free(handle);
                throw new NativeLibraryException($"{source} names '{explicitPath}', which loads but is not Ipopt (it has no {IpoptEntryPoint} function). {advice}");
            }
            return (handle, explicitPath);
        }
        var tried = new List<string>();
        var problems = new List<string>();
        if (useFallbacks)
        {
            foreach (string candidate in Candidates())
            {
                tried.Add(candidate);
                try
                {
                    nint handle = NativeLibrary.Load(candidate);
                    if (IsIpopt(handle)) return (handle, candidate);
                    NativeLibrary.Free(handle);
                    problems.Add($"{candidate} is not Ipopt");
                }
                catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
                {
                    // "X: cannot open shared object file" for the candidate itself means it is not there; anything else
                    // (a missing dependency, a wrong architecture) is worth showing.
                    if (!ex.Message.Contains($"{Path.GetFileName(candidate)}: cannot open shared object file", StringComparison.Ordinal)
                        && !ex.Message.Contains("image not found", StringComparison.Ordinal))
                        problems.Add(LoaderMessage(ex));
                }
            }
        }
        throw new NativeLibraryException(
            "Could not load Ipopt's shared library (tried: " + string.Join(", ", tried) + "). " +
            (problems.Count > 0 ? "The loader said: " + string.Join(" | ", problems.Distinct()) + " " : "") +
            $"On Debian/Ubuntu install the package {DebianPackage} (sudo apt-get install {DebianPackage}, or run ./build.sh setup); " +
            $"elsewhere set the environment variable {PathVariable} to the full path of libipopt (.so/.dylib/.dll).");
    }

    /// <summary>The loader's own reason (dlerror's line, e.g. "libdmumps_seq-5.5.so: cannot open shared object file"), without .NET's advice around it.</summary>
    private static string LoaderMessage(Exception ex)
    {
        var lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 0 ? lines[^1].TrimEnd('.') + "." : ex.Message;
    }

    /// <summary>The function whose presence identifies Ipopt's C interface.</summary>
    internal const string IpoptEntryPoint = "CreateIpoptProblem";

    private static bool IsIpopt(nint handle) => NativeLibrary.TryGetExport(handle, IpoptEntryPoint, out _);

    private static IEnumerable<string> Candidates()
    {
        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        foreach (string name in PlatformNames)
        {
            string packaged = Path.Combine(native, name);
            if (File.Exists(packaged)) yield return packaged;
        }
        foreach (string name in PlatformNames) yield return name;
    }
}
