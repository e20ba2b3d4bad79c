using DiffOp.Learning.Training;

namespace DiffOp.Cluster.Tests;

/// <summary>Requests and results cross the cluster as JSON: every field, and every double bit for bit.</summary>
public class RolloutJsonTests
{
    private static double[] Awkward(int seed, int count)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = BitConverter.Int64BitsToDouble(random.NextInt64());   // any bit pattern, NaN payloads aside
        double[] special = [0.1, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1.0 / 3.0, Math.PI * 1e-300, 2.2250738585072014E-308];
        special.CopyTo(values, 0);
        return values.Select(v => double.IsNaN(v) ? 0.5 : double.IsInfinity(v) ? -7.25 : v).ToArray();
    }

    private static void AssertBitIdentical(double[]? expected, double[]? actual)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.That(expected, Is.Not.Null);
        Assert.That(actual!, Has.Length.EqualTo(expected!.Length));
        for (int i = 0; i < expected.Length; i++)
            Assert.That(BitConverter.DoubleToInt64Bits(actual![i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected[i])), $"entry {i}: {expected[i]:R} came back as {actual![i]:R}");
    }

    [Test]
    public void Result_RoundTrips_EveryFieldAndEveryBit()
    {
        var result = new RolloutResult
        {
            Seed = -17, Cost = double.NaN, Score = Awkward(1, 200), Steps = 30, FallbackSteps = 2, Dropped = true, SimulatorFailed = true,
            ForwardSeconds = 0.001234567890123, BackwardSeconds = double.PositiveInfinity, Solves = 31, StageCosts = Awkward(2, 30),
            StageScores = Awkward(3, 360), Metric = Awkward(4, 144),
        };
        var back = RolloutJson.ReadResult(RolloutJson.Write(result));
        Assert.That(back.Seed, Is.EqualTo(-17));
        Assert.That(double.IsNaN(back.Cost), Is.True);
        Assert.That(back.BackwardSeconds, Is.EqualTo(double.PositiveInfinity));
        Assert.That(BitConverter.DoubleToInt64Bits(back.ForwardSeconds), Is.EqualTo(BitConverter.DoubleToInt64Bits(result.ForwardSeconds)));
        Assert.That((back.Steps, back.FallbackSteps, back.Dropped, back.SimulatorFailed, back.Solves), Is.EqualTo((30, 2, true, true, 31)));
        AssertBitIdentical(result.Score, back.Score);
        AssertBitIdentical(result.StageCosts, back.StageCosts);
        AssertBitIdentical(result.StageScores, back.StageScores);
        AssertBitIdentical(result.Metric, back.Metric);
    }

    [Test]
    public void Result_WithoutOptionalArrays_KeepsThemNull()
    {
        var result = new RolloutResult { Seed = 1, Cost = -1.5, Score = [1, 2], Steps = 1, Dropped = false };
        var back = RolloutJson.ReadResult(RolloutJson.Write(result));
        Assert.That(back.StageScores, Is.Null);
        Assert.That(back.Metric, Is.Null);
        Assert.That(back.Cost, Is.EqualTo(-1.5));
    }

    [Test]
    public void Request_RoundTrips_EveryField()
    {
        var request = new RolloutRequest(12345, true, -99) { Mirror = true, Tangent = true, Detail = RolloutDetail.StageScores | RolloutDetail.Metric };
        Assert.That(RolloutJson.ReadRequest(RolloutJson.Write(request)), Is.EqualTo(request));
        var plain = new RolloutRequest(7, false);
        Assert.That(RolloutJson.ReadRequest(RolloutJson.Write(plain)), Is.EqualTo(plain));
    }

    [Test]
    public void Garbage_IsInvalidDataNamingWhatWasExpected()
    {
        var ex = Assert.Throws<InvalidDataException>(() => RolloutJson.ReadResult("{\"Seed\": \"x\""));
        Assert.That(ex!.Message, Does.Contain("rollout result").And.Contain("same diffop version"));
        Assert.Throws<InvalidDataException>(() => RolloutJson.ReadRequest("null"));
    }
}
