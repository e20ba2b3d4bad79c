using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>
/// The OCP layer through <see cref="INlpSolver"/> with a backend that is not Ipopt (no native code involved): the seam is
/// real when an OCP solves, reports its status and differentiates with it alone.
/// </summary>
public class NlpSolverSeamTests
{
    /// <summary>
    /// One Newton step on the KKT system [H Jᵀ; J 0](dx, λ) = −(∇f, g − g_U) of a problem with equality constraints only and
    /// no bounds: exact for a QP with linear constraints (the unconstrained LQR). Multipliers in Ipopt's sign, as the seam asks.
    /// </summary>
    private sealed class NewtonKktSolver : INlpSolver
    {
        public int Solves, Sessions, DisposedSessions;
        public (NlpStatus Status, string Name)? Outcome;   // report this instead of success

        public string Name => "NewtonKkt";

        public INlpSession CreateSession(INlpProblem problem)
        {
            Sessions++;
            return new Session(this, problem);
        }

        public NlpSolution Solve(INlpProblem p, NlpStartPoint start)
        {
            Solves++;
            int n = p.VariableCount, m = p.ConstraintCount;
            double[] xL = new double[n], xU = new double[n], gL = new double[m], gU = new double[m];
            p.GetBounds(xL, xU, gL, gU);
            if (xL.Any(double.IsFinite) || xU.Any(double.IsFinite) || gL.Where((v, i) => v != gU[i]).Any())
                throw new NotSupportedException("NewtonKkt solves equality-constrained problems without bounds only.");
            int[] jr = new int[p.JacobianNonZeroCount], jc = new int[jr.Length], hr = new int[p.HessianNonZeroCount], hc = new int[hr.Length];
            p.GetJacobianStructure(jr, jc);
            p.GetHessianStructure(hr, hc);
            double[] x0 = start.X, grad = new double[n], g = new double[m], jv = new double[jr.Length], hv = new double[hr.Length];
            p.ObjectiveGradient(x0, grad);
            p.Constraints(x0, g);
            p.JacobianValues(x0, jv);
            p.HessianValues(x0, 1.0, new double[m], hv);   // linear constraints: the Hessian is ∇²f alone

            var k = Matrix<double>.Build.Dense(n + m, n + m);
            for (int e = 0; e < hv.Length; e++)
            {
                k[hr[e], hc[e]] += hv[e];
                if (hr[e] != hc[e]) k[hc[e], hr[e]] += hv[e];
            }
            for (int e = 0; e < jv.Length; e++) { k[n + jr[e], jc[e]] += jv[e]; k[jc[e], n + jr[e]] += jv[e]; }
            var rhs = Vector<double>.Build.Dense(n + m, i => i < n ? -grad[i] : -(g[i - n] - gU[i - n]));
            var step = k.Solve(rhs);
            var x = Enumerable.Range(0, n).Select(i => x0[i] + step[i]).ToArray();
            var constraints = new double[m];
            p.Constraints(x, constraints);
            var outcome = Outcome ?? (NlpStatus.Solved, "Converged");
            return new NlpSolution
            {
                Status = outcome.Status, SolverName = Name, SolverStatus = outcome.Name, X = x, Objective = p.Objective(x),
                Constraints = constraints, ConstraintMultipliers = Enumerable.Range(n, m).Select(i => step[i]).ToArray(),
                LowerBoundMultipliers = new double[n], UpperBoundMultipliers = new double[n], Iterations = 1, SolveTime = TimeSpan.Zero,
            };
        }

        private sealed class Session(NewtonKktSolver solver, INlpProblem problem) : INlpSession
        {
            public NlpSolution Solve(NlpStartPoint start) => solver.Solve(problem, start);
            public void Dispose() => solver.DisposedSessions++;
        }
    }

    [Test]
    public void OcpSolver_SolvesThroughAnotherBackend_AndMatchesTheStructuredQpSolver()
    {
        var ocp = LqrSamples.Lqr(6);
        var fake = new NewtonKktSolver();
        var reference = new OcpSolver(ocp).Solve(LqrSamples.InitialState).EnsureSuccess();   // the built-in QP solver: no Ipopt
        Assert.That(reference.Method, Is.EqualTo(OcpSolveMethod.StructuredQp));

        var solver = new OcpSolver(ocp, new OcpSolverOptions { NlpSolver = fake, Solver = OcpSolverChoice.Ipopt });
        Assert.That(solver.NlpSolver, Is.SameAs(fake));
        Assert.That(solver.UsesQuadraticProgramSettings, Is.False, "Ipopt's QP settings do not apply to another backend");
        var s = solver.Solve(LqrSamples.InitialState).EnsureSuccess();
        var again = solver.Solve(LqrSamples.InitialState);

        Assert.That(s.Method, Is.EqualTo(OcpSolveMethod.NlpSolver));
        Assert.That((s.Nlp.SolverName, s.SolverStatus, s.Status), Is.EqualTo(("NewtonKkt", "Converged", NlpStatus.Solved)));
        Assert.That((fake.Solves, fake.Sessions), Is.EqualTo((2, 1)), "one session kept for all solves");
        Assert.That(again.Trajectory.ToArray(), Is.EqualTo(s.Trajectory.ToArray()));
        Assert.That(s.Trajectory.ToArray(), Is.EqualTo(reference.Trajectory.ToArray()).Within(1e-7));
        for (int t = 0; t < ocp.Horizon; t++)
            Assert.That(s.DynamicsMultipliers(t).ToArray(), Is.EqualTo(reference.DynamicsMultipliers(t).ToArray()).Within(1e-6), $"λ_{t}");
        Assert.That(s.KktResidual().Stationarity, Is.LessThan(1e-9));

        // The gradient path needs nothing from Ipopt either.
        var js = new StructuredSensitivity(ocp).Jacobian(s);
        var jr = new StructuredSensitivity(ocp).Jacobian(reference);
        for (int row = 0; row < ocp.Layout.VariableCount; row++)
            for (int c = 0; c < js.ColumnCount; c++) Assert.That(js[row, c], Is.EqualTo(jr[row, c]).Within(1e-6), $"∂ζ[{row}]/∂column {c}");

        solver.Dispose();
        Assert.That(fake.DisposedSessions, Is.EqualTo(1));
    }

    [Test]
    public void FailedSolveOfAnotherBackend_CarriesItsNeutralStatusAndName()
    {
        var ocp = LqrSamples.Lqr(4);
        var fake = new NewtonKktSolver { Outcome = (NlpStatus.LimitReached, "Iteration_Limit") };
        using var solver = new OcpSolver(ocp, new OcpSolverOptions { NlpSolver = fake, Solver = OcpSolverChoice.Ipopt });
        var s = solver.Solve(LqrSamples.InitialState);
        Assert.That((s.Status, s.SolverStatus, s.IsSuccess), Is.EqualTo((NlpStatus.LimitReached, "Iteration_Limit", false)));
        var ex = Assert.Throws<SolverException>(() => s.EnsureSuccess());
        Assert.That((ex!.Status, ex.SolverName, ex.SolverStatus), Is.EqualTo(((NlpStatus?)NlpStatus.LimitReached, "NewtonKkt", "Iteration_Limit")));
        Assert.That(ex.Message, Does.Contain("(NewtonKkt: Iteration_Limit)"));
        Assert.Throws<SolverException>(() => new StructuredSensitivity(ocp).Jacobian(s), "a failed solve has no gradient");
    }

    [Test]
    public void StructuredQpSolverGoesFirst_AndFallsBackToTheGivenBackend()
    {
        var ocp = LqrSamples.Lqr(6);
        var fake = new NewtonKktSolver();
        using var first = new OcpSolver(ocp, new OcpSolverOptions { NlpSolver = fake });
        Assert.That(first.Solve(LqrSamples.InitialState).Method, Is.EqualTo(OcpSolveMethod.StructuredQp));
        Assert.That(fake.Solves, Is.Zero);

        // r < 0 (θ[3..4], after q): not convex, the structured QP solver gives up and the backend solves (here: the stationary point).
        double[] theta = ocp.InitialParameters();
        theta[3] = theta[4] = -1.0;
        var s = first.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        Assert.That((s.Method, first.StructuredQpFallbacks, fake.Solves), Is.EqualTo((OcpSolveMethod.NlpSolver, 1, 1)));
        Assert.That(s.KktResidual().Stationarity, Is.LessThan(1e-9));
    }

    [Test]
    public void Options_Defaults_AreTheOldOnes()
    {
        var o = new OcpSolverOptions();
        Assert.That((o.Tolerance, o.MaxIterations, o.EffectiveStructuredQpTolerance), Is.EqualTo((1e-8, 3000, 1e-9)));
        Assert.That(o.NlpSolver, Is.Null);
        var tight = new OcpSolverOptions { Tolerance = 1e-11, MaxIterations = 50 };
        Assert.That(tight.EffectiveStructuredQpTolerance, Is.EqualTo(1e-12).Within(1e-27));
        Assert.That((tight.EffectiveIpopt.Tolerance, tight.EffectiveIpopt.MaxIterations), Is.EqualTo((1e-11, 50)), "what Ipopt is given");
    }

    [TestCase(0.0, 10, "OcpSolverOptions.Tolerance must be a positive finite number, got 0.")]
    [TestCase(double.NaN, 10, "OcpSolverOptions.Tolerance must be a positive finite number, got NaN.")]
    [TestCase(double.PositiveInfinity, 10, "OcpSolverOptions.Tolerance must be a positive finite number")]
    [TestCase(1e-8, -1, "OcpSolverOptions.MaxIterations must be ≥ 0, got -1.")]
    public void Options_InvalidNeutralSettings_AreNamed(double tolerance, int maxIterations, string message)
    {
        var options = new OcpSolverOptions { Tolerance = tolerance, MaxIterations = maxIterations };
        Assert.That(() => new OcpSolver(LqrSamples.Lqr(2), options), Throws.ArgumentException.With.Message.Contains(message));
    }

    [Test]
    public void Options_IpoptValuesThatWouldBeIgnored_AreRejected_ConsistentOnesAccepted()
    {
        var tolerance = new OcpSolverOptions { Ipopt = new IpoptOptions { Tolerance = 1e-11 } };
        Assert.That(() => tolerance.Validate(), Throws.ArgumentException.With.Message.Contains(
            "OcpSolverOptions.Ipopt.Tolerance is 1E-11 but OcpSolverOptions.Tolerance is 1E-08").And.Message.Contains("Set the tolerance there"));
        var iterations = new OcpSolverOptions { Ipopt = new IpoptOptions { MaxIterations = 30 } };
        Assert.That(() => iterations.Validate(), Throws.ArgumentException.With.Message.Contains(
            "OcpSolverOptions.Ipopt.MaxIterations is 30 but OcpSolverOptions.MaxIterations is 3000"));
        Assert.That(() => new OcpSolverOptions { Tolerance = 1e-11, MaxIterations = 30, Ipopt = new IpoptOptions { Tolerance = 1e-11, MaxIterations = 30 } }.Validate(),
            Throws.Nothing);
        Assert.That(() => new OcpSolverOptions { Ipopt = new IpoptOptions { PrintLevel = 13 } }.Validate(),
            Throws.ArgumentException.With.Message.Contains("IpoptOptions.PrintLevel must be in 0..12"));
    }
}
