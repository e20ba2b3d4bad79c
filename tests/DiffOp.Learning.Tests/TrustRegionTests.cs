using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Learning.Tests;

/// <summary>The trust-region quasi-Newton rule: its subproblem, its BFGS model, its ratio test, and training with it.</summary>
public class TrustRegionTests
{
    private static double[] RandomSpd(Random random, int d, double spread)
    {
        // Q diag(λ) Qᵀ with eigenvalues spread over `spread` decades, from a random matrix's Gram matrix plus a shift.
        var a = new double[d * d];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble() - 0.5;
        var m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                for (int k = 0; k < d; k++) m[(i * d) + j] += a[(i * d) + k] * a[(j * d) + k];
                if (i == j) m[(i * d) + j] += Math.Pow(10, -spread * i / Math.Max(1, d - 1));
            }
        return m;
    }

    private static double Quadratic(double[] m, double[] p) => NaturalDirection.Quadratic(m, p);

    private static double ModelValue(double[] b, double[] g, double[] s) => g.Zip(s, (x, y) => x * y).Sum() + (0.5 * Quadratic(b, s));

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Subproblem_IsOptimalAmongFeasibleSteps(int seed)
    {
        var random = new Random(seed);
        const int d = 4;
        var b = RandomSpd(random, d, 3);
        var m = RandomSpd(random, d, 1);
        var g = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();

        // A large radius: the Newton step −B⁻¹g.
        var newton = NaturalDirection.Solve(b, g.Select(v => -v).ToArray())!;
        var wide = TrustRegionSubproblem.Solve(b, m, g, 1e6)!;
        for (int i = 0; i < d; i++) Assert.That(wide[i], Is.EqualTo(newton[i]).Within(1e-10 * (1 + Math.Abs(newton[i]))));

        // A radius a tenth of the Newton step's length: the step is on the boundary and beats every feasible point tried.
        double radius = 0.1 * Math.Sqrt(Quadratic(m, newton));
        var step = TrustRegionSubproblem.Solve(b, m, g, radius)!;
        double length = Math.Sqrt(Quadratic(m, step));
        Assert.That(length, Is.InRange(0.99 * radius, radius * (1 + 1e-12)), "on the boundary, within 1%");
        double best = ModelValue(b, g, step);
        for (int k = 0; k < 5000; k++)
        {
            var p = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
            double scale = radius * Math.Sqrt(random.NextDouble()) / Math.Sqrt(Quadratic(m, p));
            for (int i = 0; i < d; i++) p[i] *= scale;
            // The 1% boundary tolerance costs at most about 2% of the step's model decrease.
            Assert.That(best, Is.LessThanOrEqualTo(ModelValue(b, g, p) + (0.02 * Math.Abs(best))), $"feasible point {k} has a lower model value");
        }
    }

    [Test]
    public void Bfgs_SatisfiesTheSecantEquation_AndStaysPositiveDefiniteOnNegativeCurvature()
    {
        var random = new Random(5);
        const int d = 3;
        var b = RandomSpd(random, d, 1);
        double[] s = [0.3, -0.2, 0.5];
        double[] y = new double[d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) y[i] += (2.0 * b[(i * d) + j] + (i == j ? 1.0 : 0.0)) * s[j];   // positive curvature
        var updated = (double[])b.Clone();
        TrustRegionSubproblem.DampedBfgsUpdate(updated, s, y);
        for (int i = 0; i < d; i++)
        {
            double bs = 0;
            for (int j = 0; j < d; j++) bs += updated[(i * d) + j] * s[j];
            Assert.That(bs, Is.EqualTo(y[i]).Within(1e-12), "B₊s = y when sᵀy ≥ 0.2 sᵀBs");
        }

        var negative = y.Select(v => -v).ToArray();
        var damped = (double[])b.Clone();
        TrustRegionSubproblem.DampedBfgsUpdate(damped, s, negative);
        Assert.That(NaturalDirection.Solve(damped, [1.0, 1.0, 1.0]), Is.Not.Null, "B stays positive definite (Cholesky succeeds)");
        Assert.That(Quadratic(damped, s), Is.EqualTo(0.2 * Quadratic(b, s)).Within(1e-12), "Powell's damping leaves sᵀB₊s = 0.2 sᵀBs");
    }

    /// <summary>Runs the rule on f(θ) = ½(θ − c)ᵀA(θ − c) with the exact gradient and the exact decrease; returns f's values.</summary>
    private static List<double> MinimizeQuadratic(ParameterOptimizer optimizer, double[] a, double[] center, double[] theta, double[] metric, int iterations)
    {
        int d = theta.Length;
        double F(double[] t) { var e = t.Zip(center, (x, c) => x - c).ToArray(); return 0.5 * Quadratic(a, e); }
        double[] Gradient(double[] t)
        {
            var g = new double[d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) g[i] += a[(i * d) + j] * (t[j] - center[j]);
            return g;
        }
        var values = new List<double> { F(theta) };
        for (int k = 0; k < iterations; k++)
        {
            var proposal = optimizer.ProposeTrustRegionStep(theta, Gradient(theta), metric, null);
            Assert.That(proposal, Is.Not.Null);
            var outcome = optimizer.ConcludeTrustRegionStep(proposal!, F(theta) - F(proposal!.Candidate), Gradient(proposal.Candidate));
            if (outcome.Accepted) proposal.Candidate.CopyTo(theta, 0);
            values.Add(F(theta));
        }
        return values;
    }

    [Test]
    public void IllConditionedQuadratic_ConvergesWhereTheMetricIsUseless()
    {
        // A = diag(1000, 1, 0.001), metric I: the natural step is the plain gradient step, which needs ~10⁶ iterations here.
        double[] a = [1000, 0, 0, 0, 1, 0, 0, 0, 0.001];
        double[] identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        var optimizer = new ParameterOptimizer(OptimizerKind.TrustRegion, 1.0, 3, trustRadius: 0.5, damping: 1e-9);
        var values = MinimizeQuadratic(optimizer, a, [1, -2, 3], [0, 0, 0], identity, 60);
        TestContext.Progress.WriteLine(string.Join(", ", values.Select(v => v.ToString("G3"))));
        Assert.That(values.Zip(values.Skip(1)).All(p => p.Second <= p.First), Is.True, "accepted steps never increase f");
        Assert.That(values[^1], Is.LessThan(1e-10 * values[0]), "BFGS learns the curvature: f falls by 10¹⁰");
    }

    [Test]
    public void Path_IsTheSameUnderARescalingOfTheParameters()
    {
        // θ' = S⁻¹θ: A' = SAS, metric' = SMS, gradient' = S g. Accepted iterates must map onto each other.
        double[] s = [1000, 0.01];
        double[] a = [3, 1, 1, 2], metric = [1, 0.2, 0.2, 0.5];
        double[] aScaled = [s[0] * a[0] * s[0], s[0] * a[1] * s[1], s[1] * a[2] * s[0], s[1] * a[3] * s[1]];
        double[] metricScaled = [s[0] * metric[0] * s[0], s[0] * metric[1] * s[1], s[1] * metric[2] * s[0], s[1] * metric[3] * s[1]];
        double[] theta = [2, -1], thetaScaled = [2 / s[0], -1 / s[1]];
        var plain = MinimizeQuadratic(new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 0.3), a, [0, 0], theta, metric, 12);
        var scaled = MinimizeQuadratic(new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 0.3), aScaled, [0, 0], thetaScaled, metricScaled, 12);
        for (int k = 0; k < plain.Count; k++) Assert.That(scaled[k], Is.EqualTo(plain[k]).Within(1e-9 * (1e-12 + plain[k])), $"iteration {k}");
        for (int i = 0; i < 2; i++) Assert.That(s[i] * thetaScaled[i], Is.EqualTo(theta[i]).Within(1e-9));
    }

    [Test]
    public void LogScale_IsThePlainRuleInLogCoordinates()
    {
        // f(θ) = ½(ln θ − ln c)ᵀA(ln θ − ln c): a quadratic in φ = ln θ. Given ∂f/∂θ = D⁻¹A(φ − φc) and the metric D⁻¹MD⁻¹
        // (D = diag θ), the log-scale rule must take the plain rule's path on the quadratic in φ with metric M, iterate by
        // iterate (θ_k = exp φ_k), and keep θ positive although the bound 0 would be hit by steps in θ. c spans 10⁻²…10³.
        double[] a = [2, 0.5, 0.5, 1], metric = [1, 0.3, 0.3, 2];
        double[] c = [1000, 0.01], phiCenter = c.Select(v => Math.Log(v)).ToArray();
        double[] theta = [1, 1], phi = [0, 0];
        var plain = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 0.5);
        var log = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 0.5, logScale: [true, true]);
        double F(double[] p) { var e = p.Zip(phiCenter, (x, y) => x - y).ToArray(); return 0.5 * Quadratic(a, e); }
        double[] GradientPhi(double[] p) => [a[0] * (p[0] - phiCenter[0]) + a[1] * (p[1] - phiCenter[1]), a[2] * (p[0] - phiCenter[0]) + a[3] * (p[1] - phiCenter[1])];
        double[] GradientTheta(double[] t) => GradientPhi(t.Select(v => Math.Log(v)).ToArray()).Select((g, i) => g / t[i]).ToArray();
        double[] MetricTheta(double[] t) => [metric[0] / (t[0] * t[0]), metric[1] / (t[0] * t[1]), metric[2] / (t[1] * t[0]), metric[3] / (t[1] * t[1])];
        double[] lowerBounds = [0, 0];
        for (int k = 0; k < 25; k++)
        {
            var p = plain.ProposeTrustRegionStep(phi, GradientPhi(phi), metric, null)!;
            var q = log.ProposeTrustRegionStep(theta, GradientTheta(theta), MetricTheta(theta), lowerBounds)!;
            for (int i = 0; i < 2; i++)
            {
                Assert.That(q.Candidate[i], Is.GreaterThan(0), $"iteration {k}: θ stays positive");
                Assert.That(Math.Log(q.Candidate[i]), Is.EqualTo(p.Candidate[i]).Within(1e-9 * (1 + Math.Abs(p.Candidate[i]))), $"iteration {k}: candidate {i}");
            }
            var po = plain.ConcludeTrustRegionStep(p, F(phi) - F(p.Candidate), GradientPhi(p.Candidate));
            var qo = log.ConcludeTrustRegionStep(q, F(theta.Select(v => Math.Log(v)).ToArray()) - F(q.Candidate.Select(v => Math.Log(v)).ToArray()), GradientTheta(q.Candidate));
            Assert.That(qo.Accepted, Is.EqualTo(po.Accepted), $"iteration {k}");
            Assert.That(qo.Radius, Is.EqualTo(po.Radius).Within(1e-12), $"iteration {k}");
            if (po.Accepted) p.Candidate.CopyTo(phi, 0);
            if (qo.Accepted) q.Candidate.CopyTo(theta, 0);
        }
        for (int i = 0; i < 2; i++) Assert.That(theta[i], Is.EqualTo(c[i]).Within(1e-6 * c[i]), "converges to c across five decades");
    }

    [Test]
    public void PoorRatio_RejectsTheStep_AndShrinksTheRadius_GoodRatioGrowsIt()
    {
        var optimizer = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 1.0);
        double[] theta = [0, 0], identity = [1, 0, 0, 1];
        var proposal = optimizer.ProposeTrustRegionStep(theta, [3, 4], identity, [double.NegativeInfinity, -0.1])!;
        Assert.That(proposal.Candidate[1], Is.EqualTo(-0.1), "the candidate is projected onto the lower bound");
        Assert.That(proposal.ClampedParameters, Is.EqualTo(1));
        Assert.That(proposal.PredictedDecrease, Is.GreaterThan(0));
        var rejected = optimizer.ConcludeTrustRegionStep(proposal, -1.0, []);
        Assert.That(rejected.Accepted, Is.False);
        Assert.That(rejected.Ratio, Is.LessThan(0));
        Assert.That(rejected.Radius, Is.EqualTo(0.5).Within(1e-12), "Δ halves");

        var next = optimizer.ProposeTrustRegionStep(theta, [3, 4], identity, null)!;
        Assert.That(next.StepLength, Is.EqualTo(rejected.Radius).Within(0.01 * rejected.Radius), "the next step uses the shrunken radius");
        var good = optimizer.ConcludeTrustRegionStep(next, next.PredictedDecrease, []);
        Assert.That(good.Accepted, Is.True);
        Assert.That(good.Radius, Is.EqualTo(2 * rejected.Radius).Within(1e-12), "ρ = 1 at the boundary doubles Δ");
        Assert.That(optimizer.ConcludeTrustRegionStep(next, double.NaN, []).Accepted, Is.False, "nothing measured: rejected");
    }

    [Test]
    public void InteriorStepMuchBetterThanPredicted_HalvesTheModel_OnlyThen()
    {
        var optimizer = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 1.0);
        double[] theta = [0, 0], gradient = [1, 0], identity = [1, 0, 0, 1];
        // The first step reaches Δ₀ (B₀ is scaled for that): a large ratio there doubles Δ and leaves B alone.
        var first = optimizer.ProposeTrustRegionStep(theta, gradient, identity, null)!;
        Assert.That(first.StepLength, Is.EqualTo(1.0).Within(1e-9));
        var b0 = first.Model.ToArray();
        var atBoundary = optimizer.ConcludeTrustRegionStep(first, 3 * first.PredictedDecrease, []);
        Assert.That((atBoundary.Accepted, atBoundary.Radius), Is.EqualTo((true, 2.0)));
        Assert.That(optimizer.Hessian, Is.EqualTo(b0).Within(1e-12), "a boundary step changes Δ, not B");
        // Now Δ = 2 and the model's step (length 1) is interior: ρ = 1.5 keeps B, ρ = 3 halves it.
        var second = optimizer.ProposeTrustRegionStep(theta, gradient, identity, null)!;
        Assert.That(second.StepLength, Is.LessThan(0.9 * 2.0), "interior");
        optimizer.ConcludeTrustRegionStep(second, 1.5 * second.PredictedDecrease, []);
        Assert.That(optimizer.Hessian, Is.EqualTo(b0).Within(1e-12), "ρ = 1.5: B stays");
        var third = optimizer.ProposeTrustRegionStep(theta, gradient, identity, null)!;
        var flat = optimizer.ConcludeTrustRegionStep(third, 3 * third.PredictedDecrease, []);
        Assert.That(flat.Accepted, Is.True);
        Assert.That(optimizer.Hessian, Is.EqualTo(b0.Select(v => 0.5 * v).ToArray()).Within(1e-12), "ρ = 3 on an interior step: B halves");
        var fourth = optimizer.ProposeTrustRegionStep(theta, gradient, identity, null)!;
        Assert.That(fourth.StepLength, Is.EqualTo(2 * third.StepLength).Within(1e-9), "so the next model step is twice as long");
    }

    [Test]
    public void PoorRatio_OnAnInteriorStep_HalvesTheRadius_NotTheStepLength()
    {
        // A curved model (B = 100·I) makes the step −B⁻¹ĝ short, well inside Δ = 1. A poor ratio halves Δ to 0.5;
        // shrinking to half the step collapsed Δ on noisy ratios and took many iterations to undo.
        var optimizer = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 1.0);
        optimizer.RestoreTrustRegion([100, 0, 0, 100], 1.0);
        double[] theta = [0, 0], identity = [1, 0, 0, 1];
        var proposal = optimizer.ProposeTrustRegionStep(theta, [3, 4], identity, null)!;
        Assert.That(proposal.StepLength, Is.LessThan(0.1), "an interior step");
        var rejected = optimizer.ConcludeTrustRegionStep(proposal, -1.0, []);
        Assert.That(rejected.Accepted, Is.False);
        Assert.That(rejected.Radius, Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void NoisyGradient_IsShrunkBySignalToNoise_AndPureNoiseMakesNoStep()
    {
        // Metric I (damping 1 doubles it: M = 2I). ĝ = (3, 4); leave-one-out estimates ĝ ± (a, 0) over two groups give the
        // jackknife variance (n − 1)/n · 2a² = a² in the first entry: tr(M⁻¹Σ)/ĝᵀM⁻¹ĝ = a²/25.
        double[] identity = [1, 0, 0, 1], g = [3, 4];
        var optimizer = new ParameterOptimizer(OptimizerKind.TrustRegion, 1, 2, trustRadius: 1e-3);
        var exact = optimizer.ProposeTrustRegionStep([0, 0], g, identity, null)!;
        var noisy = optimizer.ProposeTrustRegionStep([0, 0], g, identity, null, [[3 + 2.5, 4], [3 - 2.5, 4]])!;
        Assert.That(noisy.GradientShrink, Is.EqualTo(1 - (6.25 / 25)).Within(1e-12));
        // Both steps lie on the boundary to within the subproblem's 1% tolerance, along the same direction.
        Assert.That(noisy.Step[0] * exact.Step[1], Is.EqualTo(noisy.Step[1] * exact.Step[0]).Within(1e-12), "the same direction");
        Assert.That(noisy.PredictedDecrease / exact.PredictedDecrease, Is.EqualTo(0.75).Within(0.02), "three quarters of the predicted decrease");

        var noise = optimizer.ProposeTrustRegionStep([0, 0], g, identity, null, [[3 + 6, 4], [3 - 6, 4]])!;
        Assert.That(noise.GradientShrink, Is.Zero, "noise larger than the signal: no step");
        Assert.That(noise.PredictedDecrease, Is.Zero);
        var outcome = optimizer.ConcludeTrustRegionStep(noise, double.NaN, []);
        Assert.That(outcome.Accepted, Is.False);
        Assert.That(outcome.Radius, Is.EqualTo(1e-3), "no information, no change of Δ");
    }

    [Test]
    public void BadUse_IsRejectedWithAClearMessage()
    {
        Assert.That(() => new ParameterOptimizer(OptimizerKind.TrustRegion, 0.1, 2), Throws.ArgumentException.With.Message.Contains("initial radius"));
        var rule = new ParameterOptimizer(OptimizerKind.TrustRegion, 0.1, 2, trustRadius: 1);
        Assert.That(() => rule.TryStep(new double[2], [1.0, 1.0], [1, 0, 0, 1]), Throws.InvalidOperationException.With.Message.Contains("ratio test"));
        Assert.That(() => new ParameterOptimizer(OptimizerKind.Adam, 0.1, 2).ProposeTrustRegionStep(new double[2], [1.0, 1.0], [1, 0, 0, 1], null),
            Throws.InvalidOperationException);
        Assert.That(() => rule.RestoreTrustRegion([1, 0, 0], 1), Throws.ArgumentException.With.Message.Contains("d² = 4"));
        Assert.That(() => rule.RestoreTrustRegion([1, 0, 0, 1], 0), Throws.ArgumentException.With.Message.Contains("positive"));
        Assert.That(() => new TrainingOptions { Optimizer = OptimizerKind.TrustRegion, Schedule = LearningRateSchedule.Cosine }.Validate(),
            Throws.ArgumentException.With.Message.Contains("constant schedule"));
        Assert.That(new TrainingOptions { Optimizer = OptimizerKind.TrustRegion, Sigma = 0.3 }.CreateOptimizer(2).Radius, Is.EqualTo(0.3), "Δ₀ defaults to σ");
        Assert.That(rule.ProposeTrustRegionStep(new double[2], [double.NaN, 1.0], [1, 0, 0, 1], null), Is.Null, "a non-finite ĝ proposes nothing");
    }

    [Test]
    [Category("Native")]
    public void BoxLqrWithWrongDynamics_TrustRegionClosesTheGapToTheTrueModel()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        var ocp = LqrSamples.BoxLqr(8);
        var truth = ocp.InitialParameters();
        var wrong = ocp.InitialParameters();
        var block = ocp.Parameter("b");
        for (int i = 0; i < block.Length; i++) wrong[block.Offset + i] = -wrong[block.Offset + i];
        var solverOptions = new Control.OptimalControl.OcpSolverOptions { MaxIterations = 200 };
        var worker = new RolloutWorker(new LqrEnvironment(), new OptimizationPolicy(ocp, PolicyMode.Traj, solverOptions), new TruncatedGaussianExploration(0.05, double.PositiveInfinity));
        double Evaluate(double[] theta) => worker.Run(theta, new RolloutRequest(10_000, false)).Cost;
        double initial = Evaluate(wrong), best = Evaluate(truth);
        var options = new TrainingOptions
        {
            Mode = PolicyMode.Traj, Iterations = 40, Rollouts = 10, Sigma = 0.05, Beta = double.PositiveInfinity, LearningRate = 1,
            Optimizer = OptimizerKind.TrustRegion, Estimator = GradientEstimatorKind.ReinforceWithBaseline, Antithetic = true,
            TangentExploration = true, Seed = 1,
        };
        var trainer = new Trainer(options, new SequentialRolloutExecutor(worker), wrong);
        int accepted = 0;
        for (int k = 0; k < options.Iterations; k++)
        {
            var m = trainer.RunIteration();
            if (!m.UpdateSkipped) accepted++;
            Assert.That(double.IsNaN(m.TrustRatio) && !m.UpdateSkipped, Is.False, "an accepted step has a measured ratio");
            if (k % 5 == 0) TestContext.Progress.WriteLine($"{k + 1}: cost {m.MeanCost}, ρ {m.TrustRatio:G3}, Δ {m.TrustRadius:G3}, θ = [{string.Join(", ", trainer.Theta.Select(v => v.ToString("G4")))}]");
        }
        double trained = Evaluate(trainer.Theta);
        TestContext.Progress.WriteLine($"trust region: {initial} → {trained} (true model {best}), {accepted} of {options.Iterations} steps accepted");
        Assert.That(accepted, Is.GreaterThan(0));
        Assert.That(trained - best, Is.LessThan(0.1 * (initial - best)), $"closes 90% of the gap: {initial} → {trained}, true model {best}");
    }
}
