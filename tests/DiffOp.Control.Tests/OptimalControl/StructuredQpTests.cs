using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Tests.Nlp;
using DiffOp.Symbolic;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>
/// The structured interior-point QP solver against Ipopt (the oracle, solved to tol 1e-11): same trajectory, multipliers in
/// the paper's sign, bound multipliers and active set on problems with control and state bounds, path and terminal rows;
/// non-convex and infeasible input falls back to Ipopt and never reports a wrong success.
/// </summary>
[Category("Native")]
public class StructuredQpTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    private static readonly OcpSolverOptions IpoptOnly = new() { Solver = OcpSolverChoice.Ipopt, Tolerance = 1e-11 };

    /// <summary>The structured solver at the oracle's tolerance: an interior point leaves active slacks near μ/multiplier.</summary>
    private static readonly OcpSolverOptions Tight = new() { StructuredQpTolerance = 1e-11 };

    /// <summary>n = 2, m = 1 double integrator with learnable weights, a path row u − x₁ ≤ 0.6, a terminal row x₀ + x₁ ≤ 0.2 and state bounds.</summary>
    private static Ocp Constrained(int horizon)
    {
        var b = new OcpBuilder("constrained", 2, 1, horizon);
        var w = b.AddParameter("w", [1.0, 0.5, 0.2]);
        var gain = b.AddParameter("gain", [0.1]);
        var x = b.State; var u = b.Control;
        b.SetDynamics(new SxVector(x[0] + 0.1 * x[1], x[1] + gain[0] * u[0]));
        b.SetStageCost(w[0] * Sx.Sqr(x[0] - 1) + w[1] * Sx.Sqr(x[1]) + w[2] * Sx.Sqr(u[0]) + 0.3 * x[0] * u[0] * 0.1);
        b.SetTerminalCost(5 * Sx.Sqr(x[0] - 1) + Sx.Sqr(x[1]));
        b.SetPathConstraints(new SxVector(u[0] - x[1] - 0.6));
        b.SetTerminalConstraints(new SxVector(x[0] + x[1] - 0.2));
        b.SetControlBounds([-2.0], [2.0]);
        b.SetStateBounds([double.NegativeInfinity, -0.8], [0.9, 0.8]);
        return b.Build();
    }

    private static void AssertSame(OcpSolution structured, OcpSolution ipopt, double tolerance, string what)
    {
        Assert.That(structured.Method, Is.EqualTo(OcpSolveMethod.StructuredQp), what);
        Assert.That(ipopt.Method, Is.EqualTo(OcpSolveMethod.Ipopt), what);
        Assert.That(structured.Status, Is.EqualTo(NlpStatus.Solved), what);
        var residual = structured.KktResidual();   // recomputed from the OCP's derivatives, independent of either solver
        Assert.That(residual.Stationarity, Is.LessThan(1e-9), $"{what}: stationarity of the structured solution ({residual}; Ipopt: {ipopt.KktResidual()})");
        Assert.That(residual.Equality, Is.LessThan(1e-10), $"{what}: dynamics rows of the structured solution ({residual})");
        Assert.That(residual.Violation, Is.LessThan(1e-10), $"{what}: bounds and rows ({residual})");
        AssertClose(structured.Trajectory, ipopt.Trajectory, tolerance, what + ": ζ*");
        AssertClose(structured.RowMultipliers, ipopt.RowMultipliers, tolerance, what + ": row multipliers");
        AssertClose(structured.BoundMultipliers.ToArray(), ipopt.BoundMultipliers.ToArray(), tolerance, what + ": bound multipliers");
        AssertClose(structured.Nlp.Constraints, ipopt.Nlp.Constraints, tolerance, what + ": row values");
        AssertClose([structured.Objective], [ipopt.Objective], tolerance, what + ": objective");
        Assert.That(structured.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index)),
            Is.EquivalentTo(ipopt.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index))), what + ": active set");
    }

    /// <summary>|a − b| / max(1, |b|) ≤ tolerance entry by entry (the relative error of docs/sensitivity.md).</summary>
    private static void AssertClose(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double tolerance, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        for (int i = 0; i < actual.Length; i++)
            Assert.That(DiffOp.Control.Sensitivity.GradientCheck.RelativeError(actual[i], expected[i]), Is.LessThanOrEqualTo(tolerance),
                $"{what}[{i}]: {actual[i]:R} vs {expected[i]:R}");
    }

    [Test]
    public void BoxLqr_MatchesIpopt_IncludingMultipliersAndActiveSet()
    {
        var ocp = LqrSamples.BoxLqr(8);
        using var structured = new OcpSolver(ocp, Tight);
        using var ipopt = new OcpSolver(ocp, IpoptOnly);
        Assert.That(structured.UsesStructuredQp, Is.True);
        var a = structured.Solve(LqrSamples.InitialState);
        var b = ipopt.Solve(LqrSamples.InitialState).EnsureSuccess();
        AssertSame(a, b, 1e-7, "boxlqr");
        Assert.That(a.ActiveSet.Active, Is.Not.Empty, "the box saturates the first controls");
        Assert.That(structured.StructuredQpFallbacks, Is.Zero);
    }

    [Test]
    public void RandomThetaAndStates_MatchIpopt()
    {
        var ocp = LqrSamples.BoxLqr(12);
        using var structured = new OcpSolver(ocp, Tight);
        using var ipopt = new OcpSolver(ocp, IpoptOnly);
        var random = new Random(7);
        int withActive = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            var theta = ocp.InitialParameters();
            for (int i = 0; i < theta.Length; i++) theta[i] *= 1 + 0.4 * (random.NextDouble() - 0.5);
            double[] x0 = [4 * (random.NextDouble() - 0.5), 4 * (random.NextDouble() - 0.5), 4 * (random.NextDouble() - 0.5)];
            var a = structured.Solve(theta, x0, ocp.DefaultContext());
            var b = ipopt.Solve(theta, x0, ocp.DefaultContext()).EnsureSuccess();
            AssertSame(a, b, 1e-7, $"trial {trial}");
            if (a.ActiveSet.Active.Count > 0) withActive++;
        }
        Assert.That(withActive, Is.GreaterThan(5), "most trials must exercise the bounds");
        Assert.That(structured.StructuredQpFallbacks, Is.Zero);
    }

    [Test]
    public void PathTerminalAndStateRows_MatchIpopt()
    {
        var ocp = Constrained(15);
        Assert.That(ocp.IsQuadraticProgram, Is.True);
        using var structured = new OcpSolver(ocp, Tight);
        using var ipopt = new OcpSolver(ocp, IpoptOnly);
        foreach (double[] x0 in new[] { new[] { 0.0, 0.0 }, [-1.0, 0.5], [0.3, 0.2] })
        {
            var a = structured.Solve(ocp.InitialParameters(), x0, ocp.DefaultContext());
            var b = ipopt.Solve(ocp.InitialParameters(), x0, ocp.DefaultContext()).EnsureSuccess();
            // Ipopt's own KKT residual is 1e-8 at x0 = [−1, 0.5] (against < 1e-10 for the structured solution), so agreement is
            // limited by the oracle there; the exactness of the structured solution is checked by its residual in AssertSame.
            AssertSame(a, b, 1e-6, $"x0 = [{string.Join(", ", x0)}]");
            var kinds = a.ActiveSet.Active.Select(c => c.Kind).ToHashSet();
            Assert.That(kinds, Does.Contain(ConstraintKind.Terminal), "the terminal row binds (the cost pulls x₀ to 1)");
        }
        Assert.That(structured.StructuredQpFallbacks, Is.Zero);
    }

    [Test]
    public void KktResidual_SeesAnUnfinishedSolve()
    {
        var ocp = LqrSamples.BoxLqr(8);
        using var unfinished = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Ipopt, MaxIterations = 2 });
        var s = unfinished.Solve(LqrSamples.InitialState);
        Assert.That(s.IsSuccess, Is.False);
        Assert.That((s.Status, s.Nlp.SolverName, s.SolverStatus), Is.EqualTo((NlpStatus.LimitReached, "Ipopt", "Maximum_Iterations_Exceeded")),
            "OcpSolverOptions.MaxIterations reaches Ipopt");
        var r = s.KktResidual();
        Assert.That(Math.Max(r.Stationarity, r.Equality), Is.GreaterThan(1e-4), r.ToString());
    }

    [Test]
    public void WarmStartedSolve_GivesTheSameSolution()
    {
        var ocp = LqrSamples.BoxLqr(10);
        using var solver = new OcpSolver(ocp);
        using var exact = new OcpSolver(ocp, new OcpSolverOptions { StructuredQpTolerance = 1e-13 });
        var reference = exact.Solve(LqrSamples.InitialState).Trajectory.ToArray();
        var cold = solver.Solve(LqrSamples.InitialState);
        // Primal–dual warm starts: the previous solution as it is, and shifted one stage (Step mode's start). Both end at the
        // solution to the tolerance (the cold end point sits 3e-8 inside an active bound; within 1e-7 of the 1e-13 solve).
        var same = solver.Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext(), OcpWarmStart.Same(cold));
        var shifted = solver.Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext(), OcpWarmStart.Shifted(cold));
        foreach (var (warm, name) in new[] { (same, "same"), (shifted, "shifted"), (cold, "cold") })
        {
            Assert.That(warm.Method, Is.EqualTo(OcpSolveMethod.StructuredQp), name);
            Assert.That(warm.Trajectory.ToArray(), Is.EqualTo(reference).Within(1e-7), name);
        }
        Assert.That(same.Nlp.Iterations, Is.LessThan(cold.Nlp.Iterations), "a start at the solution itself must save iterations");
    }

    [Test]
    public void WarmStartFromAnotherOcp_IsAClearError()
    {
        var ocp = LqrSamples.BoxLqr(10);
        using var other = new OcpSolver(LqrSamples.BoxLqr(5));
        using var solver = new OcpSolver(ocp);
        var foreign = OcpWarmStart.Same(other.Solve(LqrSamples.InitialState));
        Assert.That(() => solver.Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext(), foreign),
            Throws.ArgumentException.With.Message.Contains("warm-start from a solution of this OCP"));
    }

    [Test]
    public void NonConvexTheta_FallsBackToIpopt()
    {
        var ocp = LqrSamples.BoxLqr(6);
        using var solver = new OcpSolver(ocp);
        var theta = ocp.InitialParameters();
        theta[3] = -0.5;   // r₀ < 0: the control cost is concave; the box still makes the problem bounded
        var solution = solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        Assert.That(solver.StructuredQpFallbacks, Is.EqualTo(1), "a non-convex QP is not the structured solver's to answer");
        Assert.That(solution.Method, Is.EqualTo(OcpSolveMethod.Ipopt));
    }

    [Test]
    public void InfeasibleProblem_IsNeverReportedSolved()
    {
        var b = new OcpBuilder("infeasible", 1, 1, 5);
        var x = b.State; var u = b.Control;
        b.SetDynamics(new SxVector(x[0] + u[0]));
        b.SetStageCost(Sx.Sqr(x[0]) + Sx.Sqr(u[0]));
        b.SetTerminalCost(Sx.Sqr(x[0]));
        b.SetControlBounds([-0.1], [0.1]);
        b.SetStateBounds([2.0], [3.0]);   // from x₀ = 0 with |u| ≤ 0.1, x₁ ≥ 2 cannot hold
        var ocp = b.Build();
        using var solver = new OcpSolver(ocp, new OcpSolverOptions { MaxIterations = 200 });
        var solution = solver.Solve([0.0]);
        Assert.That(solver.StructuredQpFallbacks, Is.EqualTo(1));
        Assert.That(solution.IsSuccess, Is.False);
    }

    [Test]
    public void GradientOfTheStructuredSolution_MatchesCentralDifferences()
    {
        var ocp = Constrained(10);
        var report = DiffOp.Control.Sensitivity.GradientCheck.Run(ocp, ocp.InitialParameters(), [0.2, -0.3], ocp.DefaultContext());
        Assert.That(report.DirectionsChecked, Is.GreaterThanOrEqualTo(4), report.ToString());
        Assert.That(report.MaxRelativeErrorVsFiniteDifferences, Is.LessThan(1e-6), report.ToString());
        Assert.That(report.MaxRelativeErrorDenseVsStructured, Is.LessThan(1e-9), report.ToString());
    }

    [Test]
    public void SolversOnSeveralThreads_GiveBitForBitTheSerialAnswers()
    {
        // The structured solver needs no process-wide lock (unlike Ipopt): one OcpSolver per thread, all at once.
        var ocp = Constrained(12);
        const int perThread = 200, threads = 4;
        var rng = new Random(7);
        var starts = Enumerable.Range(0, threads * perThread).Select(_ => new[] { rng.NextDouble() - 0.5, rng.NextDouble() - 0.5 }).ToArray();
        double[][] serial;
        using (var one = new OcpSolver(ocp))
            serial = starts.Select(x => one.Solve(x).EnsureSuccess().Trajectory.ToArray()).ToArray();

        var parallel = new double[starts.Length][];
        var methods = new OcpSolveMethod[starts.Length];
        var workers = Enumerable.Range(0, threads).Select(k => new Thread(() =>
        {
            using var own = new OcpSolver(ocp);
            for (int i = k; i < starts.Length; i += threads)
            {
                var s = own.Solve(starts[i]);
                parallel[i] = s.Trajectory.ToArray();
                methods[i] = s.Method;
            }
        })).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) Assert.That(w.Join(TimeSpan.FromMinutes(2)), Is.True, "a solver thread did not finish");

        Assert.That(methods, Has.All.EqualTo(OcpSolveMethod.StructuredQp));
        for (int i = 0; i < starts.Length; i++)
            Assert.That(parallel[i], Is.EqualTo(serial[i]), $"solve {i}: the thread's answer differs from the serial one");
    }
}
