using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Algorithms;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>RLMPC-DPG's compatible-critic estimate against the closed-form deterministic policy gradient.</summary>
[Category("Native")]
public class DeterministicPolicyGradientTests
{
    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    /// <summary>The MPC P1 (H = 1, θ = (q, r, p, F, G) = (1, 0.5, 2, 1.2, 0.7)): π_θ(s) = −K s.</summary>
    private static Ocp P1()
    {
        var b = new OcpBuilder("p1", 1, 1, 1);
        var w = b.AddParameter("w", [1.0, 0.5, 2.0]);
        var f = b.AddParameter("f", [1.2, 0.7]);
        b.SetDynamics(new SxVector(f[0] * b.State[0] + f[1] * b.Control[0]));
        b.SetStageCost(0.5 * w[0] * Sx.Sqr(b.State[0]) + 0.5 * w[1] * Sx.Sqr(b.Control[0]));
        b.SetTerminalCost(0.5 * w[2] * Sx.Sqr(b.State[0]));
        return b.Build();
    }

    /// <summary>The true system s₊ = s + 0.5a with ℓ = ½s² + ¼a², from s₀ = 1.5, T steps.</summary>
    private sealed class LinearSystem(int length) : IEnvironment
    {
        private double _s;
        public string Name => "p1-system";
        public int StateCount => 1;
        public int ControlCount => 1;
        public int EpisodeLength => length;
        public void Reset(int seed, Span<double> state) => state[0] = _s = 1.5;
        public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
        {
            double cost = 0.5 * _s * _s + 0.25 * control[0] * control[0];
            _s += 0.5 * control[0];
            nextState[0] = _s;
            return new StepResult(cost, Done: false, Failed: false);
        }
    }

    [Test]
    public void Estimate_IsTheClosedFormGradient_WithinThreeStandardErrors()
    {
        // ∇θJ of the discounted closed-loop cost from s₀ = 1.5 (γ = 0.9); with σ = 0.05 the compatible critic's mean is
        // ∇θJ·(1 + γB²σ²/((1 − γ)s₀²)) = 1.0025·∇θJ (the exploration's own state spread).
        double[] exact = [0, -0.3794112319, 0.0948528080, 0.4679405194, -0.2601677019];
        const double bias = 1.0025;
        using var dpg = new DeterministicPolicyGradient(new LinearSystem(80), P1(),
            new DeterministicPolicyGradientOptions { Discount = 0.9, ExplorationSigma = 0.05, RolloutsPerIteration = 600, DiscountWeights = true });
        Assert.That(dpg.FeatureCount, Is.EqualTo(3), "Φ = (1, s, s²)");
        var estimate = dpg.Estimate(P1().InitialParameters(), iteration: 0, runSeed: 1);
        Assert.That(estimate.FailedRollouts, Is.Zero);
        int r = estimate.PerRollout.Count;
        for (int i = 1; i < exact.Length; i++)
        {
            double mean = estimate.PerRollout.Average(g => g[i]);
            double se = Math.Sqrt(estimate.PerRollout.Sum(g => (g[i] - mean) * (g[i] - mean)) / (r - 1) / r);
            Assert.That(mean, Is.EqualTo(estimate.Gradient[i]).Within(1e-12));
            Assert.That(se, Is.LessThan(0.02 * Math.Abs(exact[i])), $"θ[{i}]: the test must be sharp enough to tell a wrong sign or scale");
            Assert.That(mean, Is.EqualTo(bias * exact[i]).Within(3 * se), $"θ[{i}]: ĝ = {mean:G6} ± {se:G3}, expected {bias * exact[i]:G6}");
        }
        Assert.That(estimate.Gradient[0], Is.EqualTo(0).Within(1e-9), "q does not change the policy");
    }

    [Test]
    public void BadSettings_AreRejected()
    {
        Assert.That(() => new DeterministicPolicyGradient(new LinearSystem(5), P1(), new DeterministicPolicyGradientOptions { ExplorationSigma = 0 }),
            Throws.ArgumentException.With.Message.Contains("ExplorationSigma"));
        Assert.That(() => new DeterministicPolicyGradient(new LinearSystem(5), P1(), new DeterministicPolicyGradientOptions { Ridge = 0 }),
            Throws.ArgumentException.With.Message.Contains("Ridge"));
    }
}
