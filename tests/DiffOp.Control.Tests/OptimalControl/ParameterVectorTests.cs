using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Control.Sensitivity;
using DiffOp.Control.Tests.Nlp;
using DiffOp.Symbolic;

namespace DiffOp.Control.Tests.OptimalControl;

/// <summary>Named θ blocks: <see cref="ParameterVector"/>, Jacobian columns by block, lower bounds declared with the block.</summary>
public class ParameterVectorTests
{
    [Test]
    public void Indexer_ReadsAndWritesTheFlatVectorByBlock()
    {
        var ocp = LqrSamples.Lqr(4);
        var theta = ocp.CreateParameters();
        Assert.That(theta.Values, Is.EqualTo(ocp.InitialParameters()));
        Assert.That(theta["r"].ToArray(), Is.EqualTo(LqrSamples.RDiagonal));
        Assert.That(theta["b"].ToArray(), Is.EqualTo(LqrSamples.B));

        theta["r"][1] = 7.5;
        int flat = ocp.Parameter("r").Offset + 1;
        Assert.That(theta.Values[flat], Is.EqualTo(7.5), "the block is a view of the flat array");
        Assert.That(theta.Values.Count(v => v == 7.5), Is.EqualTo(1));

        var copy = theta.Clone();
        copy["r"][1] = -1;
        Assert.That(theta["r"][1], Is.EqualTo(7.5), "a clone has its own array");
        Assert.That(theta.ToString(), Does.StartWith("q = [1, 0, 0.5]\nr = [0.3, 7.5]\na = ["));
    }

    [Test]
    public void UnknownBlockOrWrongLayout_SaysWhatExists()
    {
        var ocp = LqrSamples.Lqr(4);
        var theta = ocp.CreateParameters();
        Assert.That(() => theta["weights"].Length, Throws.ArgumentException.With.Message.Contains("no parameter block 'weights'").And.Message.Contains("q, r, a, b"));
        Assert.That(() => new ParameterVector(ocp.Parameters, new double[ocp.ParameterCount - 1]), Throws.ArgumentException.With.Message.Contains("cover"));
    }

    [Test]
    [Category("Native")]
    public void JacobianByBlock_IsTheBlocksColumns_AndMatchesCentralDifferences()
    {
        NativeGuard.RequireIpopt();
        var ocp = LqrSamples.Lqr(6);
        var solver = new OcpSolver(ocp);
        var theta = ocp.CreateParameters();
        var solution = solver.Solve(theta.Values, LqrSamples.InitialState, ocp.DefaultContext()).EnsureSuccess();
        var jacobian = new DenseSensitivity(ocp).Jacobian(solution);
        var block = ocp.Parameter("b");
        int m = ocp.ControlCount;

        double[] byName = jacobian.ControlJacobian(0, "b"), full = jacobian.ControlJacobian(0);
        Assert.That(byName, Has.Length.EqualTo(m * block.Length));
        for (int j = 0; j < m; j++)
            for (int i = 0; i < block.Length; i++)
                Assert.That(byName[j * block.Length + i], Is.EqualTo(full[j * jacobian.ColumnCount + block.Offset + i]));
        Assert.That(jacobian.StateJacobian(3, "q"), Has.Length.EqualTo(ocp.StateCount * 3));

        // ∂u*_0/∂b[2] by central differences of re-solves, through the named block.
        const double h = 1e-5;
        double[] Control0(double delta)
        {
            var shifted = theta.Clone();
            shifted["b"][2] += delta;
            return solver.Solve(shifted.Values, LqrSamples.InitialState, ocp.DefaultContext()).EnsureSuccess().Control(0).ToArray();
        }
        double[] plus = Control0(h), minus = Control0(-h);
        for (int j = 0; j < m; j++)
            Assert.That(byName[j * block.Length + 2], Is.EqualTo((plus[j] - minus[j]) / (2 * h)).Within(1e-6), $"control {j}");
        Assert.That(() => jacobian.ControlJacobian(0, "B"), Throws.ArgumentException.With.Message.Contains("q, r, a, b"));
    }

    [Test]
    public void LowerBounds_AreDeclaredWithTheBlock_AndChecked()
    {
        var builder = new OcpBuilder("bounded", stateCount: 1, controlCount: 1, horizon: 3);
        var weight = builder.AddParameter("weight", [2.0], lowerBound: 0.0);
        var gain = builder.AddParameter("gain", [0.5, 0.1]);
        var mass = builder.AddParameter("mass", [1.0, 3.0], [0.05, 0.15]);
        Sx x = builder.State[0], u = builder.Control[0];
        builder.SetDynamics(new SxVector(x + gain[0] * u / mass[0] + gain[1] * mass[1]));
        builder.SetStageCost(weight[0] * x * x + u * u);
        var ocp = builder.Build();

        Assert.That(ocp.ParameterLowerBounds(), Is.EqualTo(new[] { 0.0, double.NegativeInfinity, double.NegativeInfinity, 0.05, 0.15 }));
        Assert.That(ocp.Parameter("gain").LowerBounds, Is.All.EqualTo(double.NegativeInfinity));

        var bad = new OcpBuilder("bad", stateCount: 1, controlCount: 1, horizon: 3);
        Assert.That(() => bad.AddParameter("w", [-1.0], lowerBound: 0.0), Throws.ArgumentException.With.Message.Contains("below its lower bound"));
        Assert.That(() => bad.AddParameter("w", [1.0], lowerBound: double.NaN), Throws.ArgumentException.With.Message.Contains("invalid lower bound"));
        Assert.That(() => bad.AddParameter("w", [1.0, 2.0], [0.0]), Throws.ArgumentException.With.Message.Contains("2 values but 1 lower bounds"));
    }
}
