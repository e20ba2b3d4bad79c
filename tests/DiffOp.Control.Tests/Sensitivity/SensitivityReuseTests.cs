using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Control.Tests.Nlp;
using DiffOp.Control.Tests.OptimalControl;

namespace DiffOp.Control.Tests.Sensitivity;

/// <summary>The reused-storage VJP path: same answers as the dense oracle across changing active sets, and no allocation.</summary>
[Category("Native")]
public class SensitivityReuseTests
{
    [SetUp]
    public void RequireIpopt() => NativeGuard.RequireIpopt();

    private static double[] Direction(int length) => [.. Enumerable.Range(0, length).Select(j => Math.Sin(1.0 + j))];

    [Test]
    public void SpanVjp_MatchesDenseOracle_WhenTheActiveSetChangesBetweenCalls()
    {
        var ocp = LqrSamples.BoxLqr(8);
        using var solver = new OcpSolver(ocp);
        var structured = new StructuredSensitivity(ocp);
        var dense = new DenseSensitivity(ocp);
        var v = Direction(ocp.Layout.VariableCount);
        var output = new double[ocp.ParameterCount + ocp.StateCount];
        // Start points that saturate the box differently: many, none, some active rows; the reused storage must follow.
        foreach (double scale in new[] { 1.0, 0.05, 2.0, 1.0 })
        {
            double[] x0 = [.. LqrSamples.InitialState.Select(x => x * scale)];
            var solution = solver.Solve(ocp.InitialParameters(), x0, ocp.DefaultContext()).EnsureSuccess();
            structured.VectorJacobianProduct(solution, v, output);
            var expected = dense.VectorJacobianProduct(solution, v);
            Assert.That(output, Is.EqualTo(expected).Within(1e-9), $"x0 scale {scale}, {solution.ActiveSet}");
        }
    }

    [Test]
    public void SpanVjp_AllocatesNothing_InTheSteadyState()
    {
        foreach (var ocp in new[] { LqrSamples.BoxLqr(8), CartPoleOcp.Build(6) })
        {
            using var solver = new OcpSolver(ocp);
            double[] x0 = ocp.StateCount == 3 ? LqrSamples.InitialState : [0, -0.5, 0, 0];
            var solution = solver.Solve(ocp.InitialParameters(), x0, ocp.DefaultContext()).EnsureSuccess();
            var structured = new StructuredSensitivity(ocp);
            var v = Direction(ocp.Layout.VariableCount);
            var output = new double[ocp.ParameterCount + ocp.StateCount];
            for (int warm = 0; warm < 3; warm++) structured.VectorJacobianProduct(solution, v, output);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10; k++) structured.VectorJacobianProduct(solution, v, output);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.Zero, $"{ocp.Name}: bytes allocated by 10 VJPs");
        }
    }

    [Test]
    public void SpanVjp_RejectsWrongLengths()
    {
        var ocp = LqrSamples.Lqr(4);
        using var solver = new OcpSolver(ocp);
        var solution = solver.Solve(LqrSamples.InitialState).EnsureSuccess();
        var structured = new StructuredSensitivity(ocp);
        Assert.That(() => structured.VectorJacobianProduct(solution, new double[ocp.Layout.VariableCount], new double[2]),
            Throws.ArgumentException.With.Message.Contains("expected d + n"));
        Assert.That(() => structured.VectorJacobianProduct(solution, new double[3], new double[ocp.ParameterCount + ocp.StateCount]),
            Throws.ArgumentException.With.Message.Contains("v has length 3"));
    }
}
