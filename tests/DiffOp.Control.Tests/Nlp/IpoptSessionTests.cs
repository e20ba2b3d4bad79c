using DiffOp.Control.Nlp;
using DiffOp.Control.Nlp.Samples;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Tests.Nlp;

[Category("Native")]
public class IpoptSessionTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    [Test]
    public void RepeatedSolvesOnOneSession_MatchFreshSolvesBitForBit_AndColdAfterWarmResetsOptions()
    {
        var solver = new IpoptSolver();
        var problem = new Hs071Problem();
        var fresh = solver.Solve(problem, Hs071Problem.StartPoint);
        long before = IpoptProblemHandle.LiveCount;
        using (var session = solver.CreateSession(problem))
        {
            Assert.That(IpoptProblemHandle.LiveCount, Is.EqualTo(before + 1));
            var first = session.Solve(new NlpStartPoint { X = Hs071Problem.StartPoint });
            var warm = session.Solve(NlpStartPoint.FromSolution(first));
            var cold = session.Solve(new NlpStartPoint { X = Hs071Problem.StartPoint });

            Assert.That(first.X, Is.EqualTo(fresh.X));
            Assert.That(first.Iterations, Is.EqualTo(fresh.Iterations));
            Assert.That(warm.Iterations, Is.LessThan(fresh.Iterations), "warm start from the optimum");
            Assert.That(cold.X, Is.EqualTo(fresh.X), "a cold solve after a warm one is a true cold solve again");
            Assert.That(cold.Iterations, Is.EqualTo(fresh.Iterations));
        }
        Assert.That(IpoptProblemHandle.LiveCount, Is.EqualTo(before), "Dispose frees the native problem");
    }

    [Test]
    public void Session_AfterDispose_Throws()
    {
        var session = new IpoptSolver().CreateSession(new Hs071Problem());
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Solve(new NlpStartPoint { X = Hs071Problem.StartPoint }));
    }
}
