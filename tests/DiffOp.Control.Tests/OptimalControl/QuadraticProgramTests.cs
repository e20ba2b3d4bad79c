using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Symbolic;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>QP detection and the QP settings of <see cref="OcpSolver"/> (Mehrotra, constant derivatives, general retry).</summary>
public class QuadraticProgramTests
{
    private static Ocp Scalar(Func<Sx, Sx, Sx> stageCost, Func<Sx, Sx, Sx>? next = null, Func<Sx, Sx, Sx>? path = null)
    {
        var b = new OcpBuilder("scalar", 1, 1, 3);
        var x = b.State[0];
        var u = b.Control[0];
        b.SetDynamics(new SxVector((next ?? ((s, c) => s + c))(x, u)));
        b.SetStageCost(stageCost(x, u));
        b.SetTerminalCost(Sx.Sqr(x));
        if (path is not null) b.SetPathConstraints(new SxVector(path(x, u)));
        return b.Build();
    }

    [Test]
    public void Detection_QuadraticCostsAndAffineConstraints_Only()
    {
        Assert.That(LqrSamples.Lqr(4).IsQuadraticProgram, Is.True, "LQR: quadratic cost, linear dynamics (θ appears nonlinearly, which is allowed)");
        Assert.That(LqrSamples.BoxLqr(4).IsQuadraticProgram, Is.True, "bounds are linear");
        Assert.That(CartPoleOcp.Build(4).IsQuadraticProgram, Is.False, "nonlinear dynamics");
        Assert.That(Scalar((x, u) => Sx.Sqr(x) + Sx.Sqr(u), path: (x, u) => x + 2 * u - 1).IsQuadraticProgram, Is.True, "affine path constraint");
        Assert.That(Scalar((x, u) => Sx.Sqr(x) + Sx.Sqr(u), path: (x, u) => Sx.Sqr(x) - 1).IsQuadraticProgram, Is.False, "quadratic path constraint");
        Assert.That(Scalar((x, u) => Sx.Sqr(x) * x + Sx.Sqr(u)).IsQuadraticProgram, Is.False, "cubic cost");
        Assert.That(Scalar((x, u) => Sx.Sqr(u), next: (x, u) => x * u).IsQuadraticProgram, Is.False, "bilinear dynamics");
    }

    [Test]
    [Category("Native")]
    public void QpSettings_GiveTheSameSolutionMultipliersAndActiveSet_AsTheGeneralSettings()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var ocp = LqrSamples.BoxLqr(8);
        // Both solved to Ipopt tol 1e-11, so that both interior-point end points are within ~1e-9 of the exact QP solution.
        using var qp = new OcpSolver(ocp, new OcpSolverOptions { Tolerance = 1e-11 });
        using var general = new OcpSolver(ocp, new OcpSolverOptions { Tolerance = 1e-11, QuadraticProgramSettings = false });
        Assert.That(qp.UsesQuadraticProgramSettings, Is.True);
        Assert.That(general.UsesQuadraticProgramSettings, Is.False);
        var a = qp.Solve(LqrSamples.InitialState).EnsureSuccess();
        var b = general.Solve(LqrSamples.InitialState).EnsureSuccess();
        Assert.That(a.Trajectory.ToArray(), Is.EqualTo(b.Trajectory.ToArray()).Within(1e-8));
        Assert.That(a.RowMultipliers.ToArray(), Is.EqualTo(b.RowMultipliers.ToArray()).Within(1e-8));
        Assert.That(a.BoundMultipliers, Is.EqualTo(b.BoundMultipliers).Within(1e-8));
        Assert.That(a.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index)), Is.EqualTo(b.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index))));
        Assert.That(a.ActiveSet.Active, Is.Not.Empty, "the box saturates the first controls");
        Assert.That(qp.GeneralSettingsRetries, Is.Zero);
    }

    [Test]
    [Category("Native")]
    public void FailedQpSolve_IsRetriedWithTheGeneralSettings_AndStillReportsFailure()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var ocp = LqrSamples.Lqr(4);
        using var solver = new OcpSolver(ocp, new OcpSolverOptions { MaxIterations = 30 });
        double[] theta = ocp.InitialParameters();
        theta[3] = theta[4] = -1.0;   // r (θ[3..4], after q) < 0: the QP is unbounded below, no settings can solve it
        var solution = solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        Assert.That(solution.IsSuccess, Is.False);
        Assert.That(solver.GeneralSettingsRetries, Is.EqualTo(1));
    }
}
