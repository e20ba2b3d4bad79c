using System.Net;
using DiffOp.Learning.Training;
using Orleans.Runtime;

namespace DiffOp.Cluster.Tests;

/// <summary>Addresses, silo settings and grain keys: bad input is an error that names the fix.</summary>
public class ClusterSettingsTests
{
    [TestCase("127.0.0.1:30000", "127.0.0.1", 30000)]
    [TestCase(" 10.0.0.5:1 ", "10.0.0.5", 1)]
    [TestCase("[::1]:30001", "::1", 30001)]
    public void Parse_ReadsHostAndPort(string text, string address, int port)
    {
        var endpoint = ClusterAddress.Parse(text, "--cluster");
        Assert.That(endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse(address), port)));
    }

    [TestCase("127.0.0.1", "HOST:PORT")]
    [TestCase("127.0.0.1:", "HOST:PORT")]
    [TestCase(":30000", "HOST:PORT")]
    [TestCase("127.0.0.1:0", "1..65535")]
    [TestCase("127.0.0.1:70000", "1..65535")]
    [TestCase("127.0.0.1:abc", "1..65535")]
    public void Parse_RejectsMalformedText_NamingTheOption(string text, string hint)
    {
        var ex = Assert.Throws<ArgumentException>(() => ClusterAddress.Parse(text, "--cluster"));
        Assert.That(ex!.Message, Does.StartWith("--cluster").And.Contain(hint));
    }

    [Test]
    public void ParseList_ReadsEveryEndpoint_AndRejectsAnEmptyList()
    {
        Assert.That(ClusterAddress.ParseList("127.0.0.1:1,127.0.0.1:2", "--cluster"), Has.Length.EqualTo(2));
        Assert.Throws<ArgumentException>(() => ClusterAddress.ParseList(" , ", "--cluster"));
    }

    [Test]
    public void SiloOptions_Defaults_AreLoopbackAndValid()
    {
        var options = new RolloutSiloOptions();
        Assert.That(options.Address, Is.EqualTo(IPAddress.Loopback));
        Assert.That((options.SiloPort, options.GatewayPort, options.Slots), Is.EqualTo((11111, 30000, 1)));
        Assert.DoesNotThrow(options.Validate);
    }

    [Test]
    public void SiloOptions_BadSettings_AreRejectedWithTheSettingNamed()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutSiloOptions { SiloPort = 0 }.Validate())!.Message, Does.Contain("silo port"));
        Assert.That(Assert.Throws<ArgumentException>(() => new RolloutSiloOptions { SiloPort = 5000, GatewayPort = 5000 }.Validate())!.Message, Does.Contain("different"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutSiloOptions { Slots = 0 }.Validate())!.Message, Does.Contain("slot"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutSiloOptions { ProbeTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutSiloOptions { MissedProbesLimit = 0 }.Validate());
    }

    [Test]
    public void GrainKey_NamesTheSilo_AndReadsBack()
    {
        var silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 155647974);
        string key = SiloPinnedPlacement.Key(silo, 3);
        Assert.That(key, Does.EndWith("/3"));
        Assert.That(SiloPinnedPlacement.SiloOf(key), Is.EqualTo(silo));
        Assert.Throws<FormatException>(() => SiloPinnedPlacement.SiloOf("no-slot"));
    }

    [Test]
    public async Task WorkerCache_NeedsAFactoryAndASlot()
    {
        Assert.Throws<ArgumentNullException>(() => new RolloutWorkerCache(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutWorkerCache(_ => throw new InvalidOperationException(), slots: 0));
        using var cache = new RolloutWorkerCache(_ => throw new InvalidOperationException("bad description"), slots: 2);
        Assert.That(cache.Slots, Is.EqualTo(2));
        // A factory failure reaches the caller (the grain turns it into the reply's error) and leaves the slot free.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.RunAsync([1.0], new RolloutRequest(1, false), "{}"));
        Assert.That(ex!.Message, Is.EqualTo("bad description"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.RunAsync([1.0], new RolloutRequest(1, false), "{}"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.RunAsync([1.0], new RolloutRequest(1, false), "{}"));
        Assert.That(cache.Completed, Is.Zero);
    }
}
