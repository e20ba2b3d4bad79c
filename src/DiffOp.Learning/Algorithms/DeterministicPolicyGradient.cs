using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Learning.Algorithms;

/// <summary>Settings of <see cref="DeterministicPolicyGradient"/> (RLMPC-DPG).</summary>
public sealed record DeterministicPolicyGradientOptions
{
    /// <summary>α: step of θ ← θ − α·ĝ. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>γ of the critic's TD targets (and of the discount weights). Default 0.9.</summary>
    public double Discount { get; init; } = 0.9;
    /// <summary>σ_e of the exploration a = Π(π(s) + e), in the controls' units (&gt; 0: the compatible critic needs it). Default 0.1.</summary>
    public double ExplorationSigma { get; init; } = 0.1;
    /// <summary>N: rollouts per update. Default 10.</summary>
    public int RolloutsPerIteration { get; init; } = 10;
    /// <summary>
    /// ρ: ridge of the two least-squares fits, relative to the mean diagonal of their normal matrix (AᵀA + ρ·tr(AᵀA)/k·I),
    /// so that it does not depend on the units of s and θ. An absolute ridge of 1e-6, as in mpcrl, shrinks w by 12% on
    /// the one-step test problem, whose ψ are of order 1e-3. Default 1e-9.
    /// </summary>
    public double Ridge { get; init; } = 1e-9;
    /// <summary>Weight the terms of step t by γ^t (the exact discounted DPG from s₀); false weights them equally (as mpcrl does). Default true.</summary>
    public bool DiscountWeights { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"LearningRate must be positive and finite, got {LearningRate}.", nameof(LearningRate));
        if (!(Discount > 0 && Discount <= 1)) throw new ArgumentException($"Discount must be in (0, 1], got {Discount}.", nameof(Discount));
        if (!(ExplorationSigma > 0) || !double.IsFinite(ExplorationSigma))
            throw new ArgumentException($"ExplorationSigma must be positive and finite (the compatible critic is fitted on the exploration), got {ExplorationSigma}.", nameof(ExplorationSigma));
        if (RolloutsPerIteration < 1) throw new ArgumentException($"RolloutsPerIteration must be at least 1, got {RolloutsPerIteration}.", nameof(RolloutsPerIteration));
        if (!(Ridge > 0) || !double.IsFinite(Ridge)) throw new ArgumentException($"Ridge must be positive and finite, got {Ridge}.", nameof(Ridge));
    }
}

/// <summary>What one <see cref="DeterministicPolicyGradient.Estimate"/> or iteration produced.</summary>
/// <param name="Gradient">ĝ: the mean over rollouts of F·w (an estimate of ∇θJ; length d).</param>
/// <param name="PerRollout">Each rollout's F·w (for standard errors).</param>
/// <param name="MeanEpisodeCost">Mean true cost of the exploring rollouts.</param>
/// <param name="FailedRollouts">Rollouts dropped because a plan failed or was not differentiable.</param>
public sealed record DeterministicPolicyGradientEstimate(double[] Gradient, IReadOnlyList<double[]> PerRollout, double MeanEpisodeCost, int FailedRollouts);

/// <summary>
/// RLMPC-DPG: the deterministic policy gradient with a compatible advantage (Gros &amp; Zanon; mpcrl's LSTD-DPG). With
/// π_θ(s) = u₀*(s; θ) and J_π = ∂u₀*/∂θ (the structured sensitivity), ∇θJ = E Σ_t γ^t J_π(s_t)ᵀ∇_aQ^π(s_t, a)|_{a=π(s_t)}.
/// The critic is A_w(s, a) = ψᵀw with ψ = J_π(s)ᵀ(a − π(s)) and a baseline V_v(s) = Φ(s)ᵀv over every monomial of s of
/// degree ≤ 2: per rollout, LSTD(0) fits v (averaged over the batch), then w is the least-squares fit of the TD error
/// ℓ + γV_v(s′) − V_v(s) by ψᵀw, and ĝ is the batch mean of F·w with F = Σ_t J_πᵀJ_π. The update is θ ← max(θ − α·ĝ, bounds).
/// </summary>
public sealed class DeterministicPolicyGradient : IDisposable
{
    private readonly IEnvironment _environment;
    private readonly OptimizationPolicy _policy;
    private readonly DeterministicPolicyGradientOptions _options;
    private readonly IReadOnlyList<double>? _lowerBounds;
    private readonly int _n, _m, _d, _features;

    /// <summary>Creates the learner for <paramref name="environment"/> with the Step-mode policy OCP.</summary>
    public DeterministicPolicyGradient(IEnvironment environment, Ocp ocp, DeterministicPolicyGradientOptions? options = null,
        IReadOnlyList<double>? lowerBounds = null, OcpSolverOptions? solverOptions = null)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(ocp);
        if (environment.StateCount != ocp.StateCount || environment.ControlCount != ocp.ControlCount)
            throw new ArgumentException($"The environment has n = {environment.StateCount}, m = {environment.ControlCount}; the OCP has {ocp.StateCount}, {ocp.ControlCount}.", nameof(environment));
        _options = options ?? new DeterministicPolicyGradientOptions();
        _options.Validate();
        if (lowerBounds is not null && lowerBounds.Count != ocp.ParameterCount)
            throw new ArgumentException($"The lower bounds have {lowerBounds.Count} entries; θ has {ocp.ParameterCount}.", nameof(lowerBounds));
        _lowerBounds = lowerBounds;
        _policy = new OptimizationPolicy(ocp, PolicyMode.Step, solverOptions);
        _n = ocp.StateCount; _m = ocp.ControlCount; _d = ocp.ParameterCount;
        _features = 1 + _n + _n * (_n + 1) / 2;
    }

    /// <summary>Number of baseline features: 1 + n + n(n+1)/2.</summary>
    public int FeatureCount => _features;

    /// <summary>Φ(s): 1, s_i, s_i·s_j (i ≤ j).</summary>
    public void Features(ReadOnlySpan<double> s, Span<double> phi)
    {
        int k = 0;
        phi[k++] = 1;
        for (int i = 0; i < _n; i++) phi[k++] = s[i];
        for (int i = 0; i < _n; i++)
            for (int j = i; j < _n; j++) phi[k++] = s[i] * s[j];
    }

    private sealed record Step(double[] Phi, double[] PhiNext, double Cost, double[] Psi, double Weight);

    /// <summary>ĝ at θ from N exploring rollouts (seeds from the run seed and the iteration); θ is not changed.</summary>
    public DeterministicPolicyGradientEstimate Estimate(double[] theta, int iteration, int runSeed)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.Length != _d) throw new ArgumentException($"θ has {theta.Length} entries; the OCP has {_d}.", nameof(theta));
        var rollouts = new List<(List<Step> Steps, double[] Fisher)>();
        double totalCost = 0;
        int failed = 0;
        var jacobian = new double[_m * _d];
        for (int r = 0; r < _options.RolloutsPerIteration; r++)
        {
            int seed = SeedSequence.Rollout(runSeed, iteration, r);
            var noise = new Random(SeedSequence.Noise(seed));
            var s = new double[_n];
            _environment.Reset(seed, s);
            var steps = new List<Step>();
            var fisher = new double[_d * _d];
            OcpSolution? previous = null;
            bool dropped = false;
            double weight = 1;
            for (int t = 0; t < _environment.EpisodeLength; t++)
            {
                var plan = _policy.Plan(theta, s, previous);
                if (!plan.IsSuccess) { dropped = true; break; }
                try { _policy.ControlJacobian(plan, 1, jacobian); }
                catch (DiffOp.Control.Sensitivity.SensitivityException) { dropped = true; break; }
                previous = plan;
                var pi = plan.Control(0);
                var a = new double[_m];
                for (int j = 0; j < _m; j++)
                    a[j] = Math.Clamp(pi[j] + _options.ExplorationSigma * TransitionRecorder.Gaussian(noise), _policy.Ocp.ControlLower[j], _policy.Ocp.ControlUpper[j]);
                var psi = new double[_d];   // ψ = J_πᵀ(a − π), with e as applied (after clipping)
                for (int j = 0; j < _m; j++)
                {
                    double e = a[j] - pi[j];
                    for (int i = 0; i < _d; i++) psi[i] += jacobian[j * _d + i] * e;
                }
                double w = _options.DiscountWeights ? weight : 1.0;
                for (int i = 0; i < _d; i++)
                    for (int k = 0; k < _d; k++)
                    {
                        double sum = 0;
                        for (int j = 0; j < _m; j++) sum += jacobian[j * _d + i] * jacobian[j * _d + k];
                        fisher[i * _d + k] += w * sum;
                    }
                var next = new double[_n];
                var result = _environment.Step(a, next);
                totalCost += result.Cost;
                if (result.Failed) { dropped = true; break; }
                var phi = new double[_features]; var phiNext = new double[_features];
                Features(s, phi); Features(next, phiNext);
                steps.Add(new Step(phi, phiNext, result.Cost, psi, w));
                weight *= _options.Discount;
                s = next;
                if (result.Done) break;
            }
            if (dropped || steps.Count == 0) { failed++; continue; }
            rollouts.Add((steps, fisher));
        }
        double meanCost = totalCost / _options.RolloutsPerIteration;
        if (rollouts.Count == 0) return new DeterministicPolicyGradientEstimate(new double[_d], [], meanCost, failed);

        // LSTD(0) for v per rollout: A_v = Σ Φ_t(γΦ_{t+1} − Φ_t)ᵀ, b_v = −Σ Φ_t ℓ_t; v = (A_vᵀA_v + ρI)⁻¹A_vᵀb_v, averaged.
        var v = Vector<double>.Build.Dense(_features);
        foreach (var (steps, _) in rollouts)
        {
            var av = Matrix<double>.Build.Dense(_features, _features);
            var bv = Vector<double>.Build.Dense(_features);
            foreach (var st in steps)
                for (int i = 0; i < _features; i++)
                {
                    bv[i] -= st.Phi[i] * st.Cost;
                    for (int k = 0; k < _features; k++) av[i, k] += st.Phi[i] * (_options.Discount * st.PhiNext[k] - st.Phi[k]);
                }
            v += Ridge(av, bv, _features);
        }
        v /= rollouts.Count;

        // Per rollout: w = (MᵀM + ρI)⁻¹Mᵀc with M = Σ ψψᵀ, c = Σ ψ(ℓ + γΦ′ᵀv − Φᵀv) (γ^t-weighted if asked); ĝ_r = F w.
        var perRollout = new List<double[]>();
        var gradient = new double[_d];
        foreach (var (steps, fisher) in rollouts)
        {
            var mm = Matrix<double>.Build.Dense(_d, _d);
            var c = Vector<double>.Build.Dense(_d);
            foreach (var st in steps)
            {
                double td = st.Cost + _options.Discount * Dot(st.PhiNext, v) - Dot(st.Phi, v);
                for (int i = 0; i < _d; i++)
                {
                    c[i] += st.Weight * st.Psi[i] * td;
                    for (int k = 0; k < _d; k++) mm[i, k] += st.Weight * st.Psi[i] * st.Psi[k];
                }
            }
            var w = Ridge(mm, c, _d);
            var g = new double[_d];
            for (int i = 0; i < _d; i++)
            {
                for (int k = 0; k < _d; k++) g[i] += fisher[i * _d + k] * w[k];
                gradient[i] += g[i] / rollouts.Count;
            }
            perRollout.Add(g);
        }
        return new DeterministicPolicyGradientEstimate(gradient, perRollout, meanCost, failed);
    }

    /// <summary>One iteration: <see cref="Estimate"/>, then θ ← max(θ − α·ĝ, bounds) in place (unchanged when ĝ is not finite or every rollout failed).</summary>
    public DeterministicPolicyGradientEstimate RunIteration(double[] theta, int iteration, int runSeed)
    {
        var estimate = Estimate(theta, iteration, runSeed);
        if (estimate.PerRollout.Count == 0 || !estimate.Gradient.All(double.IsFinite)) return estimate;
        for (int i = 0; i < _d; i++)
        {
            theta[i] -= _options.LearningRate * estimate.Gradient[i];
            if (_lowerBounds is not null && theta[i] < _lowerBounds[i]) theta[i] = _lowerBounds[i];
        }
        return estimate;
    }

    private Vector<double> Ridge(Matrix<double> a, Vector<double> b, int size)
    {
        var normal = a.TransposeThisAndMultiply(a);
        double scale = Math.Max(normal.Trace() / size, double.Epsilon);
        return (normal + _options.Ridge * scale * Matrix<double>.Build.DenseIdentity(size)).Solve(a.TransposeThisAndMultiply(b));
    }

    private static double Dot(double[] x, Vector<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>Frees the policy's solver.</summary>
    public void Dispose() => _policy.Dispose();
}
