using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Tests.Nlp;
using DiffOp.Symbolic;
using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Tests.OptimalControl;

[Category("Native")]
public class OcpSolverTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    private static Matrix<double> M(int r, int c, double[] rowMajor) => Matrix<double>.Build.Dense(r, c, (i, j) => rowMajor[i * c + j]);

    [Test]
    public void Lqr_Unconstrained_MatchesDiscreteRiccati()
    {
        const int H = 8;
        var ocp = LqrSamples.Lqr(H);
        var solution = new OcpSolver(ocp).Solve(LqrSamples.InitialState);
        Assert.That(solution.Status, Is.EqualTo(NlpStatus.Solved));

        // Independent reference: backward Riccati recursion, then the closed-loop rollout.
        var a = M(3, 3, LqrSamples.A); var b = M(3, 2, LqrSamples.B);
        var q = Matrix<double>.Build.DenseOfDiagonalArray(LqrSamples.QDiagonal);
        var r = Matrix<double>.Build.DenseOfDiagonalArray(LqrSamples.RDiagonal);
        var p = q;
        var gains = new Matrix<double>[H];
        for (int t = H - 1; t >= 0; t--)
        {
            gains[t] = (r + b.Transpose() * p * b).Solve(b.Transpose() * p * a);
            p = q + a.Transpose() * p * (a - b * gains[t]);
        }
        var x = Vector<double>.Build.DenseOfArray(LqrSamples.InitialState);
        for (int t = 0; t < H; t++)
        {
            var u = -(gains[t] * x);
            AssertClose(solution.State(t), x, 1e-8, $"x_{t}");
            AssertClose(solution.Control(t), u, 1e-8, $"u_{t}");
            x = a * x + b * u;
        }
        AssertClose(solution.State(H), x, 1e-8, "x_H");
        Assert.That(solution.ActiveSet.Active, Is.Empty);
    }

    [Test]
    public void BoxLqr_ActiveSetIsExactlyTheSaturatedControls_AndKktHolds()
    {
        const int H = 8;
        var ocp = LqrSamples.BoxLqr(H);
        var s = new OcpSolver(ocp).Solve(LqrSamples.InitialState);
        Assert.That(s.Status, Is.EqualTo(NlpStatus.Solved));

        var saturated = new HashSet<(int, int, ConstraintKind)>();
        for (int t = 0; t < H; t++)
            for (int j = 0; j < 2; j++)
            {
                double u = s.Control(t)[j];
                if (u >= LqrSamples.ControlLimit - 1e-6) saturated.Add((t, 3 + j, ConstraintKind.UpperBound));
                if (u <= -LqrSamples.ControlLimit + 1e-6) saturated.Add((t, 3 + j, ConstraintKind.LowerBound));
            }
        Assert.That(saturated, Is.Not.Empty, "the sample must saturate some controls");
        var active = s.ActiveSet.Active.Select(c => (c.Stage, c.Index, c.Kind)).ToHashSet();
        Assert.That(active, Is.EquivalentTo(saturated));
        Assert.That(s.ActiveSet.WeaklyActive, Is.Empty);
        foreach (var c in s.ActiveSet.Active)
            Assert.That(c.Kind == ConstraintKind.UpperBound ? c.Multiplier < 0 : c.Multiplier > 0, $"multiplier sign of {c}");

        // Stationarity ∇ζJ − Aᵀλ = 0 in the paper's sign, with A written out by hand for this LQR.
        var l = ocp.Layout;
        var a = M(3, 3, LqrSamples.A); var b = M(3, 2, LqrSamples.B);
        var residual = new double[l.VariableCount];
        for (int t = 0; t <= H; t++)
            for (int i = 0; i < 3; i++) residual[l.StateOffset(t) + i] = LqrSamples.QDiagonal[i] * s.State(t)[i];
        for (int t = 0; t < H; t++)
            for (int j = 0; j < 2; j++) residual[l.ControlOffset(t) + j] = LqrSamples.RDiagonal[j] * s.Control(t)[j];
        for (int i = 0; i < 3; i++) residual[i] -= s.InitialStateMultipliers[i];                 // κ₋₁ = x₀ − x_init
        for (int t = 0; t < H; t++)
        {
            var lam = Vector<double>.Build.DenseOfArray(s.DynamicsMultipliers(t).ToArray());   // κ_t = x_{t+1} − A x_t − B u_t
            var ax = a.Transpose() * lam; var bu = b.Transpose() * lam;
            for (int i = 0; i < 3; i++) { residual[l.StateOffset(t + 1) + i] -= lam[i]; residual[l.StateOffset(t) + i] += ax[i]; }
            for (int j = 0; j < 2; j++) residual[l.ControlOffset(t) + j] += bu[j];
        }
        foreach (var c in s.ActiveSet.Active) residual[c.TrajectoryIndex] -= c.Multiplier;          // κ = e_jᵀζ − bound
        Assert.That(residual.Max(Math.Abs), Is.LessThan(1e-7), "stationarity residual over all active rows");

        // Complementarity: inactive bounds carry no multiplier, active ones no slack.
        for (int j = 0; j < l.VariableCount; j++)
        {
            if (!IsControl(l, j)) continue;
            double slack = LqrSamples.ControlLimit - Math.Abs(s.Trajectory[j]);
            Assert.That(slack * Math.Abs(s.BoundMultipliers[j]), Is.LessThan(1e-7), $"complementarity at ζ[{j}]");
        }
    }

    [Test]
    public void CartPole_ConvergesFromColdStart_AndShiftedWarmStartNeedsFewerIterations()
    {
        const int H = 6;
        var ocp = CartPoleOcp.Build(H);
        var solver = new OcpSolver(ocp);
        double[] x0 = [0, 0.5, 0, 0];
        var first = solver.Solve(x0);
        Assert.That(first.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(first.Iterations, Is.GreaterThan(1));

        double[] x1 = CartPoleOcp.Step(x0, first.Control(0)[0]);
        var theta = ocp.InitialParameters();
        var cold = solver.Solve(theta, x1, ocp.DefaultContext());
        var warm = solver.Solve(theta, x1, ocp.DefaultContext(), OcpWarmStart.Shifted(first));

        Assert.That(cold.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(warm.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(warm.Objective, Is.EqualTo(cold.Objective).Within(1e-6 * Math.Max(1, Math.Abs(cold.Objective))), "same optimum");
        Assert.That(warm.Iterations, Is.LessThan(cold.Iterations), $"warm {warm.Iterations} vs cold {cold.Iterations} iterations");
    }

    [Test]
    public void WarmStartSame_WithNewTheta_ConvergesToColdSolutionInFewerIterations()
    {
        var ocp = LqrSamples.BoxLqr(8);
        // At tol 1e-8 a cold solve stops ~3e-7 from the optimum next to active bounds (complementarity ~ tol);
        // the tighter tol makes both solves accurate enough to compare at 1e-7.
        // Ipopt's primal-dual warm start (the structured QP solver starts from the primal point only).
        var solver = new OcpSolver(ocp, new OcpSolverOptions { Tolerance = 1e-10, Solver = OcpSolverChoice.Ipopt });
        var theta = ocp.InitialParameters();
        var first = solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        theta[0] *= 1.1;   // q₁ perturbed
        var cold = solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        var warm = solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext(), OcpWarmStart.Same(first));
        Assert.That(warm.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(warm.Iterations, Is.LessThan(cold.Iterations));
        for (int j = 0; j < cold.Trajectory.Length; j++)
            Assert.That(warm.Trajectory[j], Is.EqualTo(cold.Trajectory[j]).Within(1e-7), $"ζ[{j}]");
    }

    [Test]
    public void Solve_BadInput_ThrowsNamingTheArgument()
    {
        var ocp = LqrSamples.Lqr(4);
        var solver = new OcpSolver(ocp);
        var theta = ocp.InitialParameters();
        Assert.That(() => solver.Solve(theta, [1.0, 2.0], ocp.DefaultContext()),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("initialState").And.Message.Contains("x_init has length 2; expected 3"));
        theta[4] = double.NaN;
        Assert.That(() => solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext()),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("theta").And.Message.Contains("index 4"));
        Assert.That(() => new OcpBuilder("h0", 3, 2, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("horizon"));
        var builder = new OcpBuilder("bounds", 1, 1, 3);
        Assert.That(() => builder.SetControlBounds([1.0], [-1.0]),
            Throws.ArgumentException.With.Message.Contains("lower bound 1 of component 0 is above its upper bound -1"));
    }

    [Test]
    public void Build_FreeSymbolOrControlInTerminalCost_Throws()
    {
        var b = new OcpBuilder("free", 1, 1, 2);
        var stray = Sx.Symbol("stray");
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0] * stray));
        b.SetStageCost(Sx.Sqr(b.State[0]));
        Assert.That(() => b.Build(), Throws.TypeOf<SymbolicException>().With.Message.Contains("stray"));

        var c = new OcpBuilder("terminal_u", 1, 1, 2);
        c.SetDynamics(new SxVector(c.State[0] + c.Control[0]));
        c.SetStageCost(Sx.Sqr(c.State[0]));
        c.SetTerminalCost(Sx.Sqr(c.Control[0]));
        Assert.That(() => c.Build(), Throws.InvalidOperationException.With.Message.Contains("must not depend on the control"));
    }

    [Test]
    public void Solve_InfeasibleTerminalConstraint_ReturnsFailedStatusAndRefusesGradients()
    {
        // x_{t+1} = x_t + u_t with |u| ≤ 0.1 cannot reach x_H ≥ 5 from 0 in 3 steps.
        var b = new OcpBuilder("unreachable", 1, 1, 3);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(Sx.Sqr(b.Control[0]));
        b.SetTerminalConstraints(new SxVector(5.0 - b.State[0]));
        b.SetControlBounds([-0.1], [0.1]);
        var s = new OcpSolver(b.Build()).Solve([0.0]);
        Assert.That(s.IsSuccess, Is.False);
        Assert.That(s.Status, Is.EqualTo(NlpStatus.Infeasible));
        var ex = Assert.Throws<SolverException>(() => s.EnsureSuccess());
        Assert.That(ex!.Message, Does.Contain("cannot be differentiated"));
        Assert.That((ex.Status, ex.SolverName, ex.SolverStatus), Is.EqualTo(((NlpStatus?)NlpStatus.Infeasible, "Ipopt", "Infeasible_Problem_Detected")));
        Assert.That(s.SolverStatus, Is.EqualTo("Infeasible_Problem_Detected"));
    }

    [Test]
    public void Solve_PathAndTerminalConstraints_MultipliersHaveDocumentedSigns()
    {
        // Drive x toward 2 with a path bound u ≤ 0.3 written as a row and a terminal row x_H ≤ 1.
        var b = new OcpBuilder("rows", 1, 1, 4);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(Sx.Sqr(b.State[0] - 2.0) + 0.01 * Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(Sx.Sqr(b.State[0] - 2.0));
        b.SetPathConstraints(new SxVector(b.Control[0] - 0.3));
        b.SetTerminalConstraints(new SxVector(b.State[0] - 1.0));
        var s = new OcpSolver(b.Build()).Solve([0.0]);
        Assert.That(s.Status, Is.EqualTo(NlpStatus.Solved));
        Assert.That(s.TerminalConstraintValues[0], Is.EqualTo(0).Within(1e-7));
        Assert.That(s.TerminalMultipliers[0], Is.LessThan(-1e-3), "active g_H ≤ 0 has a negative paper-sign multiplier");
        Assert.That(s.ActiveSet.Active.Any(c => c.Kind == ConstraintKind.Terminal));
        Assert.That(s.ActiveSet.Active.Where(c => c.Kind == ConstraintKind.Path).Select(c => c.Stage), Does.Contain(0));
        Assert.That(s.PathMultipliers(0)[0], Is.LessThan(-1e-3));
    }

    private static bool IsControl(OcpLayout l, int j) => j < l.Horizon * l.StageWidth && j % l.StageWidth >= l.StateCount;

    private static void AssertClose(ReadOnlySpan<double> actual, Vector<double> expected, double tol, string what)
    {
        for (int i = 0; i < expected.Count; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(tol), $"{what}[{i}]");
    }
}
