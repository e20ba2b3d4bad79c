using DiffOp.Interop.Ipopt;

namespace DiffOp.Interop.Ipopt.Tests;

public class IpoptLibraryTests
{
    [Test]
    public void Load_MissingPathWithoutFallbacks_ThrowsMessageNamingPackageAndVariable()
    {
        const string missing = "/nonexistent/dir/libipopt-missing.so";
        var ex = Assert.Throws<NativeLibraryException>(() => IpoptLibrary.Load(null, missing, useFallbacks: false));
        Assert.That(ex!.Message, Does.Contain("coinor-libipopt1v5"));
        Assert.That(ex.Message, Does.Contain("DIFFOP_IPOPT_PATH"));
        Assert.That(ex.Message, Does.Contain(missing), "the message lists what was tried");
    }

    [Test]
    public void Load_ConfiguredPathComesFirst_AndIsFinal()
    {
        var ex = Assert.Throws<NativeLibraryException>(() => IpoptLibrary.Load("/nope/a.so", "/nope/b.so", useFallbacks: true));
        Assert.That(ex!.Message, Does.Contain("/nope/a.so"));
        Assert.That(ex.Message, Does.Not.Contain("/nope/b.so"), "an explicit path that fails is the error; nothing else is tried");
        Assert.That(ex.Message, Does.Contain("IpoptLibrary.Configure"));
    }

    [Test]
    public void Load_ExplicitPathThatDoesNotExist_IsAnErrorEvenWithFallbacks()
    {
        // Even where a system Ipopt exists, an explicit path that does not load must not silently be replaced by it.
        var ex = Assert.Throws<NativeLibraryException>(() => IpoptLibrary.Load(null, "/nonexistent/libipopt.so", useFallbacks: true));
        Assert.That(ex!.Message, Does.Contain("DIFFOP_IPOPT_PATH"));
        Assert.That(ex.Message, Does.Contain("could not be loaded"));
    }

    [Test]
    public void Load_LibraryWhoseDependencyIsMissing_NamesTheMissingDependency()
    {
        // Like an Ipopt whose MUMPS is not installed: a library with CreateIpoptProblem, linked against a library that
        // is then removed. Built with gcc here; skipped where there is none.
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Builds a Linux shared library.");
        string dir = Path.Combine(Path.GetTempPath(), $"diffop-fake-ipopt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "dep.c"), "void diffop_dep(void) {}\n");
            File.WriteAllText(Path.Combine(dir, "fake.c"), "void diffop_dep(void);\nvoid CreateIpoptProblem(void) { diffop_dep(); }\n");
            if (!Gcc(dir, "-shared", "-fPIC", "-o", "libdiffopdepmissing.so", "dep.c")
                || !Gcc(dir, "-shared", "-fPIC", "-o", "libfakeipopt.so", "fake.c", "-L.", "-ldiffopdepmissing"))
                Assert.Ignore("gcc is not available to build the fake library.");
            File.Delete(Path.Combine(dir, "libdiffopdepmissing.so"));
            var ex = Assert.Throws<NativeLibraryException>(() => IpoptLibrary.Load(null, Path.Combine(dir, "libfakeipopt.so"), useFallbacks: false));
            Assert.That(ex!.Message, Does.Contain("libdiffopdepmissing.so"), "the loader's reason names the missing dependency");
            Assert.That(ex.Message, Does.Not.Contain("consider using a tool like strace"), "without .NET's generic advice");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool Gcc(string directory, params string[] args)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("gcc") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args) start.ArgumentList.Add(a);
            using var gcc = System.Diagnostics.Process.Start(start)!;
            gcc.WaitForExit(60_000);
            return gcc.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;   // no gcc
        }
    }

    [Test]
    public void Load_ExplicitPathToALibraryThatIsNotIpopt_SaysSo()
    {
        string? libm = new[] { "/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6" }.FirstOrDefault(File.Exists);
        if (libm is null) Assert.Ignore("No libm.so.6 at a known place on this machine.");
        var ex = Assert.Throws<NativeLibraryException>(() => IpoptLibrary.Load(null, libm, useFallbacks: true));
        Assert.That(ex!.Message, Does.Contain("is not Ipopt"));
        Assert.That(ex.Message, Does.Contain("CreateIpoptProblem"));
    }

    [Test]
    [Category("Native")]
    public void EnsureLoaded_WithSystemInstall_LoadsAPlatformName()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here (run ./build.sh setup).");
        string from = IpoptLibrary.EnsureLoaded();
        Assert.That(from, Does.Contain("ipopt"));
        Assert.That(IpoptLibrary.LoadedFrom, Is.EqualTo(from));
    }

    [Test]
    public void PlatformNames_StartWithDebianSoname()
    {
        Assert.That(IpoptLibrary.PlatformNames[0], Is.EqualTo("libipopt.so.1"));
        Assert.That(IpoptLibrary.PlatformNames, Does.Contain("ipopt-3.dll"));
    }
}
