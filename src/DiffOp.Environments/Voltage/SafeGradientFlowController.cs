namespace DiffOp.Environments.Voltage;

/// <summary>
/// The "safe gradient flow" baseline of docs/environments-voltage.md, per controlled bus:
/// u_i = clip(−(C_i q_i + v_i² − 1), α(q_min,i − q_i), α(q_max,i − q_i)), so that q + u stays inside the
/// box for α ≤ 1. Stateless and allocation-free.
/// </summary>
public sealed class SafeGradientFlowController
{
    private readonly double[] _qMin;
    private readonly double[] _qMax;
    private readonly double[] _costWeights;

    /// <summary>Creates the controller for the given box and cost weights.</summary>
    /// <param name="settings">Supplies q_min, q_max and C; null = <see cref="VoltageSettings.Evaluation"/>.</param>
    /// <param name="alpha">Step factor α toward the box bounds, in (0, 1]. Default 0.5.</param>
    /// <exception cref="ArgumentException">The settings are invalid or α is outside (0, 1].</exception>
    public SafeGradientFlowController(VoltageSettings? settings = null, double alpha = 0.5)
    {
        var s = settings ?? VoltageSettings.Evaluation;
        s.Validate();
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentException($"SafeGradientFlowController: alpha must be in (0, 1], got {alpha}.", nameof(alpha));
        }

        Alpha = alpha;
        _qMin = s.ReactivePowerMin.ToArray();
        _qMax = s.ReactivePowerMax.ToArray();
        _costWeights = s.CostWeights.ToArray();
    }

    /// <summary>The step factor α toward the box bounds.</summary>
    public double Alpha { get; }

    /// <summary>Computes u from x = [v, q, v0].</summary>
    /// <param name="state">The state (length 9).</param>
    /// <param name="control">Receives u (length 3).</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Compute(ReadOnlySpan<double> state, Span<double> control)
    {
        if (state.Length != 9 || control.Length != 3)
        {
            throw new ArgumentException($"SafeGradientFlowController expects a state of length 9 and a control of length 3, got {state.Length} and {control.Length}.");
        }

        for (int i = 0; i < 3; i++)
        {
            double v = state[i], q = state[3 + i];
            double lower = Alpha * (_qMin[i] - q);
            double upper = Alpha * (_qMax[i] - q);
            double step = -((_costWeights[i] * q) + (v * v) - 1.0);
            control[i] = Math.Min(Math.Max(step, lower), upper);
        }
    }

    /// <summary>This controller as a <see cref="VoltageControlLaw"/> delegate.</summary>
    /// <returns>A delegate calling <see cref="Compute"/>.</returns>
    public VoltageControlLaw AsControlLaw() => Compute;
}
