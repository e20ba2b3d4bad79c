using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Learning.Algorithms;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>Imitation (PDP offline): trajectory matching with the implicit Jacobian, fitted by Levenberg–Marquardt.</summary>
[Category("Native")]
public class ImitationTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    /// <summary>P1: H = 1, n = m = 1, J = ½q x₀² + ½r u₀² + ½p x₁², x₁ = F x₀ + G u₀, θ = (q, r, p, F, G).</summary>
    private static Ocp P1()
    {
        var b = new OcpBuilder("p1", 1, 1, 1);
        var w = b.AddParameter("w", [1.0, 1.0, 1.5]);
        var f = b.AddParameter("f", [1.0, 0.8]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(0.5 * w[0] * Sx.Sqr(b.State[0]) + 0.5 * w[1] * Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(0.5 * w[2] * Sx.Sqr(b.State[0]));
        return b.Build();
    }

    [Test]
    public void WorkedExample_Loss_AndTheFitMatchesTheDemo()
    {
        // The demo from θ_true = (1, 0.5, 2, 1.2, 0.7) at s = 1.5; the learner at (1, 1, 1.5, 1, 0.8): ℓ = 0.6398931660.
        Demonstration[] demo = [new([1.5], [1.5, -1.7027027027027027, 0.6081081081081081])];
        using var imitation = new Imitation(P1());
        double[] theta = [1, 1, 1.5, 1, 0.8];
        Assert.That(imitation.Loss(demo, theta, []), Is.EqualTo(0.6398931660).Within(1e-9));
        var result = imitation.Fit(demo, theta, [], fittedEntries: [2, 3, 4]);   // r fixed: the weights' common scale is not identifiable
        Assert.That(result.InitialLoss, Is.EqualTo(0.6398931660).Within(1e-9));
        Assert.That(result.Loss, Is.LessThan(1e-18), "one demo of two numbers is matched exactly");
        Assert.That(result.Theta[0], Is.EqualTo(1.0), "q is not fitted");
        Assert.That(result.Theta[1], Is.EqualTo(1.0), "r is not fitted");
        Assert.That(result.LossHistory, Is.Ordered.Descending);
    }

    [Test]
    public void BoxLqr_RecoversTheTrueParameters_FromNoiseFreeDemos()
    {
        var ocp = LqrSamples.BoxLqr(8);
        var truth = ocp.InitialParameters();   // the sample's parameters are the demonstrator's
        var random = new Random(5);
        var demos = new List<Demonstration>();
        using (var solver = new OcpSolver(ocp))
        {
            for (int k = 0; k < 6; k++)
            {
                double[] x0 = [random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2];
                demos.Add(new Demonstration(x0, solver.Solve(truth, x0, []).EnsureSuccess().Trajectory.ToArray()));
            }
        }
        Assert.That(demos.Count(d => Enumerable.Range(0, 8).Any(t => Math.Abs(d.Trajectory[t * 5 + 3]) >= 0.5 - 1e-9 || Math.Abs(d.Trajectory[t * 5 + 4]) >= 0.5 - 1e-9)),
            Is.GreaterThan(0), "some demonstrations saturate the box");
        var start = truth.Select(v => v * (1 + 0.2 * (random.NextDouble() - 0.5))).ToArray();
        int fixedWeight = ocp.Parameter("r").Offset;   // one cost weight fixed at its true value: the weights' scale
        start[fixedWeight] = truth[fixedWeight];
        var fitted = Enumerable.Range(0, truth.Length).Where(i => i != fixedWeight).ToArray();
        var lower = Enumerable.Range(0, truth.Length).Select(i => i < ocp.Parameter("a").Offset ? 0.0 : double.NegativeInfinity).ToArray();
        using var imitation = new Imitation(ocp);
        var result = imitation.Fit(demos, start, [], fitted, lower);
        Assert.That(result.InitialLoss, Is.GreaterThan(1e-4), "the start is visibly off");
        for (int i = 0; i < truth.Length; i++)
            Assert.That(result.Theta[i], Is.EqualTo(truth[i]).Within(1e-4), $"θ[{i}]");
        Assert.That(result.FailedSolves, Is.Zero);
    }

    [Test]
    public void BadInput_IsRejected()
    {
        using var imitation = new Imitation(P1());
        double[] theta = [1, 1, 1.5, 1, 0.8];
        Assert.That(() => imitation.Fit([], theta, []), Throws.ArgumentException.With.Message.Contains("at least one demonstration"));
        Assert.That(() => imitation.Fit([new([1.5], [1.5, 0.0])], theta, []), Throws.ArgumentException.With.Message.Contains("(H + 1)·n + H·m = 3"));
        Assert.That(() => imitation.Fit([new([1.5], [1.5, double.NaN, 0])], theta, []), Throws.ArgumentException.With.Message.Contains("non-finite"));
        Assert.That(() => imitation.Fit([new([1.5], [1.5, 0, 0])], theta, [], fittedEntries: [5]), Throws.ArgumentException.With.Message.Contains("0..4"));
    }
}
