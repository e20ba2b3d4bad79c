using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Control.Tests.Nlp;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>
/// <see cref="OcpSolverOptions.Solver"/>: Auto (structured for QPs, Ipopt as fallback), Structured (no fallback, QPs only)
/// and Ipopt (never the structured solver); the gradient check with each.
/// </summary>
[Category("Native")]
public class SolverChoiceTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    [Test]
    public void Structured_OnAnOcpThatIsNotAQp_IsAClearErrorAtConstruction()
    {
        var cartPole = CartPoleOcp.Build(10);
        Assert.That(cartPole.IsQuadraticProgram, Is.False);
        Assert.That(() => new OcpSolver(cartPole, new OcpSolverOptions { Solver = OcpSolverChoice.Structured }),
            Throws.ArgumentException.With.Message.Contains("is not a quadratic program").And.Message.Contains("OcpSolverChoice.Auto"));
        // Auto and Ipopt take it (Ipopt solves it).
        using var auto = new OcpSolver(cartPole);
        Assert.That(auto.UsesStructuredQp, Is.False);
    }

    [Test]
    public void Structured_SolvesAQp_ExactlyAsAutoDoes()
    {
        var ocp = LqrSamples.BoxLqr(8);
        using var structured = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Structured });
        using var auto = new OcpSolver(ocp);
        var a = structured.Solve(LqrSamples.InitialState);
        var b = auto.Solve(LqrSamples.InitialState);
        Assert.That(a.Method, Is.EqualTo(OcpSolveMethod.StructuredQp));
        Assert.That(a.IsSuccess, Is.True);
        Assert.That(a.Trajectory.ToArray(), Is.EqualTo(b.Trajectory.ToArray()), "the same solver with the same settings");
    }

    [Test]
    public void Structured_NonConvexTheta_ReturnsAFailedSolution_WithoutFallingBack()
    {
        var ocp = LqrSamples.BoxLqr(6);
        using var solver = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Structured });
        var theta = ocp.InitialParameters();
        theta[3] = -0.5;   // r₀ < 0: the control cost is concave (Auto hands this to Ipopt, which solves it)
        var solution = solver.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        Assert.That(solution.IsSuccess, Is.False, "never a wrong success");
        Assert.That(solution.Method, Is.EqualTo(OcpSolveMethod.StructuredQp), "no Ipopt fallback");
        Assert.That(solver.StructuredQpFallbacks, Is.EqualTo(1));
        Assert.That(() => solution.EnsureSuccess(), Throws.InstanceOf<Exception>());

        using var auto = new OcpSolver(ocp);
        var fallback = auto.Solve(theta, LqrSamples.InitialState, ocp.DefaultContext());
        Assert.That(fallback.Method, Is.EqualTo(OcpSolveMethod.Ipopt));
        Assert.That(fallback.IsSuccess, Is.True);
    }

    [Test]
    public void Structured_WarmStartedAndReusedSolves_StayStructured()
    {
        var ocp = LqrSamples.BoxLqr(6);
        using var solver = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Structured });
        var first = solver.Solve(LqrSamples.InitialState);
        var shifted = solver.Solve(ocp.InitialParameters(), first.State(1).ToArray(), ocp.DefaultContext(), OcpWarmStart.Shifted(first));
        var reused = solver.SolveReused(null, ocp.InitialParameters(), first.State(1).ToArray(), ocp.DefaultContext(), first);
        Assert.That(new[] { first.Method, shifted.Method, reused.Method }, Has.All.EqualTo(OcpSolveMethod.StructuredQp));
        Assert.That(new[] { first.IsSuccess, shifted.IsSuccess, reused.IsSuccess }, Has.All.True);
    }

    [Test]
    public void Ipopt_NeverUsesTheStructuredSolver()
    {
        var ocp = LqrSamples.BoxLqr(6);
        using var solver = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Ipopt });
        Assert.That(solver.UsesStructuredQp, Is.False);
        Assert.That(solver.Solve(LqrSamples.InitialState).Method, Is.EqualTo(OcpSolveMethod.Ipopt));
    }

    [Test]
    public void AnUndefinedChoice_IsRejectedByValidate()
    {
        var options = new OcpSolverOptions { Solver = (OcpSolverChoice)7 };
        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains("Solver must be Auto, Structured or Ipopt"));
    }

    [TestCase(OcpSolverChoice.Structured, OcpSolveMethod.StructuredQp)]
    [TestCase(OcpSolverChoice.Ipopt, OcpSolveMethod.Ipopt)]
    public void GradientCheck_PassesWithEitherSolver_OnAConstrainedQp(OcpSolverChoice choice, OcpSolveMethod expected)
    {
        var ocp = LqrSamples.BoxLqr(8);
        var report = GradientCheck.Run(ocp, ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext(), solver: choice);
        Assert.That(report.Method, Is.EqualTo(expected));
        Assert.That(report.DirectionsChecked, Is.GreaterThan(0));
        Assert.That(report.MaxRelativeErrorVsFiniteDifferences, Is.LessThan(1e-4), "implicit gradient against central differences");
        Assert.That(report.MaxRelativeErrorDenseVsStructured, Is.LessThan(1e-8), "structured against dense KKT solve");
    }
}
