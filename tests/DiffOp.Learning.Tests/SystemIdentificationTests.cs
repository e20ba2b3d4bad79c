using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Algorithms;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>System identification (fit θ_f to transitions by Levenberg–Marquardt on the symbolic ∂f/∂θ).</summary>
public class SystemIdentificationTests
{
    /// <summary>x₊ = a x + b u with θ = (w, a, b): the cost weight w is not in the dynamics.</summary>
    private static Ocp Scalar()
    {
        var b = new OcpBuilder("scalar-sysid", 1, 1, 3);
        var w = b.AddParameter("theta_c", [2.0]);
        var f = b.AddParameter("theta_f", [1.0, 0.3]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(w[0] * Sx.Sqr(b.State[0]) + Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(Sx.Sqr(b.State[0]));
        return b.Build();
    }

    private static readonly Transition[] WorkedData =
    [
        new([1.0], [1.0], [1.4]),
        new([1.4], [-1.0], [0.76]),
        new([0.76], [0.5], [0.934]),
    ];

    [Test]
    public void WorkedExample_LossAndExactRecovery()
    {
        // True (a, b) = (0.9, 0.5); from (1, 0.3) the residuals are (0.1, −0.34, 0.024), ℓ = 0.126176.
        var sysid = new SystemIdentification(Scalar());
        Assert.That(sysid.FittedEntries, Is.EqualTo(new[] { 1, 2 }), "only the entries the dynamics depend on");
        double[] theta0 = [2.0, 1.0, 0.3];
        Assert.That(sysid.Loss(WorkedData, theta0, []), Is.EqualTo(0.126176).Within(1e-12));
        var result = sysid.Fit(WorkedData, theta0, []);
        Assert.That(result.InitialLoss, Is.EqualTo(0.126176).Within(1e-12));
        Assert.That(result.Theta[1], Is.EqualTo(0.9).Within(1e-12));
        Assert.That(result.Theta[2], Is.EqualTo(0.5).Within(1e-12));
        Assert.That(result.Theta[0], Is.EqualTo(2.0), "the cost weight keeps its value");
        Assert.That(result.Loss, Is.LessThan(1e-24));
        Assert.That(result.Converged, Is.True);
        Assert.That(result.LossHistory, Is.Ordered.Descending, "every accepted step lowers the loss");
        Assert.That(theta0, Is.EqualTo(new[] { 2.0, 1.0, 0.3 }), "θ₀ is not modified");
    }

    [Test]
    public void BadInput_IsRejectedWithTheProblemNamed()
    {
        var sysid = new SystemIdentification(Scalar());
        Assert.That(() => sysid.Fit([], [2.0, 1.0, 0.3], []), Throws.ArgumentException.With.Message.Contains("at least one transition"));
        Assert.That(() => sysid.Fit([new([1.0, 2.0], [1.0], [1.0])], [2.0, 1.0, 0.3], []), Throws.ArgumentException.With.Message.Contains("n = 1"));
        Assert.That(() => sysid.Fit([new([double.NaN], [1.0], [1.0])], [2.0, 1.0, 0.3], []), Throws.ArgumentException.With.Message.Contains("non-finite"));
        Assert.That(() => sysid.Fit(WorkedData, [1.0, 0.3], []), Throws.ArgumentException.With.Message.Contains("θ has 2 entries"));
        Assert.That(() => sysid.Fit(WorkedData, [2.0, 1.0, 0.3], [], options: new LeastSquaresOptions { MaxIterations = 0 }),
            Throws.ArgumentException.With.Message.Contains("MaxIterations"));

        var b = new OcpBuilder("no-model-parameters", 1, 1, 2);
        var w = b.AddParameter("w", [1.0]);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(w[0] * Sx.Sqr(b.State[0]) + Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(Sx.Sqr(b.State[0]));
        Assert.That(() => new SystemIdentification(b.Build()), Throws.ArgumentException.With.Message.Contains("nothing to identify"));
    }
}
