using System.Globalization;

namespace DiffOp.Environments.Common;

/// <summary>
/// Settings shared by the cart-pole, robot-arm and quadrotor tasks (docs/environments.md): the true system (dt, T,
/// initial-state set, physical parameters, cost weights, control weight) and the policy (horizon H, known bounds,
/// spread σ0 of the initial θ). Each environment's derived record sets the documented defaults; override single values
/// with <c>with</c> or with <see cref="SettingsOverrideParser"/> (<c>--set key=value</c>).
/// </summary>
public abstract record ControlTaskSettings
{
    /// <summary>Time step dt of the Euler discretisation, in seconds (key <c>dt</c>). Must be positive.</summary>
    public double TimeStep { get; init; }

    /// <summary>Episode length T in steps (key <c>T</c>); also the horizon of Traj mode. At least 1.</summary>
    public int EpisodeLength { get; init; }

    /// <summary>Policy horizon H of Step mode, in control steps (key <c>H</c>). At least 1.</summary>
    public int Horizon { get; init; }

    /// <summary>
    /// The set of initial states x0 that <see cref="DiffOp.Learning.IEnvironment.Reset"/> draws from uniformly (each
    /// of length n). The key <c>x0</c> replaces the whole set by one state.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>> InitialStates { get; init; } = [];

    /// <summary>True physical parameters of the simulator, in the order of <see cref="PhysicalParameterNames"/> (key <c>params</c>). Positive.</summary>
    public IReadOnlyList<double> PhysicalParameters { get; init; } = [];

    /// <summary>True cost weights, in the order of <see cref="CostWeightNames"/> (key <c>weights</c>). Non-negative.</summary>
    public IReadOnlyList<double> CostWeights { get; init; } = [];

    /// <summary>Fixed control weight w_u of the cost (key <c>wu</c>; wthrust for the quadrotor). Non-negative.</summary>
    public double ControlWeight { get; init; }

    /// <summary>Known bound u_max on every control component, |u_i| ≤ u_max (key <c>u_max</c>); null = unbounded.</summary>
    public double? ControlLimit { get; init; }

    /// <summary>
    /// Known state bound (key <c>x_max</c>); its meaning is environment-specific (<see cref="StateLimitMeaning"/>);
    /// null = unbounded.
    /// </summary>
    public double? StateLimit { get; init; }

    /// <summary>Spread σ0 of the initial policy parameters: θ_init = θ_true + U(−σ0/2, σ0/2) per entry (key <c>sigma0</c>). Non-negative.</summary>
    public double InitialSpread { get; init; }

    /// <summary>
    /// Stage cost reported by a step whose next state is not finite (the simulation diverged); that step ends the
    /// episode with <see cref="DiffOp.Learning.StepResult.Failed"/> = true. Default 1e6. Not a command-line key.
    /// </summary>
    public double FailureCost { get; init; } = 1e6;

    /// <summary>The environment's command-line name.</summary>
    public abstract string EnvironmentName { get; }

    /// <summary>State dimension n.</summary>
    public abstract int StateCount { get; }

    /// <summary>Control dimension m.</summary>
    public abstract int ControlCount { get; }

    /// <summary>Names of the physical parameters (the learnable block θ_f), in order.</summary>
    public abstract IReadOnlyList<string> PhysicalParameterNames { get; }

    /// <summary>Names of the cost weights (θ_c and θ_H), in order.</summary>
    public abstract IReadOnlyList<string> CostWeightNames { get; }

    /// <summary>Fixed constants appended to the physical parameters when the equations are evaluated (e.g. g).</summary>
    public abstract IReadOnlyList<double> FixedConstants { get; }

    /// <summary>What <see cref="StateLimit"/> bounds, in words (for help texts).</summary>
    public abstract string StateLimitMeaning { get; }

    /// <summary>Checks every setting; the message names the setting key, the expected range and the value received.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, non-finite or has the wrong length.</exception>
    public void Validate()
    {
        string env = EnvironmentName;
        if (!double.IsFinite(TimeStep) || TimeStep <= 0)
        {
            throw new ArgumentException($"{env}: dt (time step) must be positive and finite; got {Format(TimeStep)}.", nameof(TimeStep));
        }

        if (EpisodeLength < 1)
        {
            throw new ArgumentException($"{env}: T (episode length) must be at least 1 step; got {EpisodeLength}.", nameof(EpisodeLength));
        }

        if (Horizon < 1)
        {
            throw new ArgumentException($"{env}: H (policy horizon) must be at least 1 step; got {Horizon}.", nameof(Horizon));
        }

        if (InitialStates is null || InitialStates.Count == 0)
        {
            throw new ArgumentException($"{env}: x0 needs at least one initial state.", nameof(InitialStates));
        }

        for (int k = 0; k < InitialStates.Count; k++)
        {
            CheckVector(InitialStates[k], StateCount, $"x0 (initial state {k})", allowNegative: true, allowZero: true, nameof(InitialStates));
        }

        CheckVector(PhysicalParameters, PhysicalParameterNames.Count, $"params ({string.Join(", ", PhysicalParameterNames)})", allowNegative: false, allowZero: false, nameof(PhysicalParameters));
        CheckVector(CostWeights, CostWeightNames.Count, $"weights ({string.Join(", ", CostWeightNames)})", allowNegative: false, allowZero: true, nameof(CostWeights));
        CheckScalar(ControlWeight, "wu (control weight)", allowZero: true, nameof(ControlWeight));
        if (ControlLimit is double uMax)
        {
            CheckScalar(uMax, "u_max (control bound)", allowZero: false, nameof(ControlLimit));
        }

        if (StateLimit is double xMax)
        {
            CheckScalar(xMax, $"x_max ({StateLimitMeaning})", allowZero: false, nameof(StateLimit));
        }

        CheckScalar(InitialSpread, "sigma0 (spread of the initial θ)", allowZero: true, nameof(InitialSpread));
        if (!double.IsFinite(FailureCost))
        {
            throw new ArgumentException($"{env}: the failure cost must be finite; got {Format(FailureCost)}.", nameof(FailureCost));
        }
    }

    private void CheckScalar(double value, string what, bool allowZero, string parameterName)
    {
        if (!double.IsFinite(value) || value < 0 || (!allowZero && value == 0))
        {
            string range = allowZero ? "non-negative" : "positive";
            throw new ArgumentException($"{EnvironmentName}: {what} must be {range} and finite; got {Format(value)}.", parameterName);
        }
    }

    private void CheckVector(IReadOnlyList<double>? values, int length, string what, bool allowNegative, bool allowZero, string parameterName)
    {
        if (values is null || values.Count != length)
        {
            throw new ArgumentException($"{EnvironmentName}: {what} needs {length} values; got {values?.Count ?? 0}.", parameterName);
        }

        for (int i = 0; i < length; i++)
        {
            double v = values[i];
            bool bad = !double.IsFinite(v) || (!allowNegative && v < 0) || (!allowZero && v == 0);
            if (bad)
            {
                string range = allowNegative ? "finite" : allowZero ? "non-negative and finite" : "positive and finite";
                throw new ArgumentException($"{EnvironmentName}: {what} entry {i} must be {range}; got {Format(v)}.", parameterName);
            }
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
