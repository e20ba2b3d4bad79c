using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;
using DiffOp.Environments.Voltage;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>
/// The voltage policy OCP is a convex QP: the structured QP solver answers it, and its plans, multipliers and active sets
/// are Ipopt's (the oracle, solved to 1e-11) on the scenarios, at the initial, the true and a large-weight θ, H = 6 and 30.
/// </summary>
[Category("Native")]
public class VoltageStructuredQpTests
{
    private static readonly VoltagePolicyModel Model = new();

    [TestCase(6)]
    [TestCase(30)]
    public void PlansMultipliersAndActiveSets_AreIpopts(int horizon)
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        double[] largeWeights = [800, 1200, 1000, .. Model.TrueTheta().Skip(3)];
        var environment = new VoltageEnvironment();
        var state = new double[Model.StateCount];
        int withActiveBounds = 0, cases = 0;
        foreach (var theta in new[] { Model.InitialTheta(0), Model.TrueTheta(), largeWeights })
        {
            var ocp = Model.BuildOcp(horizon, theta);
            using var structured = new OcpSolver(ocp, new OcpSolverOptions { StructuredQpTolerance = 1e-11 });
            using var ipopt = new OcpSolver(ocp, new OcpSolverOptions
            {
                Solver = OcpSolverChoice.Ipopt,
                // Ipopt relaxes every bound by 1e-8 (bound_relax_factor); switched off, both solve the same problem.
                Tolerance = 1e-11,
                Ipopt = new IpoptOptions { Extra = new Dictionary<string, object> { ["bound_relax_factor"] = 0.0 } },
            });
            Assert.That(structured.UsesStructuredQp, Is.True);
            for (int scenario = 0; scenario < 12; scenario++)
            {
                environment.Reset(scenario, state);
                var a = structured.Solve(theta, state, ocp.DefaultContext());
                var b = ipopt.Solve(theta, state, ocp.DefaultContext()).EnsureSuccess();
                string what = $"θ #{cases / 12}, scenario {scenario}";
                Assert.That(a.Method, Is.EqualTo(OcpSolveMethod.StructuredQp), what);
                // Both are interior-point end points, exact KKT points up to complementarity: a bound whose multiplier z is small sits
                // μ/z from its exact position, up to √μ ≈ 3e-6 for one that is (nearly) weakly active, in directions of almost no
                // curvature (the objectives agree to 1e-9). So the structured solution's own residual is held to 1e-12 relative to
                // the cost weights, and the two solutions to each other to 1e-5.
                Assert.That(a.Objective, Is.LessThanOrEqualTo(b.Objective + 1e-9 * (1 + Math.Abs(b.Objective))), what + ": objective");
                var residual = a.KktResidual();
                Assert.That(residual.Stationarity, Is.LessThan(1e-12 * (1 + theta.Take(3).Max())), $"{what}: {residual}");
                Assert.That(residual.Equality, Is.LessThan(1e-10), $"{what}: {residual}");
                Assert.That(residual.Violation, Is.Zero, $"{what}: {residual}");
                const double tolerance = 1e-5;
                for (int j = 0; j < a.Trajectory.Length; j++)
                    Assert.That(GradientCheck.RelativeError(a.Trajectory[j], b.Trajectory[j]), Is.LessThan(tolerance), $"{what}: ζ[{j}]");
                for (int j = 0; j < a.RowMultipliers.Length; j++)
                    Assert.That(GradientCheck.RelativeError(a.RowMultipliers[j], b.RowMultipliers[j]), Is.LessThan(10 * tolerance), $"{what}: λ[{j}]");
                Assert.That(a.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index)),
                    Is.EquivalentTo(b.ActiveSet.Active.Select(c => (c.Kind, c.Stage, c.Index))), what + ": active set");
                if (a.ActiveSet.Active.Count > 0) withActiveBounds++;
                cases++;
            }
            Assert.That(structured.StructuredQpFallbacks, Is.Zero);
        }
        Assert.That(withActiveBounds, Is.GreaterThan(0), "some plans must push q to its box");
    }

    /// <summary>
    /// Step mode's primal–dual warm start (the previous plan shifted one stage) solves to the same tolerance as the cold
    /// start in fewer iterations, over closed-loop episodes with exploring actions, H = 6 and 30, at θ with and without
    /// active bounds. Both end points are compared with a solve to 1e-13: the warm one must be no further from it.
    /// </summary>
    [TestCase(6)]
    [TestCase(30)]
    public void ShiftedWarmStart_SolvesAsAccurately_InFewerIterations(int horizon)
    {
        double[] largeWeights = [800, 1200, 1000, .. Model.TrueTheta().Skip(3)];
        var environment = new VoltageEnvironment();
        var state = new double[Model.StateCount];
        var next = new double[Model.StateCount];
        var action = new double[Model.ControlCount];
        var noise = new Random(3);
        int coldIterations = 0, warmIterations = 0, solves = 0;
        double warmError = 0, coldError = 0;
        foreach (var theta in new[] { Model.InitialTheta(0), Model.TrueTheta(), largeWeights })
        {
            var ocp = Model.BuildOcp(horizon, theta);
            using var warm = new OcpSolver(ocp);
            using var cold = new OcpSolver(ocp, new OcpSolverOptions { StructuredQpWarmStart = false });
            using var exact = new OcpSolver(ocp, new OcpSolverOptions { StructuredQpTolerance = 1e-13 });
            for (int scenario = 0; scenario < 6; scenario++)
            {
                environment.Reset(scenario, state);
                OcpSolution? previous = null;
                for (int t = 0; t < environment.EpisodeLength; t++)
                {
                    var shifted = previous is null ? null : OcpWarmStart.Shifted(previous);
                    var a = warm.Solve(theta, state, ocp.DefaultContext(), shifted);
                    var b = cold.Solve(theta, state, ocp.DefaultContext(), shifted);
                    var reference = exact.Solve(theta, state, ocp.DefaultContext());
                    string what = $"H = {horizon}, scenario {scenario}, t = {t}";
                    Assert.That(a.Method, Is.EqualTo(OcpSolveMethod.StructuredQp), what);
                    Assert.That(b.Method, Is.EqualTo(OcpSolveMethod.StructuredQp), what);
                    // Interior-point end points of the default tolerance (scaled residuals and μ ≤ 1e-9), not exact KKT points:
                    // the duality gap is up to μ per inequality, a bound may be crossed within the primal tolerance, and a weakly
                    // active bound sits up to about √μ from its exact position. So the warm solution is held to its own KKT
                    // residual and the objective of the 1e-13 solve, and its applied control to the cold start's accuracy.
                    var residual = a.KktResidual();
                    Assert.That(residual.Stationarity, Is.LessThan(1e-8 * (1 + theta.Take(3).Max())), $"{what}: {residual}");
                    Assert.That(residual.Equality, Is.LessThan(1e-8), $"{what}: {residual}");
                    Assert.That(residual.Violation, Is.LessThan(1e-10), $"{what}: {residual}");
                    Assert.That(a.Objective, Is.EqualTo(reference.Objective).Within(1e-7 * (1 + Math.Abs(reference.Objective))), what + ": objective");
                    for (int i = 0; i < action.Length; i++)
                    {
                        warmError = Math.Max(warmError, Math.Abs(a.Control(0)[i] - reference.Control(0)[i]));
                        coldError = Math.Max(coldError, Math.Abs(b.Control(0)[i] - reference.Control(0)[i]));
                    }
                    if (previous is not null)
                    {
                        warmIterations += a.Nlp.Iterations;
                        coldIterations += b.Nlp.Iterations;
                        solves++;
                    }
                    for (int i = 0; i < action.Length; i++) action[i] = a.Control(0)[i] + (0.01 * ((2 * noise.NextDouble()) - 1));
                    var step = environment.Step(action, next);
                    next.CopyTo(state, 0);
                    previous = a;
                    if (step.Done) break;
                }
            }
            Assert.That(warm.StructuredQpFallbacks + cold.StructuredQpFallbacks, Is.Zero);
        }
        TestContext.Out.WriteLine($"H = {horizon}: {solves} shifted solves, {(double)warmIterations / solves:F2} iterations warm, {(double)coldIterations / solves:F2} cold; " +
                                  $"largest error of u₀ against the 1e-13 solve: warm {warmError:E2}, cold {coldError:E2}");
        Assert.That(warmError, Is.LessThanOrEqualTo(coldError), "the warm start must solve as accurately as the cold start");
        Assert.That(warmIterations, Is.LessThan(0.8 * coldIterations), "the warm start must save iterations");
    }
}
