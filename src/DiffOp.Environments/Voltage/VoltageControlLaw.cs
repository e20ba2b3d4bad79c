namespace DiffOp.Environments.Voltage;

/// <summary>
/// A feedback controller for the voltage benchmark: reads the state x = [v, q, v0] (length 9) and writes
/// the reactive-power increment u (MVAr, length 3). Any policy (the safe-gradient-flow baseline, a
/// trained optimization policy) can be plugged into <see cref="VoltageEvaluation"/> this way.
/// </summary>
/// <param name="state">The current state x (length 9).</param>
/// <param name="control">Receives the control u (length 3).</param>
public delegate void VoltageControlLaw(ReadOnlySpan<double> state, Span<double> control);
