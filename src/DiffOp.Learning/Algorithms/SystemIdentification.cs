using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Algorithms;

/// <summary>One observed transition of the true system: x, the applied u, and the next state x₊.</summary>
public sealed record Transition(double[] State, double[] Control, double[] Next);

/// <summary>Settings of the Levenberg–Marquardt fits (<see cref="SystemIdentification.Fit"/>, <see cref="Imitation.Fit"/>).</summary>
public sealed record LeastSquaresOptions
{
    /// <summary>Largest number of Levenberg–Marquardt iterations. Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when a step changes no fitted entry by more than this relative amount (|Δθ_i| ≤ tol·(1 + |θ_i|)). Default 1e-12.</summary>
    public double StepTolerance { get; init; } = 1e-12;

    /// <summary>The Levenberg–Marquardt damping λ at the start (relative to diag JᵀJ); shrinks after good steps. Default 1e-3.</summary>
    public double InitialDamping { get; init; } = 1e-3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxIterations < 1) throw new ArgumentException($"MaxIterations must be at least 1, got {MaxIterations}.", nameof(MaxIterations));
        if (!(StepTolerance > 0) || !double.IsFinite(StepTolerance))
            throw new ArgumentException($"StepTolerance must be positive and finite, got {StepTolerance}.", nameof(StepTolerance));
        if (!(InitialDamping > 0) || !double.IsFinite(InitialDamping))
            throw new ArgumentException($"InitialDamping must be positive and finite, got {InitialDamping}.", nameof(InitialDamping));
    }
}

/// <summary>The outcome of a fit: θ (the fitted entries changed, the rest as given), the loss before and after, and the iterations.</summary>
/// <param name="Theta">θ with the dynamics entries fitted.</param>
/// <param name="FittedEntries">Indices of the θ entries the dynamics depend on (the ones fitted).</param>
/// <param name="InitialLoss">Σ‖x₊ − f(x, u; θ₀)‖² over the data.</param>
/// <param name="Loss">The same at the fitted θ.</param>
/// <param name="Iterations">Levenberg–Marquardt iterations taken.</param>
/// <param name="Converged">True when the last step met the step tolerance (or the loss reached zero); false at the iteration limit.</param>
/// <param name="LossHistory">The loss after each accepted iteration (first entry: the initial loss).</param>
public sealed record SystemIdentificationResult(
    double[] Theta, IReadOnlyList<int> FittedEntries, double InitialLoss, double Loss, int Iterations, bool Converged, IReadOnlyList<double> LossHistory);

/// <summary>
/// System identification, the "model first, control second" baseline: fit the entries of θ that the OCP's dynamics
/// x₊ = f(x, u; θ, p) depend on (θ_f) to observed transitions of the true system by minimizing the one-step prediction
/// error ℓ(θ) = Σ ‖x₊ − f(x, u; θ, p)‖² with Levenberg–Marquardt on the exact symbolic ∂f/∂θ. Cost weights cannot be
/// identified from transitions and keep their given values. For a model linear in θ_f (the voltage task's A) the first
/// step is the exact least-squares solution.
/// </summary>
public sealed class SystemIdentification
{
    private readonly Ocp _ocp;
    private readonly Function _dynamics, _jacobian;
    private readonly int[] _fitted;
    private readonly int _n, _m, _d;

    /// <summary>Compiles f and ∂f/∂θ of <paramref name="ocp"/> and finds the θ entries f depends on.</summary>
    /// <exception cref="ArgumentException">The dynamics depend on no entry of θ (nothing to identify).</exception>
    public SystemIdentification(Ocp ocp)
    {
        _ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        var d = ocp.Definition;
        (string, SxVector)[] inputs = [("x", d.State), ("u", d.Control), ("theta", d.Theta), ("p", d.Context)];
        _dynamics = new Function($"{ocp.Name}_sysid_f", inputs, [("f", SxSparseMatrix.FromVector(d.Dynamics))]);
        var jacobian = Derivatives.Jacobian(d.Dynamics, d.Theta);
        _jacobian = new Function($"{ocp.Name}_sysid_f_theta", inputs, [("f_theta", jacobian)]);
        _fitted = [.. _jacobian.OutputSparsity(0).Columns.ToArray().Distinct().Order()];
        if (_fitted.Length == 0)
            throw new ArgumentException($"The dynamics of OCP '{ocp.Name}' depend on no entry of θ: there is nothing to identify.", nameof(ocp));
        _n = ocp.StateCount; _m = ocp.ControlCount; _d = ocp.ParameterCount;
    }

    /// <summary>Indices of the θ entries the dynamics depend on (the ones <see cref="Fit"/> changes).</summary>
    public IReadOnlyList<int> FittedEntries => _fitted;

    /// <summary>ℓ(θ) = Σ ‖x₊ − f(x, u; θ, p)‖² over <paramref name="data"/>.</summary>
    public double Loss(IReadOnlyList<Transition> data, ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        Check(data, theta, context);
        using var ws = _dynamics.CreateWorkspace();
        return Loss(ws, data, theta, context);
    }

    /// <summary>
    /// Fits θ_f to <paramref name="data"/> from <paramref name="theta0"/>, keeping every other entry; entries are kept at or
    /// above <paramref name="lowerBounds"/> (a physical mass stays positive).
    /// </summary>
    /// <exception cref="ArgumentException">No data, a transition of the wrong size or with a non-finite entry, θ₀ or p of the wrong length.</exception>
    public SystemIdentificationResult Fit(IReadOnlyList<Transition> data, double[] theta0, ReadOnlySpan<double> context,
        IReadOnlyList<double>? lowerBounds = null, LeastSquaresOptions? options = null)
    {
        options ??= new LeastSquaresOptions();
        options.Validate();
        Check(data, theta0, context);
        if (lowerBounds is not null && lowerBounds.Count != _d)
            throw new ArgumentException($"The lower bounds have {lowerBounds.Count} entries; θ has {_d}.", nameof(lowerBounds));
        int k = _fitted.Length;
        double[] p = context.ToArray();
        using var f = _dynamics.CreateWorkspace();
        using var jac = _jacobian.CreateWorkspace();
        var sparsity = _jacobian.OutputSparsity(0);
        var column = new int[_d];
        Array.Fill(column, -1);
        for (int j = 0; j < k; j++) column[_fitted[j]] = j;
        var rowJ = new double[_n * k];

        // Normal equations of the residuals r = x₊ − f (Jacobian −∂f/∂θ_f): JᵀJ and Jᵀr with J = ∂f/∂θ_f.
        void NormalEquations(double[] theta, double[] jtj, double[] jtr)
        {
            foreach (var t in data)
            {
                Load(f, t, theta, p); _dynamics.Evaluate(f);
                Load(jac, t, theta, p); _jacobian.Evaluate(jac);
                Array.Clear(rowJ);
                var values = jac.Output(0);
                for (int e = 0; e < values.Length; e++) rowJ[sparsity.Rows[e] * k + column[sparsity.Columns[e]]] = values[e];
                var prediction = f.Output(0);
                for (int i = 0; i < _n; i++)
                {
                    double r = t.Next[i] - prediction[i];
                    for (int a = 0; a < k; a++)
                    {
                        double ja = rowJ[i * k + a];
                        if (ja == 0) continue;
                        jtr[a] += ja * r;
                        for (int b = 0; b < k; b++) jtj[a * k + b] += ja * rowJ[i * k + b];
                    }
                }
            }
        }

        var fit = LevenbergMarquardt.Minimize(theta0, _fitted, lowerBounds, theta => Loss(f, data, theta, p), NormalEquations, options);
        return new SystemIdentificationResult(fit.Theta, _fitted, fit.InitialLoss, fit.Loss, fit.Iterations, fit.Converged, fit.LossHistory);
    }

    private double Loss(FunctionWorkspace ws, IReadOnlyList<Transition> data, ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        double sum = 0;
        foreach (var t in data)
        {
            Load(ws, t, theta, context);
            _dynamics.Evaluate(ws);
            var prediction = ws.Output(0);
            for (int i = 0; i < _n; i++)
            {
                double r = t.Next[i] - prediction[i];
                sum += r * r;
            }
        }
        return sum;
    }

    private static void Load(FunctionWorkspace ws, Transition t, ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        t.State.CopyTo(ws.Input(0));
        t.Control.CopyTo(ws.Input(1));
        theta.CopyTo(ws.Input(2));
        context.CopyTo(ws.Input(3));
    }

    private void Check(IReadOnlyList<Transition> data, ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("System identification needs at least one transition (x, u, x₊).", nameof(data));
        if (theta.Length != _d) throw new ArgumentException($"θ has {theta.Length} entries; OCP '{_ocp.Name}' has {_d}.", nameof(theta));
        if (context.Length != _ocp.ContextCount) throw new ArgumentException($"The context has {context.Length} entries; OCP '{_ocp.Name}' has {_ocp.ContextCount}.", nameof(context));
        for (int k = 0; k < data.Count; k++)
        {
            var t = data[k];
            if (t.State.Length != _n || t.Next.Length != _n || t.Control.Length != _m)
                throw new ArgumentException($"Transition {k} has |x| = {t.State.Length}, |u| = {t.Control.Length}, |x₊| = {t.Next.Length}; the OCP has n = {_n}, m = {_m}.", nameof(data));
            if (!t.State.All(double.IsFinite) || !t.Control.All(double.IsFinite) || !t.Next.All(double.IsFinite))
                throw new ArgumentException($"Transition {k} has a non-finite entry: drop it (e.g. a step whose simulation failed).", nameof(data));
        }
    }
}
