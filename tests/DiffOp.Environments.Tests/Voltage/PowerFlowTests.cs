using DiffOp.Environments.Voltage;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>Power-flow checks against the independent reference values of docs/environments-voltage.md.</summary>
public class PowerFlowTests
{
    private static readonly double[] CaseA =
    [
        1, 1.026357, 1.040246, 1.026357, 1.040246, 1.050676, 1.026357, 1.062866, 1.050676, 1.054815, 1.062866, 1.062866, 1.054815,
    ];

    private static readonly double[] CaseB =
    [
        1, 0.962724, 0.969856, 0.962724, 0.969856, 0.952129, 0.962724, 0.96088, 0.952129, 0.95541, 0.96088, 0.96088, 0.95541,
    ];

    private static (double[] P, double[] Q) Injections()
        => (new double[Ieee13BusFeeder.BusCount], new double[Ieee13BusFeeder.BusCount]);

    [Test]
    public void Solve_NoInjection_AllVoltagesOne()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Converged, Is.True);
        Assert.That(v, Is.EqualTo(Enumerable.Repeat(1.0, 13)).Within(1e-12));
    }

    [Test]
    public void Solve_CaseA_MatchesReference()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        p[2] = 2; p[7] = 3; p[9] = 1;
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Converged, Is.True, r.ToString());
        Assert.That(v, Is.EqualTo(CaseA).Within(1e-6));
    }

    [Test]
    public void Solve_CaseB_MatchesReference()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        p[2] = 2; p[7] = 3; p[9] = 1;
        q[2] = -1; q[7] = -1; q[9] = -0.5;
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Converged, Is.True, r.ToString());
        Assert.That(v, Is.EqualTo(CaseB).Within(1e-6));
    }

    [Test]
    public void WarmStart_GivesTheColdAnswer_InFewerSweeps_AndFallsBackToFlatAfterAFailure()
    {
        var (p, q) = Injections();
        p[2] = 2; p[7] = 3; p[9] = 1;
        q[2] = -1; q[7] = -1; q[9] = -0.5;
        var warmFlow = new PowerFlow(new PowerFlowOptions { Method = PowerFlowMethod.BackwardForwardSweep });
        var v = new double[13];
        Assert.That(warmFlow.Solve(p, q, v).Converged, Is.True);

        q[2] = -0.95; q[7] = -1.02;   // the next control step: a small change of the injections
        var cold = new double[13];
        var coldResult = new PowerFlow(new PowerFlowOptions { Method = PowerFlowMethod.BackwardForwardSweep }).Solve(p, q, cold);
        var warmResult = warmFlow.Solve(p, q, v, warmStart: true);
        Assert.That(warmResult.Converged && coldResult.Converged, Is.True);
        Assert.That(v, Is.EqualTo(cold).Within(1e-9), "the same solution to the tolerance");
        Assert.That(warmResult.Iterations, Is.LessThan(coldResult.Iterations), $"warm {warmResult.Iterations} sweeps, cold {coldResult.Iterations}");

        // After a failed solve there is nothing to start from: a warm request is a flat start, sweep for sweep.
        var (p2, q2) = Injections();
        q2[7] = -30;
        Assert.That(warmFlow.Solve(p2, q2, new double[13], warmStart: true).Converged, Is.False);
        var afterFailure = warmFlow.Solve(p, q, v, warmStart: true);
        Assert.That(afterFailure.Iterations, Is.EqualTo(coldResult.Iterations));
        Assert.That(v, Is.EqualTo(cold));
    }

    [Test]
    public void Solve_StronglyAbsorbingWithoutSolution_ReportsNonConvergence()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        q[7] = -30; // 6 p.u. absorbed behind ~0.27 p.u. of reactance: beyond the maximum transfer
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Converged, Is.False, r.ToString());
        Assert.That(r.Status, Is.Not.EqualTo(PowerFlowStatus.Converged));
        Assert.That(r.Iterations, Is.LessThanOrEqualTo(pf.Options.MaxIterations));
        Assert.That(v, Has.All.NaN);
    }

    [TestCase(PowerFlowMethod.BackwardForwardSweep)]
    [TestCase(PowerFlowMethod.NewtonRaphson)]
    public void Solve_EachMethodAlone_MatchesCaseAAndCaseB(PowerFlowMethod method)
    {
        var pf = new PowerFlow(new PowerFlowOptions { Method = method });
        var (p, q) = Injections();
        p[2] = 2; p[7] = 3; p[9] = 1;
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Converged && r.Method == method, Is.True, r.ToString());
        Assert.That(v, Is.EqualTo(CaseA).Within(1e-6));
        q[2] = -1; q[7] = -1; q[9] = -0.5;
        r = pf.Solve(p, q, v);
        Assert.That(r.Converged && r.Method == method, Is.True, r.ToString());
        Assert.That(v, Is.EqualTo(CaseB).Within(1e-6));
    }

    [TestCase(PowerFlowMethod.Automatic)]
    [TestCase(PowerFlowMethod.BackwardForwardSweep)]
    [TestCase(PowerFlowMethod.NewtonRaphson)]
    public void Solve_AbsorbingMinus30MvarAtBus7_EveryMethodReportsNonConvergence(PowerFlowMethod method)
    {
        var pf = new PowerFlow(new PowerFlowOptions { Method = method });
        var (p, q) = Injections();
        q[7] = -30;
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Converged, Is.False, r.ToString());
        Assert.That(v, Has.All.NaN);
    }

    [Test]
    public void Solve_NearMaximumLoadability_SweepStallsButAutomaticSolvesByNewton()
    {
        // Absorbing 4.91 MVAr at bus 7 is just inside the nose of the PV curve: the sweep contracts too
        // slowly to converge within the cap, Newton–Raphson converges in a few steps.
        var (p, q) = Injections();
        q[7] = -4.91;
        var vSweep = new double[13];
        var vNewton = new double[13];
        var vAuto = new double[13];
        var sweep = new PowerFlow(new PowerFlowOptions { Method = PowerFlowMethod.BackwardForwardSweep }).Solve(p, q, vSweep);
        var newton = new PowerFlow(new PowerFlowOptions { Method = PowerFlowMethod.NewtonRaphson }).Solve(p, q, vNewton);
        var auto = new PowerFlow().Solve(p, q, vAuto);
        Assert.That(sweep.Converged, Is.False, sweep.ToString());
        Assert.That(newton.Converged, Is.True, newton.ToString());
        Assert.That(auto.Converged, Is.True, auto.ToString());
        Assert.That(auto.Method, Is.EqualTo(PowerFlowMethod.NewtonRaphson));
        Assert.That(auto.Iterations, Is.GreaterThan(newton.Iterations));
        Assert.That(vAuto, Is.EqualTo(vNewton));
        Assert.That(vNewton[7], Is.LessThan(0.6)); // deep voltage sag, still a valid solution
    }

    [Test]
    public void Solve_SweepAndNewton_AgreeOnNearNoseCase()
    {
        var (p, q) = Injections();
        p[2] = -2; p[9] = -1;
        q[7] = -3.5;
        var a = new double[13];
        var b = new double[13];
        Assert.That(new PowerFlow(new PowerFlowOptions { Method = PowerFlowMethod.BackwardForwardSweep }).Solve(p, q, a).Converged, Is.True);
        Assert.That(new PowerFlow(new PowerFlowOptions { Method = PowerFlowMethod.NewtonRaphson }).Solve(p, q, b).Converged, Is.True);
        Assert.That(a, Is.EqualTo(b).Within(1e-8));
    }

    [Test]
    public void Solve_IterationCapOfOne_ReportsIterationLimit()
    {
        var pf = new PowerFlow(new PowerFlowOptions { MaxIterations = 1, Method = PowerFlowMethod.BackwardForwardSweep });
        var (p, q) = Injections();
        p[2] = 2; p[7] = 3; p[9] = 1;
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Status, Is.EqualTo(PowerFlowStatus.IterationLimit));
        Assert.That(r.Iterations, Is.EqualTo(1));
    }

    [Test]
    public void Solve_NaNInjection_ReportsDivergedNotGarbage()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        q[2] = double.NaN;
        var v = new double[13];
        var r = pf.Solve(p, q, v);
        Assert.That(r.Status, Is.EqualTo(PowerFlowStatus.Diverged));
        Assert.That(v, Has.All.NaN);
    }

    [Test]
    public void Solve_AfterFailure_NextSolveIsUnaffected()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        var v = new double[13];
        q[7] = -30;
        pf.Solve(p, q, v);
        q[7] = 0;
        p[2] = 2; p[7] = 3; p[9] = 1;
        Assert.That(pf.Solve(p, q, v).Converged, Is.True);
        Assert.That(v, Is.EqualTo(CaseA).Within(1e-6));
    }

    [Test]
    public void Solve_AfterWarmUp_AllocatesNothing()
    {
        var pf = new PowerFlow();
        var (p, q) = Injections();
        p[2] = 2; p[7] = 3; p[9] = 1;
        q[2] = -1; q[7] = -1; q[9] = -0.5;
        var v = new double[13];
        var absorbing = new double[13];
        absorbing[7] = -30;
        var nearNose = new double[13];
        nearNose[7] = -4.91;
        var noP = new double[13];
        pf.Solve(p, q, v);
        pf.Solve(p, absorbing, v);
        pf.Solve(noP, nearNose, v);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            pf.Solve(p, q, v);
            pf.Solve(p, absorbing, v);
            pf.Solve(noP, nearNose, v);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.EqualTo(0));
    }

    [Test]
    public void Solve_WrongSpanLength_Throws()
    {
        var pf = new PowerFlow();
        Assert.Throws<ArgumentException>(() => pf.Solve(new double[12], new double[13], new double[13]));
    }

    [Test]
    public void Constructor_NonRadialOrDisconnected_Throws()
    {
        var twoParents = new[] { new FeederBranch(0, 1, 0.1, 0.1), new FeederBranch(0, 1, 0.1, 0.1) };
        var ex = Assert.Throws<ArgumentException>(() => new PowerFlow(3, twoParents, 5));
        Assert.That(ex!.Message, Does.Contain("radial"));
        var cycle = new[] { new FeederBranch(2, 1, 0.1, 0.1), new FeederBranch(1, 2, 0.1, 0.1) };
        ex = Assert.Throws<ArgumentException>(() => new PowerFlow(3, cycle, 5));
        Assert.That(ex!.Message, Does.Contain("not connected"));
    }

    [TestCase(0.0, 100)]
    [TestCase(double.NaN, 100)]
    [TestCase(1e-10, 0)]
    public void Constructor_BadOptions_Throws(double tolerance, int maxIterations)
    {
        var ex = Assert.Throws<ArgumentException>(() => new PowerFlow(new PowerFlowOptions { Tolerance = tolerance, MaxIterations = maxIterations }));
        Assert.That(ex!.Message, Does.StartWith("PowerFlowOptions."));
    }
}
