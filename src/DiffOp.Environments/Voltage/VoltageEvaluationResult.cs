namespace DiffOp.Environments.Voltage;

/// <summary>The metrics of one <see cref="VoltageEvaluation"/> run (docs/environments-voltage.md).</summary>
/// <param name="TransientCost">Mean over scenarios of Σ_{t=1}^{steps} γ^t F(q_t) (γ = 0.99).</param>
/// <param name="SteadyStateCost">Mean over scenarios of F(q_steps), the cost of the last step.</param>
/// <param name="Scenarios">Number of scenarios evaluated.</param>
/// <param name="PowerFlowFailures">Number of scenarios in which a power flow had no solution.</param>
/// <param name="ScenarioTransientCosts">Per-scenario discounted sums, scenario 0 first.</param>
/// <param name="ScenarioSteadyStateCosts">Per-scenario last-step costs, scenario 0 first.</param>
public sealed record VoltageEvaluationResult(
    double TransientCost,
    double SteadyStateCost,
    int Scenarios,
    int PowerFlowFailures,
    IReadOnlyList<double> ScenarioTransientCosts,
    IReadOnlyList<double> ScenarioSteadyStateCosts);
