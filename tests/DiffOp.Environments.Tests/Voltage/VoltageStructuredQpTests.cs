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
                StructuredQp = false,
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
}
