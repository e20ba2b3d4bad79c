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
    public void Load_ConfiguredPathComesFirst()
    {
        var ex = Assert.Throws<NativeLibraryException>(() => IpoptLibrary.Load("/nope/a.so", "/nope/b.so", useFallbacks: false));
        Assert.That(ex!.Message.IndexOf("/nope/a.so", StringComparison.Ordinal),
            Is.LessThan(ex.Message.IndexOf("/nope/b.so", StringComparison.Ordinal)));
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
