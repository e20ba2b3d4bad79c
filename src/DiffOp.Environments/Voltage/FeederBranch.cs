namespace DiffOp.Environments.Voltage;

/// <summary>
/// One series branch of a radial distribution feeder in per-unit: the impedance z = r + j·x between
/// the <see cref="From"/> bus (closer to the slack) and the <see cref="To"/> bus. No shunt elements.
/// </summary>
/// <param name="From">Upstream bus index (towards the slack bus).</param>
/// <param name="To">Downstream bus index.</param>
/// <param name="Resistance">Series resistance r in per-unit of the feeder's impedance base.</param>
/// <param name="Reactance">Series reactance x in per-unit of the feeder's impedance base.</param>
public readonly record struct FeederBranch(int From, int To, double Resistance, double Reactance);
