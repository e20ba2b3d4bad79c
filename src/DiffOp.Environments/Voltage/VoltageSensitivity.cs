namespace DiffOp.Environments.Voltage;

/// <summary>
/// The sensitivity S = ∂|V|/∂q of the controlled voltages (buses 2, 7, 9) to the controllers' reactive power, from
/// central finite differences of the AC power flow: S_ij ≈ (v_i(q + h e_j) − v_i(q − h e_j)) / (2h), in p.u. per MVAr.
/// It is the "true" A of the policy's linear model v' = A q' + v0 (docs/environments-voltage.md) at the operating point.
/// </summary>
public static class VoltageSensitivity
{
    /// <summary>Default finite-difference step h, in MVAr (truncation error O(h²) ≈ 1e-9, power-flow noise ≈ 1e-10/h).</summary>
    public const double DefaultStep = 1e-3;

    /// <summary>S at q = 0 for scenario <paramref name="scenario"/> (RandomState seed, §7.2).</summary>
    /// <param name="scenario">Scenario index (≥ 0).</param>
    /// <param name="settings">Power-flow tolerance and cap; null = <see cref="VoltageSettings.Training"/>.</param>
    /// <param name="step">Finite-difference step h in MVAr (positive, finite).</param>
    /// <returns>S as a 3×3 row-major array: entry [3i + j] = ∂v_i/∂q_j.</returns>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    /// <exception cref="InvalidOperationException">A perturbed power flow has no solution (not the case for the benchmark scenarios).</exception>
    public static double[] AtZeroReactivePower(int scenario, VoltageSettings? settings = null, double step = DefaultStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scenario);
        var rng = new NumpyRandomState(scenario);
        var generatorP = new double[VoltageScenario.GeneratorCount];
        VoltageScenario.DrawGeneratorPower(rng, generatorP);
        var busP = new double[Ieee13BusFeeder.BusCount];
        VoltageScenario.AddGeneratorInjections(generatorP, busP);
        return Compute(busP, [0, 0, 0], settings, step, $"scenario {scenario}");
    }

    /// <summary>S at the given bus injections and controller reactive powers q.</summary>
    /// <param name="activePowerMw">Active power per bus in MW (length 13, positive = generation).</param>
    /// <param name="reactivePower">q at buses 2, 7, 9 in MVAr (length 3).</param>
    /// <param name="settings">Power-flow tolerance and cap; null = <see cref="VoltageSettings.Training"/>.</param>
    /// <param name="step">Finite-difference step h in MVAr (positive, finite).</param>
    /// <returns>S as a 3×3 row-major array: entry [3i + j] = ∂v_i/∂q_j.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length or <paramref name="step"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">A perturbed power flow has no solution.</exception>
    public static double[] Compute(ReadOnlySpan<double> activePowerMw, ReadOnlySpan<double> reactivePower, VoltageSettings? settings = null, double step = DefaultStep)
        => Compute(activePowerMw, reactivePower, settings, step, "the given operating point");

    private static double[] Compute(ReadOnlySpan<double> activePowerSpan, ReadOnlySpan<double> reactivePowerSpan, VoltageSettings? settings, double step, string where)
    {
        if (activePowerSpan.Length != Ieee13BusFeeder.BusCount || reactivePowerSpan.Length != 3)
        {
            throw new ArgumentException(
                $"VoltageSensitivity expects {Ieee13BusFeeder.BusCount} bus active powers and 3 reactive powers, got {activePowerSpan.Length} and {reactivePowerSpan.Length}.");
        }

        double[] activePowerMw = activePowerSpan.ToArray(), reactivePower = reactivePowerSpan.ToArray();

        if (!double.IsFinite(step) || step <= 0)
        {
            throw new ArgumentException($"VoltageSensitivity: the finite-difference step must be positive and finite, got {step}.", nameof(step));
        }

        var s = settings ?? VoltageSettings.Training;
        s.Validate();
        var powerFlow = new PowerFlow(s.ToPowerFlowOptions());
        var busQ = new double[Ieee13BusFeeder.BusCount];
        var busV = new double[Ieee13BusFeeder.BusCount];
        var plus = new double[3];
        var minus = new double[3];
        var sensitivity = new double[9];
        var buses = Ieee13BusFeeder.ControlledBuses;
        for (int j = 0; j < 3; j++)
        {
            Solve(+step, plus);
            Solve(-step, minus);
            for (int i = 0; i < 3; i++)
            {
                sensitivity[(3 * i) + j] = (plus[i] - minus[i]) / (2 * step);
            }

            void Solve(double delta, double[] target)
            {
                Array.Clear(busQ);
                for (int k = 0; k < 3; k++)
                {
                    busQ[buses[k]] += reactivePower[k] + (k == j ? delta : 0);
                }

                var result = powerFlow.Solve(activePowerMw, busQ, busV);
                if (!result.Converged)
                {
                    throw new InvalidOperationException(
                        $"VoltageSensitivity at {where}: the power flow with q_{j} perturbed by {delta} MVAr did not converge ({result.Status}).");
                }

                for (int k = 0; k < 3; k++)
                {
                    target[k] = busV[buses[k]];
                }
            }
        }

        return sensitivity;
    }
}
