using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>Updates in log scale for positive parameters (cost weights, masses): relative steps, invariance, positivity.</summary>
public class LogScaleUpdateTests
{
    [Test]
    public void FlaggedEntry_TakesARelativeStep_OthersTheOrdinaryOne()
    {
        var adam = new ParameterOptimizer(OptimizerKind.Adam, 0.1, 2, logScale: [true, false]);
        double[] theta = [2.0, 5.0];
        Assert.That(adam.TryStep(theta, [1.0, -1.0]), Is.True);
        // Adam's first step is η·sign(g) in the variable it runs on: ln θ₀ for the flagged entry, θ₁ itself for the other.
        Assert.That(theta[0], Is.EqualTo(2.0 * Math.Exp(-0.1)).Within(1e-9), "(Adam's ε = 1e-8 shortens the step by ε/|g|)");
        Assert.That(theta[1], Is.EqualTo(5.1).Within(1e-9));

        var sgd = new ParameterOptimizer(OptimizerKind.Sgd, 0.5, 1, logScale: [true]);
        double[] weight = [4.0];
        Assert.That(sgd.TryStep(weight, [0.25]), Is.True);
        Assert.That(weight[0], Is.EqualTo(4.0 * Math.Exp(-0.5 * 4.0 * 0.25)).Within(1e-12), "SGD on ln θ: the gradient is θ·∂C/∂θ");
    }

    [TestCase(OptimizerKind.Adam)]
    [TestCase(OptimizerKind.Sgd)]
    public void Path_IsTheSameUnderARescalingOfTheParameters(OptimizerKind kind)
    {
        // θ' = S⁻¹θ with S = diag(1000, 0.01): ∂C/∂θ' = S ∂C/∂θ, and the path in the original units must not change.
        double[] s = [1000, 0.01];
        var plain = new ParameterOptimizer(kind, 0.05, 2, logScale: [true, true]);
        var scaled = new ParameterOptimizer(kind, 0.05, 2, logScale: [true, true]);
        double[] theta = [3.0, 0.2], thetaScaled = [3.0 / s[0], 0.2 / s[1]];
        var random = new Random(3);
        for (int k = 0; k < 20; k++)
        {
            double[] g = [random.NextDouble() - 0.5, random.NextDouble() - 0.5];
            Assert.That(plain.TryStep(theta, g) && scaled.TryStep(thetaScaled, [s[0] * g[0], s[1] * g[1]]), Is.True);
            for (int i = 0; i < 2; i++)
                Assert.That(s[i] * thetaScaled[i], Is.EqualTo(theta[i]).Within(1e-12 * theta[i]), $"step {k}, entry {i}");
        }
    }

    [Test]
    public void WeightsOfVeryDifferentMagnitudes_AreReachedInLogScale_NotInLinearScale()
    {
        // C(θ) = Σ (ln θᵢ − ln θᵢ*)² with θ* = (0.01, 1000), from θ = (1, 1): a cost weight that must shrink 100× and one
        // that must grow 1000×, where only the ratio to the target matters (as for the voltage task's C_v).
        double[] target = [0.01, 1000];
        double[] Run(bool log, int count)
        {
            var adam = new ParameterOptimizer(OptimizerKind.Adam, 0.05, count, logScale: log ? Enumerable.Repeat(true, count).ToArray() : null);
            double[] theta = Enumerable.Repeat(1.0, count).ToArray();
            for (int k = 0; k < 600; k++)
            {
                var g = new double[count];
                for (int i = 0; i < count; i++) g[i] = 2 * (Math.Log(theta[i]) - Math.Log(target[target.Length - count + i])) / theta[i];
                Assert.That(adam.TryStep(theta, g), Is.True);
            }
            return theta;
        }
        var logScale = Run(log: true, 2);
        Assert.That(logScale[0], Is.EqualTo(target[0]).Within(0.01 * target[0]), "log scale: the small weight");
        Assert.That(logScale[1], Is.EqualTo(target[1]).Within(0.01 * target[1]), "log scale: the large weight");
        var linear = Run(log: false, 1);
        Assert.That(linear[0], Is.LessThan(0.1 * target[1]), "linear Adam moves about η per step: 600 steps cannot take 1 to 1000");
    }

    [Test]
    public void AHugeStep_NeverMakesAFlaggedEntryNonPositive()
    {
        var sgd = new ParameterOptimizer(OptimizerKind.Sgd, 10.0, 1, logScale: [true]);
        double[] theta = [1.0];
        Assert.That(sgd.TryStep(theta, [3.0]), Is.True);
        Assert.That(theta[0], Is.GreaterThan(0), "θ·exp(−30) is small but positive; the linear step would give −29");
        Assert.That(sgd.TryStep(theta, [-1e300]), Is.False, "a step whose exponential overflows is not applied");
        Assert.That(theta[0], Is.GreaterThan(0));
    }

    [Test]
    public void AFlaggedEntryAtZero_TakesTheOrdinaryStep_ThenRelativeOnes()
    {
        // A weight projected onto its bound 0 cannot move in log scale: it takes the additive step until it is positive.
        var adam = new ParameterOptimizer(OptimizerKind.Adam, 0.1, 1, logScale: [true]);
        double[] theta = [0.0];
        Assert.That(adam.TryStep(theta, [-1.0]), Is.True);
        Assert.That(theta[0], Is.EqualTo(0.1).Within(1e-8), "the ordinary first step η·sign(−ĝ)");
        double before = theta[0];
        Assert.That(adam.TryStep(theta, [-1.0]), Is.True);
        Assert.That(theta[0], Is.GreaterThan(before).And.LessThan(before * Math.Exp(0.2)), "now a relative step");
    }

    [Test]
    public void MaskComesFromTheLowerBounds()
    {
        var options = new TrainingOptions
        {
            Optimizer = OptimizerKind.Adam, LogScalePositiveParameters = true,
            ParameterLowerBounds = [0, double.NegativeInfinity, 0.5, -1],
        };
        Assert.That(options.LogScaleMask(4), Is.EqualTo(new[] { true, false, true, false }));
        Assert.That(options.CreateOptimizer(4).LogScale, Is.EqualTo(new[] { true, false, true, false }));
        Assert.That((options with { LogScalePositiveParameters = false }).CreateOptimizer(4).LogScale, Is.Null);
        Assert.That((options with { ParameterLowerBounds = null }).LogScaleMask(4), Is.Null, "no bounds: nothing is known to be positive");
    }

    [Test]
    public void BadSettings_AreRejected()
    {
        Assert.That(() => new ParameterOptimizer(OptimizerKind.Natural, 0.1, 2, logScale: [true, false]),
            Throws.ArgumentException.With.Message.Contains("sgd, adam and trust-region"));
        Assert.That(() => new ParameterOptimizer(OptimizerKind.Adam, 0.1, 2, logScale: [true]),
            Throws.ArgumentException.With.Message.Contains("1 entries; θ has 2"));
        Assert.That(() => new TrainingOptions { Optimizer = OptimizerKind.ActionAdam, LogScalePositiveParameters = true }.Validate(),
            Throws.ArgumentException.With.Message.Contains("--log-scale"));
        Assert.That(() => new ParameterOptimizer(OptimizerKind.Natural, 0.1, 2, logScale: [false, false]), Throws.Nothing, "an all-false mask changes nothing");
    }
}
