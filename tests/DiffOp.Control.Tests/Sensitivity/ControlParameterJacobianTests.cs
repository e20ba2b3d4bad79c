using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Control.Tests.Nlp;

namespace DiffOp.Control.Tests.Sensitivity;

/// <summary>∂u*_t/∂θ of the first stages from one multi-right-hand-side sweep: the rows training uses for per-step scores and the metric.</summary>
[Category("Native")]
public class ControlParameterJacobianTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(8)]
    public void ControlRows_MatchTheFullJacobiansThetaColumns(int stages)
    {
        var ocp = LqrSamples.BoxLqr(8);
        var solution = new OcpSolver(ocp).Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext()).EnsureSuccess();
        var sensitivity = new StructuredSensitivity(ocp);
        var full = new DenseSensitivity(ocp).Jacobian(solution);
        int d = ocp.ParameterCount, m = ocp.ControlCount;
        var rows = new double[stages * m * d + 3];
        rows[^1] = 42;   // past the written part: must stay untouched
        sensitivity.ControlParameterJacobian(solution, stages, rows);
        for (int t = 0; t < stages; t++)
        {
            var expected = full.ControlJacobian(t);
            for (int j = 0; j < m; j++)
                for (int i = 0; i < d; i++)
                    Assert.That(rows[(t * m + j) * d + i], Is.EqualTo(expected[j * full.ColumnCount + i]).Within(1e-8), $"stage {t}, control {j}, θ {i}");
        }
        Assert.That(rows[^1], Is.EqualTo(42));
    }

    [Test]
    public void ReusedFactors_GiveExactlyWhatFreshFactorsGive_AlsoWhenSolutionsAlternate()
    {
        var ocp = LqrSamples.BoxLqr(8);
        var solver = new OcpSolver(ocp);
        var a = solver.Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext()).EnsureSuccess();
        var b = solver.Solve(ocp.InitialParameters(), [-0.4, 0.9, 0.1], ocp.DefaultContext()).EnsureSuccess();
        var v = Enumerable.Range(0, ocp.Layout.VariableCount).Select(i => Math.Sin(i + 1.0)).ToArray();
        int columns = ocp.ParameterCount + ocp.StateCount, rows = 8 * ocp.ControlCount * ocp.ParameterCount;

        double[] Fresh(OcpSolution s) { var g = new double[columns]; new StructuredSensitivity(ocp).VectorJacobianProduct(s, v, g); return g; }
        double[] freshA = Fresh(a), freshB = Fresh(b);
        Assert.That(freshA, Is.Not.EqualTo(freshB), "the two solutions differ");

        var shared = new StructuredSensitivity(ocp);
        var jacobian = new double[rows];
        var g = new double[columns];
        shared.ControlParameterJacobian(a, 8, jacobian);   // factors a
        shared.VectorJacobianProduct(a, v, g);              // reuses a's factors
        Assert.That(g, Is.EqualTo(freshA));
        shared.VectorJacobianProduct(b, v, g);              // factors b
        Assert.That(g, Is.EqualTo(freshB));
        shared.VectorJacobianProduct(a, v, g);              // a again: factored again, not b's factors
        Assert.That(g, Is.EqualTo(freshA));
    }

    [Test]
    public void BadArguments_SayWhatIsWrong()
    {
        var ocp = LqrSamples.BoxLqr(4);
        var solution = new OcpSolver(ocp).Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext()).EnsureSuccess();
        var sensitivity = new StructuredSensitivity(ocp);
        Assert.That(() => sensitivity.ControlParameterJacobian(solution, 0, new double[100]), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => sensitivity.ControlParameterJacobian(solution, 5, new double[1000]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("1..4"));
        Assert.That(() => sensitivity.ControlParameterJacobian(solution, 2, new double[3]), Throws.ArgumentException.With.Message.Contains("are needed"));
    }

    [Test]
    public void SteadyState_AllocatesNothing()
    {
        var ocp = LqrSamples.BoxLqr(8);
        var solution = new OcpSolver(ocp).Solve(ocp.InitialParameters(), LqrSamples.InitialState, ocp.DefaultContext()).EnsureSuccess();
        var sensitivity = new StructuredSensitivity(ocp);
        var rows = new double[8 * ocp.ControlCount * ocp.ParameterCount];
        sensitivity.ControlParameterJacobian(solution, 8, rows);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++) sensitivity.ControlParameterJacobian(solution, 8, rows);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
