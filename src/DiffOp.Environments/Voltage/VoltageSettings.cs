namespace DiffOp.Environments.Voltage;

/// <summary>
/// Settings of the voltage-control true system (docs/environments-voltage.md). Use <see cref="Training"/> (the
/// default, third-bus box [−1.0, 1.0] MVAr) or <see cref="Evaluation"/> (third-bus box [−1.0, 0.6] MVAr,
/// the published evaluation limits) and override single values with <c>with</c>.
/// </summary>
public sealed record VoltageSettings
{
    /// <summary>Episode length T of a training episode, in steps. Default 30. Must be ≥ 1.</summary>
    public int EpisodeLength { get; init; } = 30;

    /// <summary>
    /// Lower corner q_min of the reactive-power box at buses 2, 7, 9, in MVAr (length 3).
    /// Default [−1.5, −1.4, −1.0] (training and evaluation).
    /// </summary>
    public IReadOnlyList<double> ReactivePowerMin { get; init; } = Array.AsReadOnly(new[] { -1.5, -1.4, -1.0 });

    /// <summary>
    /// Upper corner q_max of the reactive-power box at buses 2, 7, 9, in MVAr (length 3).
    /// Default (training) [1.5, 1.4, 1.0]; the evaluation preset uses [1.5, 1.4, 0.6].
    /// </summary>
    public IReadOnlyList<double> ReactivePowerMax { get; init; } = Array.AsReadOnly(new[] { 1.5, 1.4, 1.0 });

    /// <summary>
    /// Weights C of the reactive-power cost ½ Σ C_i q_i² in F(q) (length 3, non-negative).
    /// Default [0.105, 0.075, 0.09].
    /// </summary>
    public IReadOnlyList<double> CostWeights { get; init; } = Array.AsReadOnly(new[] { 0.105, 0.075, 0.09 });

    /// <summary>Convergence tolerance of the power flow (largest |ΔV| per sweep, p.u.). Default 1e-10.</summary>
    public double PowerFlowTolerance { get; init; } = 1e-10;

    /// <summary>Iteration cap of the power flow (sweeps). Default 200.</summary>
    public int PowerFlowMaxIterations { get; init; } = 200;

    /// <summary>
    /// Penalty per step for a power flow without solution. The failing step costs this value times the
    /// number of steps the episode still had (counting the failing step, i.e. T − t + 1 at step t), the
    /// episode then ends with <see cref="DiffOp.Learning.StepResult.Failed"/> = true; so failing is charged
    /// as if every remaining step cost the penalty. Default 2.5, above the largest F(q) reachable in the
    /// training box (about 1.97 over scenarios 0..499), so a failure is never cheaper than any feasible
    /// continuation. <see cref="VoltageEvaluation"/> charges it (discounted) for every remaining step.
    /// Must be finite.
    /// </summary>
    public double PowerFlowFailureCostPerStep { get; init; } = 2.5;

    /// <summary>The training preset (all defaults): q box [−1.5, 1.5] × [−1.4, 1.4] × [−1.0, 1.0] MVAr.</summary>
    public static VoltageSettings Training { get; } = new();

    /// <summary>
    /// The evaluation preset of the published protocol: q box [−1.5, 1.5] × [−1.4, 1.4] × [−1.0, 0.6] MVAr,
    /// other values as <see cref="Training"/>.
    /// </summary>
    public static VoltageSettings Evaluation { get; } = new()
    {
        ReactivePowerMax = Array.AsReadOnly(new[] { 1.5, 1.4, 0.6 }),
    };

    /// <summary>The power-flow options these settings imply.</summary>
    /// <returns>Options with <see cref="PowerFlowTolerance"/> and <see cref="PowerFlowMaxIterations"/>.</returns>
    public PowerFlowOptions ToPowerFlowOptions() => new()
    {
        Tolerance = PowerFlowTolerance,
        MaxIterations = PowerFlowMaxIterations,
    };

    /// <summary>Checks every setting; throws an <see cref="ArgumentException"/> that names the first bad one.</summary>
    /// <exception cref="ArgumentException">A setting is missing, non-finite or out of range.</exception>
    public void Validate()
    {
        if (EpisodeLength < 1)
        {
            throw new ArgumentException($"VoltageSettings.EpisodeLength (T) must be at least 1 step, got {EpisodeLength}.", nameof(EpisodeLength));
        }

        CheckVector(ReactivePowerMin, nameof(ReactivePowerMin));
        CheckVector(ReactivePowerMax, nameof(ReactivePowerMax));
        CheckVector(CostWeights, nameof(CostWeights));
        for (int i = 0; i < 3; i++)
        {
            if (ReactivePowerMin[i] > ReactivePowerMax[i])
            {
                throw new ArgumentException(
                    $"VoltageSettings: the q box lower bound of controlled bus {Ieee13BusFeeder.ControlledBuses[i]} ({ReactivePowerMin[i]} MVAr) is above its upper bound ({ReactivePowerMax[i]} MVAr).",
                    nameof(ReactivePowerMin));
            }

            if (CostWeights[i] < 0)
            {
                throw new ArgumentException($"VoltageSettings.CostWeights must be non-negative, got C[{i}] = {CostWeights[i]}.", nameof(CostWeights));
            }
        }

        if (!double.IsFinite(PowerFlowTolerance) || PowerFlowTolerance <= 0)
        {
            throw new ArgumentException($"VoltageSettings.PowerFlowTolerance must be positive and finite, got {PowerFlowTolerance}.", nameof(PowerFlowTolerance));
        }

        if (PowerFlowMaxIterations < 1)
        {
            throw new ArgumentException($"VoltageSettings.PowerFlowMaxIterations must be at least 1, got {PowerFlowMaxIterations}.", nameof(PowerFlowMaxIterations));
        }

        if (!double.IsFinite(PowerFlowFailureCostPerStep))
        {
            throw new ArgumentException($"VoltageSettings.PowerFlowFailureCostPerStep must be finite, got {PowerFlowFailureCostPerStep}.", nameof(PowerFlowFailureCostPerStep));
        }
    }

    /// <summary>Value equality, comparing the bound and weight vectors element by element.</summary>
    /// <param name="other">The settings to compare with.</param>
    /// <returns>True when every setting is equal.</returns>
    public bool Equals(VoltageSettings? other)
        => other is not null
            && EpisodeLength == other.EpisodeLength
            && SameValues(ReactivePowerMin, other.ReactivePowerMin)
            && SameValues(ReactivePowerMax, other.ReactivePowerMax)
            && SameValues(CostWeights, other.CostWeights)
            && PowerFlowTolerance.Equals(other.PowerFlowTolerance)
            && PowerFlowMaxIterations == other.PowerFlowMaxIterations
            && PowerFlowFailureCostPerStep.Equals(other.PowerFlowFailureCostPerStep);

    /// <summary>A hash consistent with <see cref="Equals(VoltageSettings?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(EpisodeLength);
        foreach (var list in new[] { ReactivePowerMin, ReactivePowerMax, CostWeights })
        {
            foreach (var value in list ?? [])
            {
                hash.Add(value);
            }
        }

        hash.Add(PowerFlowTolerance);
        hash.Add(PowerFlowMaxIterations);
        hash.Add(PowerFlowFailureCostPerStep);
        return hash.ToHashCode();
    }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"EpisodeLength = {EpisodeLength}, ReactivePowerMin = [{Join(ReactivePowerMin)}], ReactivePowerMax = [{Join(ReactivePowerMax)}], ");
        builder.Append($"CostWeights = [{Join(CostWeights)}], PowerFlowTolerance = {PowerFlowTolerance}, PowerFlowMaxIterations = {PowerFlowMaxIterations}, ");
        builder.Append($"PowerFlowFailureCostPerStep = {PowerFlowFailureCostPerStep}");
        return true;
    }

    private static string Join(IReadOnlyList<double>? values)
        => values is null ? "null" : string.Join(", ", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static bool SameValues(IReadOnlyList<double>? a, IReadOnlyList<double>? b)
        => ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b));

    private static void CheckVector(IReadOnlyList<double>? values, string name)
    {
        if (values is null || values.Count != 3)
        {
            throw new ArgumentException($"VoltageSettings.{name} needs 3 values (buses 2, 7, 9), got {values?.Count.ToString() ?? "null"}.", name);
        }

        for (int i = 0; i < 3; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"VoltageSettings.{name}[{i}] must be finite, got {values[i]}.", name);
            }
        }
    }
}

