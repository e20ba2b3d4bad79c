using DiffOp.Control.Nlp;
using DiffOp.Control.Nlp.Samples;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Tests.Nlp;

/// <summary>IpoptOptions.Progress: one call per Ipopt iteration, and an exception in it stops the solve.</summary>
[Category("Native")]
public class IpoptProgressTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    [Test]
    public void Progress_IsCalledOncePerIteration_InOrder_WithTheFinalIterate()
    {
        var seen = new List<IpoptIterate>();
        var solution = new IpoptSolver(new IpoptOptions { Progress = seen.Add }).Solve(new Hs071Problem(), Hs071Problem.StartPoint);
        Assert.That(solution.IsSuccess, Is.True);
        Assert.That(seen.Select(i => i.Iteration), Is.EqualTo(Enumerable.Range(0, solution.Iterations + 1)), "iterations 0..k, each once");
        Assert.That(seen[^1].Objective, Is.EqualTo(solution.Objective).Within(1e-9 * Math.Abs(solution.Objective)));
        Assert.That(seen[^1].PrimalInfeasibility, Is.LessThan(1e-7));
    }

    [Test]
    public void AnExceptionInProgress_StopsTheSolve_AndIsRethrown()
    {
        int calls = 0;
        var solver = new IpoptSolver(new IpoptOptions { Progress = i => { calls++; if (i.Iteration == 2) throw new InvalidOperationException("stop here"); } });
        Assert.That(() => solver.Solve(new Hs071Problem(), Hs071Problem.StartPoint), Throws.InvalidOperationException.With.Message.EqualTo("stop here"));
        Assert.That(calls, Is.EqualTo(3), "no call after the one that threw");
    }
}
