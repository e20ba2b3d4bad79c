using DiffOp.Learning.Training;
using DiffOp.Samples.DampedCart;

namespace DiffOp.Learning.Tests;

/// <summary>Rollouts on threads of one process (<see cref="ThreadRolloutExecutor"/>): the sequential θ bit for bit, clear errors.</summary>
[Category("Native")]
public class ThreadExecutorTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Threads_GiveTheSequentialExecutorsThetaBitForBit(int threads)
    {
        var options = DampedCartSample.Options(iterations: 4);
        var theta0 = DampedCartSample.BuildPolicyOcp().InitialParameters();
        var sequential = new Trainer(options, new SequentialRolloutExecutor(DampedCartSample.CreateWorker()), theta0);
        sequential.Train();

        using var executor = new ThreadRolloutExecutor(DampedCartSample.CreateWorker, threads);
        var parallel = new Trainer(options, executor, theta0);
        var metrics = parallel.Train();

        Assert.That(executor.WorkerCount, Is.EqualTo(threads));
        Assert.That(parallel.Theta, Is.EqualTo(sequential.Theta), "threads give exactly the sequential result");
        Assert.That(parallel.Theta, Is.Not.EqualTo(theta0), "θ moved");
        Assert.That(metrics.All(m => m.DroppedRollouts == 0), Is.True);
    }

    [Test]
    public void ABatch_ComesBackInRequestOrder()
    {
        var theta = DampedCartSample.BuildPolicyOcp().InitialParameters();
        var requests = Enumerable.Range(0, 9).Select(k => new RolloutRequest(100 + k, Explore: k % 2 == 0)).ToArray();
        using var one = new SequentialRolloutExecutor(DampedCartSample.CreateWorker());
        using var three = new ThreadRolloutExecutor(DampedCartSample.CreateWorker, 3);
        var expected = one.Run(theta, requests);
        var actual = three.Run(theta, requests);
        Assert.That(actual.Select(r => r.Cost), Is.EqualTo(expected.Select(r => r.Cost)));
        Assert.That(actual.Select(r => r.Score), Is.EqualTo(expected.Select(r => r.Score)));
    }

    [Test]
    public void BadUse_SaysWhatIsWrong_AndARolloutsExceptionComesThroughUnwrapped()
    {
        Assert.That(() => new ThreadRolloutExecutor(DampedCartSample.CreateWorker, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("at least one thread"));
        Assert.That(() => new ThreadRolloutExecutor(() => null!, 2), Throws.InvalidOperationException.With.Message.Contains("returned null"));
        using var shared = DampedCartSample.CreateWorker();
        Assert.That(() => new ThreadRolloutExecutor(() => shared, 2), Throws.InvalidOperationException.With.Message.Contains("same RolloutWorker twice"));

        using var executor = new ThreadRolloutExecutor(DampedCartSample.CreateWorker, 2);
        var requests = Enumerable.Range(0, 4).Select(k => new RolloutRequest(k, Explore: true)).ToArray();
        Assert.That(() => executor.Run([1.0], requests), Throws.ArgumentException, "a θ of the wrong length fails as it does sequentially");
        var theta = DampedCartSample.BuildPolicyOcp().InitialParameters();
        Assert.That(executor.Run(theta, requests), Has.Count.EqualTo(4), "the executor still works after a failed batch");
    }
}
