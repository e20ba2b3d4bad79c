namespace DiffOp.Environments.Voltage;

/// <summary>The two scenario families of the voltage benchmark (docs/environments-voltage.md).</summary>
public enum VoltageScenarioKind
{
    /// <summary>Scenario 0: low voltage at peak load (generators 0–2 absorb active power).</summary>
    LowVoltage = 0,

    /// <summary>Scenario 1: high voltage from a photovoltaic excess (generators 0–5, 10, 11 inject).</summary>
    HighVoltage = 1,
}
