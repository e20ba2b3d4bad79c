namespace DiffOp.Learning.Algorithms;

/// <summary>The outcome of <see cref="LevenbergMarquardt.Minimize"/>.</summary>
internal sealed record LeastSquaresFit(double[] Theta, double InitialLoss, double Loss, int Iterations, bool Converged, IReadOnlyList<double> LossHistory);

/// <summary>
/// Levenberg–Marquardt for a sum of squares over some entries of θ (the others fixed): each iteration solves
/// (JᵀJ + λ·diag JᵀJ) Δ = Jᵀr, projects θ + Δ onto the lower bounds, and accepts it when the loss does not rise; otherwise
/// λ grows tenfold and the step is retried. Shared by system identification and imitation.
/// </summary>
internal static class LevenbergMarquardt
{
    /// <param name="theta0">The start (not modified).</param>
    /// <param name="fitted">Indices of the entries to fit (k of them).</param>
    /// <param name="lowerBounds">Optional lower bounds on θ (length d).</param>
    /// <param name="loss">ℓ(θ); +∞ when it cannot be evaluated there.</param>
    /// <param name="normalEquations">At θ, fills JᵀJ (k×k row-major) and Jᵀr (k) of the residuals r (so that Δ = (JᵀJ)⁻¹Jᵀr lowers ℓ); both arrays arrive zeroed.</param>
    /// <param name="options">Iteration limit, step tolerance and initial damping.</param>
    public static LeastSquaresFit Minimize(double[] theta0, IReadOnlyList<int> fitted, IReadOnlyList<double>? lowerBounds,
        Func<double[], double> loss, Action<double[], double[], double[]> normalEquations, LeastSquaresOptions options)
    {
        int k = fitted.Count;
        var theta = (double[])theta0.Clone();
        double current = loss(theta), initial = current, damping = options.InitialDamping;
        var history = new List<double> { current };
        var jtj = new double[k * k]; var jtr = new double[k];
        var system = new double[k * k]; var step = new double[k]; var trial = new double[theta.Length];
        bool converged = current == 0;
        if (!double.IsFinite(current)) return new LeastSquaresFit(theta, initial, current, 0, false, history);   // nothing to descend from
        int iteration = 0;
        while (!converged && iteration < options.MaxIterations)
        {
            iteration++;
            Array.Clear(jtj); Array.Clear(jtr);
            normalEquations(theta, jtj, jtr);
            double largest = 0;
            for (int a = 0; a < k; a++) largest = Math.Max(largest, jtj[a * k + a]);
            bool accepted = false;
            for (int attempt = 0; attempt < 40 && !accepted; attempt++)
            {
                // λ on diag JᵀJ, with a floor relative to its largest entry so that directions the data do not see stay put.
                for (int a = 0; a < k; a++)
                    for (int b = 0; b < k; b++)
                        system[a * k + b] = jtj[a * k + b] + (a == b ? damping * Math.Max(jtj[a * k + a], 1e-12 * largest + 1e-300) : 0);
                if (!SolveSymmetric(system, jtr, step, k)) { damping *= 10; continue; }
                theta.CopyTo(trial, 0);
                for (int a = 0; a < k; a++)
                {
                    int i = fitted[a];
                    trial[i] += step[a];
                    if (lowerBounds is not null && trial[i] < lowerBounds[i]) trial[i] = lowerBounds[i];
                }
                double trialLoss = loss(trial);
                if (double.IsFinite(trialLoss) && trialLoss <= current)
                {
                    bool small = true;
                    for (int a = 0; a < k; a++)
                    {
                        int i = fitted[a];
                        if (Math.Abs(trial[i] - theta[i]) > options.StepTolerance * (1 + Math.Abs(theta[i]))) small = false;
                    }
                    trial.CopyTo(theta, 0);
                    current = trialLoss;
                    history.Add(current);
                    damping = Math.Max(damping / 10, 1e-12);
                    accepted = true;
                    converged = small || current == 0;
                }
                else
                {
                    damping *= 10;
                }
            }
            if (!accepted)
            {
                // No step lowers ℓ at any damping: a (local) minimum to working precision — unless ℓ itself is not finite
                // (e.g. every solve failed), which is no minimum at all.
                converged = double.IsFinite(current);
                break;
            }
        }
        return new LeastSquaresFit(theta, initial, current, iteration, converged, history);
    }

    /// <summary>Solves the k×k symmetric positive definite system by Cholesky; false when it is not positive definite.</summary>
    private static bool SolveSymmetric(double[] a, double[] b, double[] x, int k)
    {
        var l = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * k + j];
                for (int p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
                if (i == j)
                {
                    if (!(s > 0)) return false;
                    l[i * k + i] = Math.Sqrt(s);
                }
                else l[i * k + j] = s / l[j * k + j];
            }
        }
        for (int i = 0; i < k; i++)
        {
            double s = b[i];
            for (int p = 0; p < i; p++) s -= l[i * k + p] * x[p];
            x[i] = s / l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
            x[i] = s / l[i * k + i];
        }
        return true;
    }
}
