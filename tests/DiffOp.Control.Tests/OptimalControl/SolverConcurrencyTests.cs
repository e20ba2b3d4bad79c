using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Tests.Nlp;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>One OcpSolver used from two threads at once refuses the second call instead of returning wrong answers.</summary>
[Category("Native")]
public class SolverConcurrencyTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    [Test]
    public void ASecondThreadInsideSolve_GetsAClearException_AndTheFirstSolveIsUntouched()
    {
        var ocp = LqrSamples.BoxLqr(8);
        OcpSolver solver = null!;
        Exception? second = null;
        bool asked = false;
        // While the first solve is inside Ipopt (its iteration callback), another thread calls Solve on the same solver.
        var options = new OcpSolverOptions
        {
            Solver = OcpSolverChoice.Ipopt,   // the hook is Ipopt's iteration callback
            Ipopt = new IpoptOptions
            {
                Progress = _ =>
                {
                    if (asked) return;
                    asked = true;
                    var thread = new Thread(() =>
                    {
                        try { solver.Solve(LqrSamples.InitialState); }
                        catch (Exception ex) { second = ex; }
                    });
                    thread.IsBackground = true;
                    thread.Start();
                    // Without the guard the second call would wait for Ipopt's process-wide lock held by this solve.
                    if (!thread.Join(TimeSpan.FromSeconds(20))) second = new TimeoutException("the second Solve neither returned nor threw");
                },
            },
        };
        solver = new OcpSolver(ocp, options);
        var first = solver.Solve(LqrSamples.InitialState);

        Assert.That(second, Is.InstanceOf<InvalidOperationException>());
        Assert.That(second!.Message, Does.Contain("one OcpSolver per thread"));
        var reference = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Ipopt }).Solve(LqrSamples.InitialState);
        Assert.That(first.IsSuccess, Is.True);
        Assert.That(first.Trajectory.ToArray(), Is.EqualTo(reference.Trajectory.ToArray()), "the first solve is as if alone");
        Assert.That(solver.Solve(LqrSamples.InitialState).Trajectory.ToArray(), Is.EqualTo(reference.Trajectory.ToArray()), "the solver is usable afterwards");
    }
}

/// <summary>An Ocp and its solutions cannot be changed through their public lists, not even by a cast.</summary>
[Category("Native")]
public class ImmutabilityTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    [Test]
    public void BoundsThetaAndMultipliers_AreReadOnlyViews()
    {
        var ocp = LqrSamples.BoxLqr(4);
        var solution = new OcpSolver(ocp).Solve(LqrSamples.InitialState);
        IReadOnlyList<double>[] lists =
        [
            ocp.ControlLower, ocp.ControlUpper, ocp.StateLower, ocp.StateUpper, solution.Theta, solution.Context, solution.InitialState,
            solution.BoundMultipliers, .. ocp.Parameters.Select(b => b.DefaultValues),
        ];
        foreach (var list in lists)
        {
            Assert.That(list, Is.Not.InstanceOf<double[]>(), "not the backing array");
            if (list.Count > 0)
                Assert.That(() => ((IList<double>)list)[0] = 123, Throws.InstanceOf<NotSupportedException>());
        }
        double before = ocp.ControlLower[0];
        Assert.That(ocp.InitialParameters(), Is.EqualTo(ocp.Parameters.SelectMany(b => b.DefaultValues).ToArray()));
        var again = new OcpSolver(ocp).Solve(LqrSamples.InitialState);
        Assert.That(ocp.ControlLower[0], Is.EqualTo(before));
        Assert.That(again.Trajectory.ToArray(), Is.EqualTo(solution.Trajectory.ToArray()));
    }
}
