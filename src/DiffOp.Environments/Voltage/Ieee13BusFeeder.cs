namespace DiffOp.Environments.Voltage;

/// <summary>
/// Network data of the balanced single-phase equivalent of the IEEE 13-node test feeder used by the
/// voltage-control benchmark (docs/environments-voltage.md): 13 buses, 12 series branches, no shunts, no line
/// charging. Base 5 MVA and 4.16 kV at every bus; bus 0 (IEEE 650) is the slack at 1.0∠0° p.u.
/// </summary>
public static class Ieee13BusFeeder
{
    /// <summary>Number of buses (0..12).</summary>
    public const int BusCount = 13;

    /// <summary>Index of the slack bus (IEEE 650), held at 1.0∠0° p.u.</summary>
    public const int SlackBus = 0;

    /// <summary>Power base S_base in MVA.</summary>
    public const double BaseMva = 5.0;

    /// <summary>Voltage base V_base in kV (the same at every bus).</summary>
    public const double BaseKv = 4.16;

    /// <summary>Impedance base Z_base = V_base² / S_base in ohms (3.46112 Ω).</summary>
    public const double BaseOhms = BaseKv * BaseKv / BaseMva;

    /// <summary>IEEE node names of buses 0..12, in bus-index order.</summary>
    public static IReadOnlyList<string> BusNames { get; } = Array.AsReadOnly(new[]
    {
        "650", "632", "645", "633", "646", "671", "634", "684", "680", "692", "611", "652", "675",
    });

    /// <summary>The 12 series branches with their per-unit impedances (docs/environments-voltage.md table).</summary>
    public static IReadOnlyList<FeederBranch> Branches { get; } = Array.AsReadOnly(new[]
    {
        new FeederBranch(0, 1, 0.037907, 0.111409),
        new FeederBranch(1, 2, 0.036376, 0.036867),
        new FeederBranch(1, 3, 0.020600, 0.032331),
        new FeederBranch(2, 4, 0.021814, 0.022103),
        new FeederBranch(3, 6, 0.020600, 0.032331),
        new FeederBranch(1, 5, 0.037907, 0.111409),
        new FeederBranch(5, 7, 0.021727, 0.022276),
        new FeederBranch(7, 10, 0.021814, 0.022132),
        new FeederBranch(7, 11, 0.058767, 0.022132),
        new FeederBranch(5, 8, 0.018953, 0.055705),
        new FeederBranch(5, 9, 0.021843, 0.012221),
        new FeederBranch(9, 12, 0.021843, 0.012221),
    });

    /// <summary>
    /// Buses of the 12 static generators, in generator order: generator i sits at
    /// <c>GeneratorBuses[i]</c> (2, 7, 9, 1, 3, 4, 5, 6, 8, 10, 11, 12).
    /// </summary>
    public static IReadOnlyList<int> GeneratorBuses { get; } = Array.AsReadOnly(new[] { 2, 7, 9, 1, 3, 4, 5, 6, 8, 10, 11, 12 });

    /// <summary>
    /// The three controlled buses 2, 7, 9 (IEEE 645, 684, 692); generators 0, 1, 2 carry the controllers'
    /// reactive power.
    /// </summary>
    public static IReadOnlyList<int> ControlledBuses { get; } = Array.AsReadOnly(new[] { 2, 7, 9 });
}
