using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;

namespace DiffOp.Learning.Algorithms;

/// <summary>A demonstration: an initial state and the whole trajectory ζ̄ = (x̄₀, ū₀, x̄₁, …, x̄_H) in the OCP's layout.</summary>
public sealed record Demonstration(double[] InitialState, double[] Trajectory);

/// <summary>The outcome of <see cref="Imitation.Fit"/>.</summary>
/// <param name="Theta">θ with the fitted entries changed.</param>
/// <param name="FittedEntries">The entries fitted.</param>
/// <param name="InitialLoss">ℓ(θ₀) = (1/|B|) Σ ‖ζ*(x̄₀; θ₀) − ζ̄‖².</param>
/// <param name="Loss">ℓ at the fitted θ.</param>
/// <param name="Iterations">Levenberg–Marquardt iterations taken.</param>
/// <param name="Converged">True when the last step met the step tolerance (or no step lowered ℓ); false at the iteration limit.</param>
/// <param name="LossHistory">ℓ after each accepted iteration (first entry: ℓ(θ₀)).</param>
/// <param name="FailedSolves">Solves that failed, or plans that were not differentiable, during the fit (a failed solve makes the loss +∞ at that θ, so such a step is rejected; a non-differentiable plan is left out of that step's normal equations).</param>
public sealed record ImitationResult(
    double[] Theta, IReadOnlyList<int> FittedEntries, double InitialLoss, double Loss, int Iterations, bool Converged, IReadOnlyList<double> LossHistory, int FailedSolves);

/// <summary>
/// Imitation learning (PDP offline): θ minimizes the trajectory-matching loss ℓ(θ) = (1/|B|) Σ_d ‖ζ*(x̄₀ᵈ; θ) − ζ̄ᵈ‖² over
/// demonstrations, every state and control weighted 1 (x₀ is fixed by the OCP and adds nothing). The fit is
/// Levenberg–Marquardt with the implicit Jacobian ∂ζ*/∂θ of each plan (the structured KKT sensitivity). The cost
/// weights are identifiable only up to a common scale (ζ* does not change when all of them are multiplied by k): fix
/// one of them by leaving it out of the fitted entries.
/// </summary>
public sealed class Imitation : IDisposable
{
    private readonly Ocp _ocp;
    private readonly OcpSolver _solver;
    private readonly StructuredSensitivity _sensitivity;

    /// <summary>Creates the solver and the sensitivity for <paramref name="ocp"/> (its horizon is the demonstrations' length).</summary>
    public Imitation(Ocp ocp, OcpSolverOptions? options = null)
    {
        _ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        _solver = new OcpSolver(ocp, options);
        _sensitivity = new StructuredSensitivity(ocp);
    }

    /// <summary>Solves that failed during the last <see cref="Loss"/> or <see cref="Fit"/> call.</summary>
    public int FailedSolves { get; private set; }

    /// <summary>ℓ(θ) = (1/|B|) Σ ‖ζ*(x̄₀; θ) − ζ̄‖² (+∞ when a plan fails).</summary>
    public double Loss(IReadOnlyList<Demonstration> demonstrations, double[] theta, ReadOnlySpan<double> context)
    {
        Check(demonstrations, theta, context);
        FailedSolves = 0;
        return LossAt(demonstrations, theta, context.ToArray());
    }

    /// <summary>
    /// Fits <paramref name="fittedEntries"/> of θ (null: all) to the demonstrations from <paramref name="theta0"/>, keeping θ at
    /// or above <paramref name="lowerBounds"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No demonstrations, one of the wrong size or non-finite, θ₀ or p of the wrong length, an entry index out of range.</exception>
    public ImitationResult Fit(IReadOnlyList<Demonstration> demonstrations, double[] theta0, ReadOnlySpan<double> context,
        IReadOnlyList<int>? fittedEntries = null, IReadOnlyList<double>? lowerBounds = null, LeastSquaresOptions? options = null)
    {
        options ??= new LeastSquaresOptions();
        options.Validate();
        Check(demonstrations, theta0, context);
        int d = _ocp.ParameterCount;
        int[] fitted = fittedEntries is null ? [.. Enumerable.Range(0, d)] : [.. fittedEntries];
        if (fitted.Length == 0 || fitted.Any(i => i < 0 || i >= d) || fitted.Distinct().Count() != fitted.Length)
            throw new ArgumentException($"The fitted entries must be distinct indices in 0..{d - 1}.", nameof(fittedEntries));
        if (lowerBounds is not null && lowerBounds.Count != d)
            throw new ArgumentException($"The lower bounds have {lowerBounds.Count} entries; θ has {d}.", nameof(lowerBounds));
        double[] p = context.ToArray();
        FailedSolves = 0;
        int k = fitted.Length, rows = _ocp.Layout.VariableCount;
        double scale = 1.0 / demonstrations.Count;

        void NormalEquations(double[] theta, double[] jtj, double[] jtr)
        {
            foreach (var demo in demonstrations)
            {
                var plan = _solver.Solve(theta, demo.InitialState, p);
                if (!plan.IsSuccess) { FailedSolves++; continue; }
                SensitivityResult jacobian;
                try { jacobian = _sensitivity.Jacobian(plan); }
                catch (SensitivityException) { FailedSolves++; continue; }   // not differentiable here (singular KKT): leave this demonstration out of the step
                var z = plan.Trajectory;
                for (int row = 0; row < rows; row++)
                {
                    double r = demo.Trajectory[row] - z[row];
                    var full = jacobian.Row(row);
                    for (int a = 0; a < k; a++)
                    {
                        double ja = full[fitted[a]];
                        if (ja == 0) continue;
                        jtr[a] += scale * ja * r;
                        for (int b = 0; b < k; b++) jtj[a * k + b] += scale * ja * full[fitted[b]];
                    }
                }
            }
        }

        var fit = LevenbergMarquardt.Minimize(theta0, fitted, lowerBounds, theta => LossAt(demonstrations, theta, p), NormalEquations, options);
        return new ImitationResult(fit.Theta, fitted, fit.InitialLoss, fit.Loss, fit.Iterations, fit.Converged, fit.LossHistory, FailedSolves);
    }

    private double LossAt(IReadOnlyList<Demonstration> demonstrations, double[] theta, double[] context)
    {
        double sum = 0;
        foreach (var demo in demonstrations)
        {
            var plan = _solver.Solve(theta, demo.InitialState, context);
            if (!plan.IsSuccess)
            {
                FailedSolves++;
                return double.PositiveInfinity;
            }
            var z = plan.Trajectory;
            for (int i = 0; i < z.Length; i++)
            {
                double r = z[i] - demo.Trajectory[i];
                sum += r * r;
            }
        }
        return sum / demonstrations.Count;
    }

    private void Check(IReadOnlyList<Demonstration> demonstrations, ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        ArgumentNullException.ThrowIfNull(demonstrations);
        if (demonstrations.Count == 0) throw new ArgumentException("Imitation needs at least one demonstration.", nameof(demonstrations));
        if (theta.Length != _ocp.ParameterCount) throw new ArgumentException($"θ has {theta.Length} entries; OCP '{_ocp.Name}' has {_ocp.ParameterCount}.", nameof(theta));
        if (context.Length != _ocp.ContextCount) throw new ArgumentException($"The context has {context.Length} entries; OCP '{_ocp.Name}' has {_ocp.ContextCount}.", nameof(context));
        int n = _ocp.StateCount, rows = _ocp.Layout.VariableCount;
        for (int k = 0; k < demonstrations.Count; k++)
        {
            var demo = demonstrations[k];
            if (demo.InitialState.Length != n || demo.Trajectory.Length != rows)
                throw new ArgumentException(
                    $"Demonstration {k} has |x̄₀| = {demo.InitialState.Length} and |ζ̄| = {demo.Trajectory.Length}; OCP '{_ocp.Name}' needs n = {n} and (H + 1)·n + H·m = {rows}.",
                    nameof(demonstrations));
            if (!demo.InitialState.All(double.IsFinite) || !demo.Trajectory.All(double.IsFinite))
                throw new ArgumentException($"Demonstration {k} has a non-finite entry.", nameof(demonstrations));
        }
    }

    /// <summary>Frees the solver.</summary>
    public void Dispose() => _solver.Dispose();
}
