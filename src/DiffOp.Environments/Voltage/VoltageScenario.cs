namespace DiffOp.Environments.Voltage;

/// <summary>
/// One operating scenario of the voltage benchmark: the active power of the 12 static generators and the
/// resulting uncontrolled voltages v0 at the controlled buses 2, 7, 9 (docs/environments-voltage.md). Scenario k
/// is drawn from <c>RandomState(k)</c> exactly as in the published evaluation.
/// </summary>
/// <param name="Seed">The RandomState seed the scenario was drawn with.</param>
/// <param name="Kind">Low-voltage (peak load) or high-voltage (PV excess).</param>
/// <param name="GeneratorActivePowerMw">P of generators 0..11 in MW (positive = generation); generator i sits at <see cref="Ieee13BusFeeder.GeneratorBuses"/>[i].</param>
/// <param name="InitialVoltages">v0: |V| (p.u.) at buses 2, 7, 9 with zero reactive power.</param>
public sealed record VoltageScenario(
    int Seed,
    VoltageScenarioKind Kind,
    IReadOnlyList<double> GeneratorActivePowerMw,
    IReadOnlyList<double> InitialVoltages)
{
    /// <summary>Number of static generators (12).</summary>
    public const int GeneratorCount = 12;

    /// <summary>Draws scenario <paramref name="seed"/> and computes its v0 with a power flow at q = 0.</summary>
    /// <param name="seed">Scenario index = RandomState seed (≥ 0).</param>
    /// <param name="powerFlow">Solver to use; null = a new IEEE 13-bus <see cref="PowerFlow"/> with default options.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The q = 0 power flow of the scenario has no solution.</exception>
    public static VoltageScenario Generate(int seed, PowerFlow? powerFlow = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        var rng = new NumpyRandomState(seed);
        var p = new double[GeneratorCount];
        var kind = DrawGeneratorPower(rng, p);
        var v0 = new double[3];
        var pf = powerFlow ?? new PowerFlow();
        var busP = new double[Ieee13BusFeeder.BusCount];
        var busQ = new double[Ieee13BusFeeder.BusCount];
        var busV = new double[Ieee13BusFeeder.BusCount];
        AddGeneratorInjections(p, busP);
        var result = pf.Solve(busP, busQ, busV);
        if (!result.Converged)
        {
            throw new InvalidOperationException($"Voltage scenario {seed}: the power flow without reactive power did not converge ({result.Status}).");
        }

        for (int i = 0; i < 3; i++)
        {
            v0[i] = busV[Ieee13BusFeeder.ControlledBuses[i]];
        }

        return new VoltageScenario(seed, kind, Array.AsReadOnly(p), Array.AsReadOnly(v0));
    }

    /// <summary>
    /// Performs the scenario draws of §7.2 in their exact order: <c>choice([0, 1])</c>, then the generator
    /// powers of that scenario (unused generators get 0). Allocation-free.
    /// </summary>
    /// <param name="rng">A freshly seeded <see cref="NumpyRandomState"/>.</param>
    /// <param name="generatorActivePowerMw">Receives P of generators 0..11 in MW (length 12).</param>
    /// <returns>The scenario kind drawn.</returns>
    /// <exception cref="ArgumentException"><paramref name="generatorActivePowerMw"/> does not have length 12.</exception>
    public static VoltageScenarioKind DrawGeneratorPower(NumpyRandomState rng, Span<double> generatorActivePowerMw)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (generatorActivePowerMw.Length != GeneratorCount)
        {
            throw new ArgumentException($"Expected {GeneratorCount} generator powers, got a span of length {generatorActivePowerMw.Length}.", nameof(generatorActivePowerMw));
        }

        generatorActivePowerMw.Clear();
        var kind = (VoltageScenarioKind)rng.ChooseZeroOrOne();
        var p = generatorActivePowerMw;
        if (kind == VoltageScenarioKind.LowVoltage)
        {
            p[0] = -0.5 * rng.Uniform(1, 7);
            p[1] = -0.8 * rng.Uniform(1, 4);
            p[2] = -0.3 * rng.Uniform(1, 5);
        }
        else
        {
            p[0] = rng.Uniform(0.5, 4);
            p[1] = rng.Uniform(1, 4.51);
            p[2] = rng.Uniform(0, 5);
            p[3] = 0.6 * rng.Uniform(0, 2);
            p[4] = 0.6 * rng.Uniform(2, 3);
            p[5] = 0.7 * rng.Uniform(0, 2);
            p[10] = rng.Uniform(0.2, 3);
            p[11] = rng.Uniform(0, 1.5);
        }

        return kind;
    }

    /// <summary>Adds generator values (P or Q, per generator) to the per-bus injection vector.</summary>
    /// <param name="perGenerator">One value per generator (length 12).</param>
    /// <param name="perBus">Per-bus vector of length 13 that the values are added to.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void AddGeneratorInjections(ReadOnlySpan<double> perGenerator, Span<double> perBus)
    {
        if (perGenerator.Length != GeneratorCount || perBus.Length != Ieee13BusFeeder.BusCount)
        {
            throw new ArgumentException($"Expected {GeneratorCount} generator values and {Ieee13BusFeeder.BusCount} bus values, got {perGenerator.Length} and {perBus.Length}.");
        }

        var buses = Ieee13BusFeeder.GeneratorBuses;
        for (int i = 0; i < GeneratorCount; i++)
        {
            perBus[buses[i]] += perGenerator[i];
        }
    }
}
