namespace DiffOp.Control.Nlp;

/// <summary>
/// Typed Ipopt settings with the project's defaults. Gradients need an accurate KKT point, hence the
/// tight default tolerance. Anything not covered here goes through <see cref="Extra"/>, whose values
/// must be <see cref="string"/>, <see cref="int"/> or <see cref="double"/>; Ipopt validates every name,
/// and a refused one raises <see cref="IpoptOptionException"/>.
/// </summary>
public sealed record IpoptOptions
{
    /// <summary>Convergence tolerance on the scaled KKT error (Ipopt <c>tol</c>). Default 1e-8.</summary>
    public double Tolerance { get; init; } = DefaultTolerance;

    /// <summary>Iteration limit (<c>max_iter</c>). Default 3000.</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    internal const double DefaultTolerance = 1e-8;
    internal const int DefaultMaxIterations = 3000;

    /// <summary>Console verbosity 0–12 (<c>print_level</c>). Default 0 (silent).</summary>
    public int PrintLevel { get; init; }

    /// <summary>Barrier update strategy (<c>mu_strategy</c>): "adaptive" (default) or "monotone".</summary>
    public string MuStrategy { get; init; } = "adaptive";

    /// <summary>Ipopt's linear solver (<c>linear_solver</c>); Debian's build ships "mumps".</summary>
    public string LinearSolver { get; init; } = "mumps";

    /// <summary>Wall-clock-free CPU time limit in seconds (<c>max_cpu_time</c>); null = Ipopt's default.</summary>
    public double? MaxCpuTimeSeconds { get; init; }

    /// <summary>Initial barrier parameter for warm starts (<c>mu_init</c>); null = Ipopt's default (0.1).</summary>
    public double? WarmStartMuInit { get; init; } = 1e-6;

    /// <summary>Further options by Ipopt name.</summary>
    public IReadOnlyDictionary<string, object> Extra { get; init; } = new Dictionary<string, object>();

    /// <summary>
    /// Called after every Ipopt iteration (from Ipopt's intermediate callback, on the solving thread), e.g. to show the
    /// progress of a long solve. An exception it throws stops the solve and is rethrown by Solve. Null: no calls.
    /// </summary>
    public Action<IpoptIterate>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
            throw new ArgumentException($"IpoptOptions.Tolerance must be a positive finite number, got {Tolerance}.", nameof(Tolerance));
        if (MaxIterations < 0)
            throw new ArgumentException($"IpoptOptions.MaxIterations must be ≥ 0, got {MaxIterations}.", nameof(MaxIterations));
        if (PrintLevel is < 0 or > 12)
            throw new ArgumentException($"IpoptOptions.PrintLevel must be in 0..12, got {PrintLevel}.", nameof(PrintLevel));
        foreach (var (key, value) in Extra)
        {
            if (value is not (string or int or double))
                throw new ArgumentException(
                    $"IpoptOptions.Extra['{key}'] has type {value?.GetType().Name ?? "null"}; use string, int or double.", nameof(Extra));
        }
    }
}

/// <summary>One Ipopt iteration as its intermediate callback reports it (the columns of Ipopt's own iteration table).</summary>
/// <param name="Iteration">Iteration number (0 = the starting point).</param>
/// <param name="Objective">Objective value (of the scaled problem, as Ipopt prints it).</param>
/// <param name="PrimalInfeasibility">inf_pr: largest constraint violation.</param>
/// <param name="DualInfeasibility">inf_du: largest dual infeasibility.</param>
/// <param name="BarrierParameter">μ.</param>
/// <param name="StepNorm">‖d‖∞ of the step.</param>
public readonly record struct IpoptIterate(int Iteration, double Objective, double PrimalInfeasibility, double DualInfeasibility, double BarrierParameter, double StepNorm);
