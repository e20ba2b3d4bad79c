using DiffOp.Learning;

namespace DiffOp.Environments.Voltage;

/// <summary>
/// The voltage-control true system (docs/environments-voltage.md): the IEEE 13-bus feeder with an AC power flow,
/// three reactive-power controllers at buses 2, 7, 9 and the scenarios of numpy's RandomState(seed).
/// </summary>
/// <remarks>
/// <para>State x = [v (3), q (3), v0 (3)]: voltages |V| (p.u.) at buses 2, 7, 9 after the current q, the
/// reactive powers q (MVAr) of the controllers, and the uncontrolled voltages v0 of the scenario (the
/// state of the policy OCP, §7.4). Control u ∈ R³ is incremental: q_{t+1} = clip(q_t + u_t, [q_min, q_max]),
/// then v_{t+1} comes from the power flow with q_{t+1}. Stage cost F(q) = ½ Σ C_i q_i² + ½ Σ q_i
/// (v_i² + v0_i² − 2) with v after q (negative is good; q = 0 costs exactly 0).</para>
/// <para>An episode lasts <see cref="VoltageSettings.EpisodeLength"/> steps. A power flow without
/// solution (including one caused by a non-finite control) ends the episode with
/// <see cref="StepResult.Failed"/> = true and cost <see cref="VoltageSettings.PowerFlowFailureCostPerStep"/> times
/// the number of steps left (counting the failing one);
/// the returned state then holds the clipped q and the last valid v. <see cref="Step"/> allocates
/// nothing. Not thread-safe: one instance per rollout worker.</para>
/// </remarks>
public sealed class VoltageEnvironment : IEnvironment
{
    /// <summary>Number of controlled buses (3).</summary>
    public const int ControlledBusCount = 3;

    private readonly PowerFlow _powerFlow;
    private readonly NumpyRandomState _rng = new(0);
    private readonly int[] _controlledBuses;
    private readonly int[] _generatorBuses;
    private readonly double[] _qMin;
    private readonly double[] _qMax;
    private readonly double[] _costWeights;
    private readonly double[] _generatorP = new double[VoltageScenario.GeneratorCount];
    private readonly double[] _busP = new double[Ieee13BusFeeder.BusCount];
    private readonly double[] _busQ = new double[Ieee13BusFeeder.BusCount];
    private readonly double[] _busV = new double[Ieee13BusFeeder.BusCount];
    private readonly double[] _v = new double[ControlledBusCount];
    private readonly double[] _q = new double[ControlledBusCount];
    private readonly double[] _v0 = new double[ControlledBusCount];
    private int _step;
    private bool _active;

    /// <summary>Creates the environment.</summary>
    /// <param name="settings">Settings; null = <see cref="VoltageSettings.Training"/>.</param>
    /// <exception cref="ArgumentException">A setting is invalid (see <see cref="VoltageSettings.Validate"/>).</exception>
    public VoltageEnvironment(VoltageSettings? settings = null)
    {
        Settings = settings ?? VoltageSettings.Training;
        Settings.Validate();
        _powerFlow = new PowerFlow(Settings.ToPowerFlowOptions());
        _controlledBuses = Ieee13BusFeeder.ControlledBuses.ToArray();
        _generatorBuses = Ieee13BusFeeder.GeneratorBuses.ToArray();
        _qMin = Settings.ReactivePowerMin.ToArray();
        _qMax = Settings.ReactivePowerMax.ToArray();
        _costWeights = Settings.CostWeights.ToArray();
    }

    /// <summary>The settings in use.</summary>
    public VoltageSettings Settings { get; }

    /// <inheritdoc/>
    public string Name => "voltage";

    /// <inheritdoc/>
    public int StateCount => 3 * ControlledBusCount;

    /// <inheritdoc/>
    public int ControlCount => ControlledBusCount;

    /// <inheritdoc/>
    public int EpisodeLength => Settings.EpisodeLength;

    /// <summary>Kind of the current scenario (valid after <see cref="Reset"/>).</summary>
    public VoltageScenarioKind ScenarioKind { get; private set; }

    /// <summary>Steps taken in the current episode.</summary>
    public int CurrentStep => _step;

    /// <summary>Result of the most recent power flow (of <see cref="Reset"/> or <see cref="Step"/>).</summary>
    public PowerFlowResult LastPowerFlow { get; private set; }

    /// <summary>Current voltages v (p.u.) at buses 2, 7, 9.</summary>
    public ReadOnlySpan<double> Voltages => _v;

    /// <summary>Current reactive powers q (MVAr) at buses 2, 7, 9.</summary>
    public ReadOnlySpan<double> ReactivePower => _q;

    /// <summary>Uncontrolled voltages v0 (p.u.) of the current scenario.</summary>
    public ReadOnlySpan<double> InitialVoltages => _v0;

    /// <summary>
    /// Starts scenario <paramref name="seed"/> of the published evaluation (numpy RandomState(seed)): q = 0,
    /// v = v0; writes x0 = [v0, 0, v0].
    /// </summary>
    /// <param name="seed">Scenario index (≥ 0).</param>
    /// <param name="state">Receives the initial state (length 9).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="state"/> has the wrong length.</exception>
    /// <exception cref="InvalidOperationException">The scenario's q = 0 power flow has no solution (does not happen for the benchmark scenarios).</exception>
    public void Reset(int seed, Span<double> state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        CheckLength(state.Length, StateCount, nameof(state));
        _rng.Seed((uint)seed);
        ScenarioKind = VoltageScenario.DrawGeneratorPower(_rng, _generatorP);
        Array.Clear(_busP);
        for (int i = 0; i < _generatorP.Length; i++)
        {
            _busP[_generatorBuses[i]] += _generatorP[i];
        }

        Array.Clear(_q);
        _step = 0;
        _active = false;
        if (!SolveVoltages(_v0, warmStart: false))   // flat start: an episode does not depend on the one before
        {
            throw new InvalidOperationException($"Voltage scenario {seed}: the power flow without reactive power did not converge ({LastPowerFlow.Status}).");
        }

        _v0.CopyTo(_v, 0);
        _active = true;
        WriteState(state);
    }

    /// <summary>
    /// Applies the reactive-power increment u (MVAr, length 3): q ← clip(q + u, box), solves the power flow,
    /// writes x = [v, q, v0] and returns F(q). A power flow without solution returns
    /// <see cref="VoltageSettings.PowerFlowFailureCostPerStep"/> × (T − t + 1) with Failed = Done = true.
    /// </summary>
    /// <param name="control">The increment u (length 3).</param>
    /// <param name="nextState">Receives the next state (length 9).</param>
    /// <returns>The true stage cost and the episode flags.</returns>
    /// <exception cref="InvalidOperationException">No episode is running (call <see cref="Reset"/> first, or the last episode has ended).</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
    {
        if (!_active)
        {
            throw new InvalidOperationException("VoltageEnvironment.Step called without a running episode; call Reset first (an episode ends after EpisodeLength steps or a power-flow failure).");
        }

        CheckLength(control.Length, ControlCount, nameof(control));
        CheckLength(nextState.Length, StateCount, nameof(nextState));
        for (int i = 0; i < ControlledBusCount; i++)
        {
            _q[i] = Math.Clamp(_q[i] + control[i], _qMin[i], _qMax[i]);
        }

        _step++;
        if (!SolveVoltages(_v, warmStart: true))     // from the previous step's voltages: fewer sweeps, same answer to 1e-10
        {
            _active = false;
            WriteState(nextState);
            int stepsLeft = Settings.EpisodeLength - _step + 1;
            return new StepResult(Settings.PowerFlowFailureCostPerStep * stepsLeft, Done: true, Failed: true);
        }

        bool done = _step >= Settings.EpisodeLength;
        _active = !done;
        WriteState(nextState);
        return new StepResult(Cost(_q, _v, _v0, _costWeights), done, Failed: false);
    }

    /// <summary>
    /// The true per-step cost F(q) = ½ Σ_i C_i q_i² + ½ Σ_i q_i (v_i² + v0_i² − 2) (§7.3).
    /// </summary>
    /// <param name="q">Reactive powers (MVAr, length 3).</param>
    /// <param name="v">Voltages after q (p.u., length 3).</param>
    /// <param name="v0">Voltages at q = 0 (p.u., length 3).</param>
    /// <param name="costWeights">C (length 3).</param>
    /// <returns>F(q); exactly 0 at q = 0.</returns>
    public static double Cost(ReadOnlySpan<double> q, ReadOnlySpan<double> v, ReadOnlySpan<double> v0, ReadOnlySpan<double> costWeights)
    {
        double f = 0;
        for (int i = 0; i < q.Length; i++)
        {
            f += 0.5 * ((costWeights[i] * q[i] * q[i]) + (q[i] * ((v[i] * v[i]) + (v0[i] * v0[i]) - 2.0)));
        }

        return f;
    }

    private bool SolveVoltages(double[] target, bool warmStart)
    {
        Array.Clear(_busQ);
        for (int i = 0; i < ControlledBusCount; i++)
        {
            _busQ[_controlledBuses[i]] += _q[i];
        }

        LastPowerFlow = _powerFlow.Solve(_busP, _busQ, _busV, warmStart);
        if (!LastPowerFlow.Converged)
        {
            return false;
        }

        for (int i = 0; i < ControlledBusCount; i++)
        {
            target[i] = _busV[_controlledBuses[i]];
        }

        return true;
    }

    private void WriteState(Span<double> state)
    {
        _v.CopyTo(state[..3]);
        _q.CopyTo(state.Slice(3, 3));
        _v0.CopyTo(state.Slice(6, 3));
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"VoltageEnvironment expects {name} of length {expected}, got {actual}.", name);
        }
    }
}
