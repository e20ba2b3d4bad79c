using System.Diagnostics;
using DiffOp.Control.Nlp;
using DiffOp.Control.Nlp.Samples;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Control.Tests.Nlp;

[Category("Native")]
public class IpoptSolverTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    [Test]
    public void Solve_Hs071_ReachesKnownOptimum()
    {
        var solution = new IpoptSolver().Solve(new Hs071Problem(), Hs071Problem.StartPoint);

        Assert.That(solution.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(solution.SolverName, Is.EqualTo("Ipopt"));
        Assert.That(solution.SolverStatus, Is.EqualTo("Solve_Succeeded"));
        Assert.That(IpoptStatus.TryGet(solution, out var raw) ? raw : (ApplicationReturnStatus?)null, Is.EqualTo(ApplicationReturnStatus.Solve_Succeeded));
        Assert.That(solution.Objective, Is.EqualTo(17.014017).Within(1e-6));
        double[] expected = [1.0, 4.742999, 3.821151, 1.379408];
        for (int i = 0; i < 4; i++) Assert.That(solution.X[i], Is.EqualTo(expected[i]).Within(1e-5), $"x[{i}]");
        Assert.That(solution.Iterations, Is.GreaterThan(0));
        Assert.That(solution.SolveTime, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public void Solve_Hs071_MultipliersSatisfyStationarityInIpoptSign()
    {
        var problem = new Hs071Problem();
        var s = new IpoptSolver().Solve(problem, Hs071Problem.StartPoint);

        // ∇f + Jᵀλ − z_L + z_U = 0 (NlpSolution's documented convention).
        var grad = new double[4]; var jac = new double[8];
        problem.ObjectiveGradient(s.X, grad);
        problem.JacobianValues(s.X, jac);
        double worst = 0;
        for (int j = 0; j < 4; j++)
        {
            double r = grad[j] + jac[j] * s.ConstraintMultipliers[0] + jac[4 + j] * s.ConstraintMultipliers[1]
                       - s.LowerBoundMultipliers[j] + s.UpperBoundMultipliers[j];
            worst = Math.Max(worst, Math.Abs(r));
        }
        Assert.That(worst, Is.LessThan(1e-6));
        // x₀ sits on its lower bound 1: its multiplier is the active one.
        Assert.That(s.LowerBoundMultipliers[0], Is.GreaterThan(1e-3));
        // g₀ ≥ 25 is active; with f + λᵀg, a binding lower bound has λ ≤ 0.
        Assert.That(s.ConstraintMultipliers[0], Is.LessThan(-1e-3));
    }

    [Test]
    public void Solve_ExceptionInCallback_SurfacesAfterSolveAndProcessSurvives()
    {
        var solver = new IpoptSolver();
        var ex = Assert.Throws<InvalidOperationException>(() => solver.Solve(new ThrowingProblem(throwOnCall: 3), Hs071Problem.StartPoint));
        Assert.That(ex!.Message, Does.Contain("boom"));
        Assert.That(ex.StackTrace, Does.Contain(nameof(ThrowingProblem)), "the original stack trace is preserved");

        var after = solver.Solve(new Hs071Problem(), Hs071Problem.StartPoint);
        Assert.That(after.Status, Is.EqualTo(NlpStatus.Solved));
    }

    [Test]
    public void Solve_InfeasibleConstraints_ReportsInfeasibleStatus()
    {
        var s = new IpoptSolver().Solve(new InfeasibleProblem(), [0.5, 0.5]);
        Assert.That(s.SolverStatus, Is.EqualTo("Infeasible_Problem_Detected"));
        Assert.That(IpoptStatus.TryGet(s, out var raw) ? raw : (ApplicationReturnStatus?)null, Is.EqualTo(ApplicationReturnStatus.Infeasible_Problem_Detected));
        Assert.That(s.Status, Is.EqualTo(NlpStatus.Infeasible));
        Assert.That(s.IsSuccess, Is.False);
        var ex = Assert.Throws<SolverException>(() => s.EnsureSuccess());
        Assert.That(ex!.Status, Is.EqualTo(NlpStatus.Infeasible));
        Assert.That(ex.SolverName, Is.EqualTo("Ipopt"));
        Assert.That(ex.SolverStatus, Is.EqualTo("Infeasible_Problem_Detected"));
        Assert.That(ex.Message, Does.Contain("Infeasible_Problem_Detected"));
    }

    [Test]
    public void Solve_IterationLimit_ReportsLimitReachedThroughTheSeam()
    {
        INlpSolver solver = new IpoptSolver(new IpoptOptions { MaxIterations = 2 });
        var s = solver.Solve(new Hs071Problem(), new NlpStartPoint { X = Hs071Problem.StartPoint });
        Assert.That(s.Status, Is.EqualTo(NlpStatus.LimitReached));
        Assert.That((s.SolverName, s.SolverStatus), Is.EqualTo(("Ipopt", "Maximum_Iterations_Exceeded")));
        var ex = Assert.Throws<SolverException>(() => s.EnsureSuccess());
        Assert.That((ex!.Status, ex.SolverName, ex.SolverStatus), Is.EqualTo(((NlpStatus?)NlpStatus.LimitReached, "Ipopt", "Maximum_Iterations_Exceeded")));
    }

    [Test]
    public void StatusNames_AreIpoptsSpellings_AndCachedStrings()
    {
        foreach (var code in Enum.GetValues<ApplicationReturnStatus>())
        {
            Assert.That(IpoptStatus.Name(code), Is.EqualTo(code.ToString()));
            Assert.That(IpoptStatus.Name(code), Is.SameAs(IpoptStatus.Name(code)), "one string per code, not one per call");
        }
    }

    [Test]
    public void Solve_UnknownExtraOption_ThrowsNamingTheOption()
    {
        var solver = new IpoptSolver(new IpoptOptions { Extra = new Dictionary<string, object> { ["no_such_option_xyz"] = 3 } });
        var ex = Assert.Throws<IpoptOptionException>(() => solver.Solve(new Hs071Problem(), Hs071Problem.StartPoint));
        Assert.That(ex!.OptionName, Is.EqualTo("no_such_option_xyz"));
        Assert.That(ex.Message, Does.Contain("no_such_option_xyz"));
    }

    [Test]
    public void Solve_OutOfRangeOptionValue_Throws()
    {
        var solver = new IpoptSolver(new IpoptOptions { MuStrategy = "sideways" });
        var ex = Assert.Throws<IpoptOptionException>(() => solver.Solve(new Hs071Problem(), Hs071Problem.StartPoint));
        Assert.That(ex!.OptionName, Is.EqualTo("mu_strategy"));
    }

    [Test]
    public void Solve_BadInput_ThrowsNamingTheProblem()
    {
        var solver = new IpoptSolver();
        Assert.That(() => solver.Solve(new Hs071Problem(), [1.0, 2.0]),
            Throws.ArgumentException.With.Message.Contains("length 2").And.Message.Contains("4 variables"));
        Assert.That(() => solver.Solve(new Hs071Problem(), [1.0, double.NaN, 1, 1]),
            Throws.ArgumentException.With.Message.Contains("entry 1"));
        Assert.That(() => solver.Solve(new Hs071Problem { SumOfSquares = 40 }, new NlpStartPoint { X = Hs071Problem.StartPoint, ConstraintMultipliers = new double[2] }),
            Throws.ArgumentException.With.Message.Contains("all three multiplier arrays"));
        Assert.That(() => new IpoptSolver(new IpoptOptions { Tolerance = -1 }), Throws.ArgumentException.With.Message.Contains("Tolerance"));
    }

    [Test]
    public void Solve_PrimalDualWarmStartFromSolution_NeedsFewerIterations()
    {
        var solver = new IpoptSolver();
        var cold = solver.Solve(new Hs071Problem(), Hs071Problem.StartPoint);
        var perturbed = new Hs071Problem { SumOfSquares = 40.2 };
        var coldPerturbed = solver.Solve(perturbed, Hs071Problem.StartPoint);
        var warm = solver.Solve(perturbed, NlpStartPoint.FromSolution(cold));

        Assert.That(warm.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(warm.Objective, Is.EqualTo(coldPerturbed.Objective).Within(1e-7));
        Assert.That(warm.Iterations, Is.LessThan(coldPerturbed.Iterations));
    }

    [Test]
    public void Solve_ThousandCreateSolveFreeCycles_LeaveMemorySteady()
    {
        var solver = new IpoptSolver();
        var problem = new Hs071Problem();
        for (int i = 0; i < 300; i++) solver.Solve(problem, Hs071Problem.StartPoint);   // warm-up: JIT, allocator arenas
        long before = SettledWorkingSet();
        for (int i = 0; i < 1000; i++) solver.Solve(problem, Hs071Problem.StartPoint);
        long after = SettledWorkingSet();

        Assert.That(IpoptProblemHandle.LiveCount, Is.Zero, "every native problem was freed");
        // The allocator's arenas make the working set wander by several MiB (measured: ±6 MiB over 1000 cycles,
        // no trend over 6000). A leaked Ipopt problem with its MUMPS workspace costs tens of kB: 1000 of them exceed this.
        Assert.That((after - before) / (1024.0 * 1024.0), Is.LessThan(16.0), "working-set growth in MiB");
    }

    [Test]
    public void Solve_ConcurrentOnTwoThreads_BitIdenticalToSerial()
    {
        var solver = new IpoptSolver();
        var problems = new[] { new Hs071Problem(), new Hs071Problem { SumOfSquares = 39.0 } };
        var serial = problems.Select(p => solver.Solve(p, Hs071Problem.StartPoint)).ToArray();

        const int repeats = 50;
        var results = new NlpSolution[2][];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            results[t] = new NlpSolution[repeats];
            for (int r = 0; r < repeats; r++) results[t][r] = solver.Solve(problems[t], Hs071Problem.StartPoint);
        })).ToArray();
        foreach (var th in threads) th.Start();
        foreach (var th in threads) th.Join();

        for (int t = 0; t < 2; t++)
        {
            foreach (var r in results[t])
            {
                Assert.That(r.X, Is.EqualTo(serial[t].X), "x must be bit-identical");
                Assert.That(r.ConstraintMultipliers, Is.EqualTo(serial[t].ConstraintMultipliers));
                Assert.That(r.Iterations, Is.EqualTo(serial[t].Iterations));
            }
        }
    }

    private static long SettledWorkingSet()
    {
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }
}
