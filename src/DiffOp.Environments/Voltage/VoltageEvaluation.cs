namespace DiffOp.Environments.Voltage;

/// <summary>
/// The published evaluation protocol of the voltage benchmark (docs/environments-voltage.md): scenarios
/// 0..N−1 (RandomState(k)), each run for a fixed number of steps without early stop from q = 0; transient
/// cost = mean Σ_{t=1}^{steps} γ^t F(q_t), steady-state cost = mean F(q_steps).
/// </summary>
/// <remarks>
/// A step whose power flow has no solution counts the scenario in
/// <see cref="VoltageEvaluationResult.PowerFlowFailures"/>; that step and every remaining step of the
/// scenario are charged <see cref="VoltageSettings.PowerFlowFailureCostPerStep"/> (discounted like F, so
/// failing is never cheaper than continuing), and its steady-state cost is that penalty.
/// </remarks>
public sealed class VoltageEvaluation
{
    /// <summary>Creates the protocol.</summary>
    /// <param name="settings">Box, weights and power-flow settings; null = <see cref="VoltageSettings.Evaluation"/>. Its episode length is replaced by <paramref name="steps"/>.</param>
    /// <param name="scenarios">Number of scenarios N (≥ 1). Default 500.</param>
    /// <param name="steps">Steps per scenario (≥ 1). Default 100.</param>
    /// <param name="discount">Discount γ of the transient cost, in (0, 1]. Default 0.99.</param>
    /// <exception cref="ArgumentException">A value is out of range or the settings are invalid.</exception>
    public VoltageEvaluation(VoltageSettings? settings = null, int scenarios = 500, int steps = 100, double discount = 0.99)
    {
        if (scenarios < 1)
        {
            throw new ArgumentException($"VoltageEvaluation needs at least 1 scenario, got {scenarios}.", nameof(scenarios));
        }

        if (steps < 1)
        {
            throw new ArgumentException($"VoltageEvaluation needs at least 1 step per scenario, got {steps}.", nameof(steps));
        }

        if (!(discount > 0 && discount <= 1))
        {
            throw new ArgumentException($"VoltageEvaluation: the discount must be in (0, 1], got {discount}.", nameof(discount));
        }

        Settings = (settings ?? VoltageSettings.Evaluation) with { EpisodeLength = steps };
        Settings.Validate();
        Scenarios = scenarios;
        Steps = steps;
        Discount = discount;
    }

    /// <summary>The environment settings used (episode length = <see cref="Steps"/>).</summary>
    public VoltageSettings Settings { get; }

    /// <summary>Number of scenarios N (scenarios 0..N−1).</summary>
    public int Scenarios { get; }

    /// <summary>Steps per scenario.</summary>
    public int Steps { get; }

    /// <summary>Discount γ of the transient cost.</summary>
    public double Discount { get; }

    /// <summary>Runs <paramref name="controller"/> on every scenario.</summary>
    /// <param name="controller">The feedback law u = π(x).</param>
    /// <param name="onScenarioStart">Optional hook called with the scenario index before its first step (e.g. to reset a stateful policy).</param>
    /// <returns>The metrics.</returns>
    public VoltageEvaluationResult Run(VoltageControlLaw controller, Action<int>? onScenarioStart = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var env = new VoltageEnvironment(Settings);
        var state = new double[env.StateCount];
        var next = new double[env.StateCount];
        var u = new double[env.ControlCount];
        var transient = new double[Scenarios];
        var steady = new double[Scenarios];
        int failures = 0;
        for (int k = 0; k < Scenarios; k++)
        {
            env.Reset(k, state);
            onScenarioStart?.Invoke(k);
            double sum = 0, weight = 1, last = 0;
            for (int t = 1; t <= Steps; t++)
            {
                weight *= Discount;
                Array.Clear(u);
                controller(state, u);
                var r = env.Step(u, next);
                if (r.Failed)
                {
                    failures++;
                    last = Settings.PowerFlowFailureCostPerStep;
                    for (int rest = t; rest <= Steps; rest++, weight *= Discount)
                    {
                        sum += weight * last;
                    }

                    break;
                }

                last = r.Cost;
                sum += weight * r.Cost;

                (state, next) = (next, state);
            }

            transient[k] = sum;
            steady[k] = last;
        }

        return new VoltageEvaluationResult(transient.Average(), steady.Average(), Scenarios, failures, Array.AsReadOnly(transient), Array.AsReadOnly(steady));
    }
}
