using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Control.Tests.Nlp;
using DiffOp.Control.Tests.OptimalControl;
using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Tests.Sensitivity;

[Category("Native")]
public class SensitivityTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    private static OcpSolution SolveTight(Ocp ocp, double[] theta, double[] x0) =>
        new OcpSolver(ocp, new OcpSolverOptions { Tolerance = 1e-11 })
            .Solve(theta, x0, ocp.DefaultContext()).EnsureSuccess();

    [Test]
    public void OneStepScalarLqr_MatchesClosedForm()
    {
        var ocp = SensitivityProblems.OneStepScalarLqr();
        var s = SolveTight(ocp, ocp.InitialParameters(), [1.5]);
        Assert.That(s.Control(0)[0], Is.EqualTo(-1.7027027027).Within(1e-9));
        Assert.That(s.State(1)[0], Is.EqualTo(0.6081081081).Within(1e-9));
        Assert.That(s.DynamicsMultipliers(0)[0], Is.EqualTo(1.2162162162).Within(1e-9), "costate λ₁ = q x₁");

        double[] expected = [-0.2876186998, 1.1504747991, -1.4189189189, 0.7888970051, -1.1351351351];   // (q, r, a, b, x̄₀)
        foreach (ISensitivitySolver solver in new ISensitivitySolver[] { new StructuredSensitivity(ocp), new DenseSensitivity(ocp) })
        {
            var du0 = solver.Jacobian(s).ControlJacobian(0);
            for (int c = 0; c < 5; c++) Assert.That(du0[c], Is.EqualTo(expected[c]).Within(1e-9), $"{solver.GetType().Name} column {c}");
        }
    }

    [Test]
    public void LqrWithSingularQ_InitialStateColumnsAreMinusRiccatiGain_AndAllColumnsMatchDenseAndFd()
    {
        const int H = 8;
        var ocp = LqrSamples.Lqr(H);
        var theta = ocp.InitialParameters();
        var s = SolveTight(ocp, theta, LqrSamples.InitialState);
        var structured = new StructuredSensitivity(ocp).Jacobian(s);
        var dense = new DenseSensitivity(ocp).Jacobian(s);

        var a = Matrix<double>.Build.Dense(3, 3, (i, j) => LqrSamples.A[3 * i + j]);
        var b = Matrix<double>.Build.Dense(3, 2, (i, j) => LqrSamples.B[2 * i + j]);
        var q = Matrix<double>.Build.DenseOfDiagonalArray(LqrSamples.QDiagonal);
        var r = Matrix<double>.Build.DenseOfDiagonalArray(LqrSamples.RDiagonal);
        var p = q;
        Matrix<double> k0 = null!;
        for (int t = H - 1; t >= 0; t--)
        {
            k0 = (r + b.Transpose() * p * b).Solve(b.Transpose() * p * a);
            p = q + a.Transpose() * p * (a - b * k0);
        }
        var du0 = structured.ControlJacobian(0);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                Assert.That(du0[i * structured.ColumnCount + structured.InitialStateColumn + j], Is.EqualTo(-k0[i, j]).Within(1e-10), $"du0[{i}]/dx_init[{j}]");

        for (int row = 0; row < ocp.Layout.VariableCount; row++)
            for (int c = 0; c < structured.ColumnCount; c++)
                Assert.That(structured[row, c], Is.EqualTo(dense[row, c]).Within(1e-10 * Math.Max(1, Math.Abs(dense[row, c]))), $"ζ[{row}] column {c}");

        // Central differences of the exact QP solution (h = 1e-6).
        var solver = new OcpSolver(ocp, new OcpSolverOptions { Tolerance = 1e-12 });
        for (int c = 0; c < structured.ColumnCount; c++)
        {
            var (plus, minus) = (Perturb(c, 1e-6), Perturb(c, -1e-6));
            for (int row = 0; row < ocp.Layout.VariableCount; row++)
            {
                double fd = (plus.Trajectory[row] - minus.Trajectory[row]) / 2e-6;
                Assert.That(structured[row, c], Is.EqualTo(fd).Within(1e-7 * Math.Max(1, Math.Abs(fd))), $"FD ζ[{row}] column {c}");
            }
        }

        OcpSolution Perturb(int column, double h)
        {
            var th = (double[])theta.Clone();
            var x0 = (double[])LqrSamples.InitialState.Clone();
            if (column < th.Length) th[column] += h; else x0[column - th.Length] += h;
            return solver.Solve(th, x0, ocp.DefaultContext()).EnsureSuccess();
        }
    }

    // Columns of the expected values: (q, r, a, b, x₀, tgt, ū) as docs/sensitivity.md lists them.
    [TestCase(1.0, new[] { 0, 0, 0, 0, 0, 0, 1.0 }, TestName = "OneStepBox_Active")]
    [TestCase(3.0, new[] { 0.24, -0.96, 0, -1.44, -0.8, 0.8, 0 }, TestName = "OneStepBox_Inactive")]
    public void OneStepBox_MatchesListedDerivatives(double ubar, double[] expected)
    {
        var ocp = SensitivityProblems.OneStepBox(ubar);
        var s = SolveTight(ocp, ocp.InitialParameters(), [0.0]);
        var j = new StructuredSensitivity(ocp).Jacobian(s);
        var du0 = j.ControlJacobian(0);
        // our columns: θ = (q, r, a, b, tgt, ū), then x_init
        double[] ours = [du0[0], du0[1], du0[2], du0[3], du0[6], du0[4], du0[5]];
        for (int c = 0; c < 7; c++) Assert.That(ours[c], Is.EqualTo(expected[c]).Within(1e-8), $"column {c}");
        Assert.That(j.IsOneSided, Is.False);
        if (ubar == 1.0)
        {
            var dx1 = j.StateJacobian(1);
            Assert.That(dx1[5], Is.EqualTo(1.0).Within(1e-8), "dx₁/dū");
            Assert.That(s.PathMultipliers(0)[0], Is.EqualTo(-3.5).Within(1e-7), "v = 3.5 (paper sign −3.5)");
        }
    }

    [Test]
    public void OneStepBox_WeaklyActive_IsFlaggedAndReturnsAOneSidedDerivative()
    {
        var ocp = SensitivityProblems.OneStepBox(2.4);
        var s = SolveTight(ocp, ocp.InitialParameters(), [0.0]);
        Assert.That(s.ActiveSet.IsDegenerate, Is.True, "u = ū with v = 0");
        var j = new StructuredSensitivity(ocp).Jacobian(s);
        Assert.That(j.IsOneSided, Is.True);
        var du0 = j.ControlJacobian(0);
        double[] ours = [du0[0], du0[1], du0[2], du0[3], du0[6], du0[4], du0[5]];
        double[] inactive = [0.24, -0.96, 0, -1.44, -0.8, 0.8, 0];
        double[] active = [0, 0, 0, 0, 0, 0, 1.0];
        // The interior-point solution sits about √μ ≈ 3e-6 from the kink, and the derivative there (it involves u*
        // itself, e.g. ∂x₁/∂b = u*) differs from the kink's one-sided value by that much.
        bool matchesInactive = ours.Zip(inactive).All(p => Math.Abs(p.First - p.Second) < 1e-5);
        bool matchesActive = ours.Zip(active).All(p => Math.Abs(p.First - p.Second) < 1e-5);
        Assert.That(matchesInactive || matchesActive, $"got ({string.Join(", ", ours)})");
    }

    [Test]
    public void CartPoleWithActiveForceLimits_StructuredEqualsDense_AndMatchesFiniteDifferences()
    {
        const int H = 25;
        var ocp = CartPoleOcp.Build(H, forceLimit: 1.5);
        var theta = ocp.InitialParameters();
        double[] x0 = [0, 0.3, 0, 0];
        var s = SolveTight(ocp, theta, x0);
        var boundStages = s.ActiveSet.Active.Where(c => c.Kind is ConstraintKind.UpperBound or ConstraintKind.LowerBound).Select(c => c.Stage).ToHashSet();
        Assert.That(boundStages.Count, Is.GreaterThanOrEqualTo(3), "force limits active at several stages");
        Assert.That(boundStages, Does.Contain(H - 1), "…including the last stage t = H − 1");

        var report = GradientCheck.Run(ocp, theta, x0, ocp.DefaultContext());
        Assert.That(report.MaxRelativeErrorDenseVsStructured, Is.LessThan(1e-9));
        Assert.That(report.DirectionsChecked, Is.GreaterThan(ocp.ParameterCount / 2), "most directions keep their active set");
        Assert.That(report.MaxRelativeErrorVsFiniteDifferences, Is.LessThan(1e-4));
    }

    [Test]
    public void Invariants_AdjointIdentity_VjpAndJvpMatchJacobian()
    {
        var ocp = CartPoleOcp.Build(12, forceLimit: 4.0);
        var s = SolveTight(ocp, ocp.InitialParameters(), [0, 0.3, 0, 0]);
        var solver = new StructuredSensitivity(ocp);
        var jac = solver.Jacobian(s);
        var rng = new Random(7);
        var v = Enumerable.Range(0, ocp.Layout.VariableCount).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var p = Enumerable.Range(0, jac.ColumnCount).Select(_ => rng.NextDouble() - 0.5).ToArray();

        var vjp = solver.VectorJacobianProduct(s, v);
        var jvp = solver.JacobianVectorProduct(s, p);
        for (int c = 0; c < jac.ColumnCount; c++)
        {
            double expected = Enumerable.Range(0, v.Length).Sum(j => v[j] * jac[j, c]);
            Assert.That(vjp[c], Is.EqualTo(expected).Within(1e-10 * Math.Max(1, Math.Abs(expected))), $"VJP column {c}");
        }
        for (int j = 0; j < v.Length; j++)
        {
            double expected = Enumerable.Range(0, p.Length).Sum(c => jac[j, c] * p[c]);
            Assert.That(jvp[j], Is.EqualTo(expected).Within(1e-10 * Math.Max(1, Math.Abs(expected))), $"JVP row {j}");
        }
        double left = v.Zip(jvp).Sum(t => t.First * t.Second), right = vjp.Zip(p).Sum(t => t.First * t.Second);
        Assert.That(left, Is.EqualTo(right).Within(1e-10 * Math.Max(1, Math.Abs(left))), "vᵀ(Jp) = (Jᵀv)ᵀp");
    }

    // §5.5 also lists the negation of equality rows; the OCP API has no path equalities and fixes the sign of the
    // dynamics rows (x_{t+1} − f), so only scaling and added inactive rows can be varied from outside.
    [TestCase(2.5, false, TestName = "Invariant_RowScaled")]
    [TestCase(1.0, true, TestName = "Invariant_InactiveRowAdded")]
    public void Invariants_RowScalingAndInactiveRows_LeaveDerivativeUnchanged(double factor, bool inactiveExtra)
    {
        var reference = SensitivityProblems.OneStepBox(1.0);
        var variant = SensitivityProblems.OneStepBox(1.0, factor, inactiveExtra: inactiveExtra);
        // Ipopt relaxes g ≤ 0 to g ≤ 1e-8 by default (bound_relax_factor), which a scaled row feels differently:
        // switch the relaxation off so that both solves land on the same exact point.
        var options = new OcpSolverOptions { Tolerance = 1e-11, Ipopt = new DiffOp.Control.Nlp.IpoptOptions
            { Extra = new Dictionary<string, object> { ["bound_relax_factor"] = 0.0 } } };
        OcpSolution Solve(Ocp o) => new OcpSolver(o, options).Solve(o.InitialParameters(), [0.0], o.DefaultContext()).EnsureSuccess();
        var js = new StructuredSensitivity(reference).Jacobian(Solve(reference));
        var jv = new StructuredSensitivity(variant).Jacobian(Solve(variant));
        for (int row = 0; row < reference.Layout.VariableCount; row++)
            for (int c = 0; c < js.ColumnCount; c++) Assert.That(jv[row, c], Is.EqualTo(js[row, c]).Within(1e-12), $"ζ[{row}] column {c}");
    }

    [Test]
    public void Degenerate_DuplicatedActiveRow_ReportsLicqViolationAtStage()
    {
        var ocp = SensitivityProblems.OneStepBox(1.0, duplicates: 2);
        var s = SolveTight(ocp, ocp.InitialParameters(), [0.0]);
        Assert.That(s.ActiveSet.Active.Count(c => c.Kind == ConstraintKind.Path), Is.EqualTo(2));
        foreach (ISensitivitySolver solver in new ISensitivitySolver[] { new StructuredSensitivity(ocp), new DenseSensitivity(ocp) })
        {
            var ex = Assert.Throws<SensitivityException>(() => solver.Jacobian(s), solver.GetType().Name);
            Assert.That(ex!.Failure, Is.EqualTo(SensitivityFailure.LicqViolated));
            Assert.That(ex.Stage, Is.EqualTo(0));
            Assert.That(ex.Message, Does.Contain("LICQ"));
        }
    }

    [Test]
    public void Degenerate_RedundantControls_ReportsSingularReducedHessian_AndDampingGivesFiniteResult()
    {
        var ocp = SensitivityProblems.RedundantControls();
        var s = SolveTight(ocp, ocp.InitialParameters(), [0.0]);
        var ex = Assert.Throws<SensitivityException>(() => new StructuredSensitivity(ocp).Jacobian(s));
        Assert.That(ex!.Failure, Is.EqualTo(SensitivityFailure.SingularReducedHessian));

        var damped = new StructuredSensitivity(ocp, new SensitivityOptions { Damping = 1e-8 }).Jacobian(s);
        // d(u_a + u_b)/d target = 1 whatever the split; damping picks the symmetric split 0.5/0.5.
        Assert.That(damped.ControlJacobian(0)[0] + damped.ControlJacobian(0)[2], Is.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void FailedSolve_RefusesToDifferentiate()
    {
        var b = new OcpBuilder("unreachable", 1, 1, 2);
        b.SetDynamics(new DiffOp.Symbolic.SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(DiffOp.Symbolic.Sx.Sqr(b.Control[0]));
        b.SetTerminalConstraints(new DiffOp.Symbolic.SxVector(5.0 - b.State[0]));
        b.SetControlBounds([-0.1], [0.1]);
        var ocp = b.Build();
        var s = new OcpSolver(ocp).Solve([0.0]);
        Assert.That(() => new StructuredSensitivity(ocp).Jacobian(s), Throws.InstanceOf<DiffOp.Control.Nlp.SolverException>().With.Message.Contains("cannot be differentiated"));
    }
}
