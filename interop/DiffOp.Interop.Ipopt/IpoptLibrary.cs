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
    /// Tries the candidates in order and returns the first that loads. <paramref name="useFallbacks"/>
    /// = false restricts the search to the explicit paths (a test hook).
    /// </summary>
    internal static (nint Handle, string From) Load(string? configuredPath, string? environmentPath, bool useFallbacks)
    {
        var tried = new List<string>();
        foreach (string candidate in Candidates(configuredPath, environmentPath, useFallbacks))
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle)) return (handle, candidate);
            tried.Add(candidate);
        }
        throw new NativeLibraryException(
            "Could not load Ipopt's shared library (tried: " + string.Join(", ", tried) + "). " +
            $"On Debian/Ubuntu install the package {DebianPackage} (sudo apt-get install {DebianPackage}, or run ./build.sh setup); " +
            $"elsewhere set the environment variable {PathVariable} to the full path of libipopt (.so/.dylib/.dll).");
    }

    private static IEnumerable<string> Candidates(string? configuredPath, string? environmentPath, bool useFallbacks)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath)) yield return configuredPath;
        if (!string.IsNullOrWhiteSpace(environmentPath)) yield return environmentPath;
        if (!useFallbacks) yield break;
        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        foreach (string name in PlatformNames)
        {
            string packaged = Path.Combine(native, name);
            if (File.Exists(packaged)) yield return packaged;
        }
        foreach (string name in PlatformNames) yield return name;
    }
}
