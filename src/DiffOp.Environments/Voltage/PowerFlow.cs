using System.Numerics;

namespace DiffOp.Environments.Voltage;

/// <summary>
/// AC power flow of a radial feeder in per-unit with complex voltages: backward/forward sweep, with a
/// damped Newton–Raphson fallback (<see cref="PowerFlowOptions.Method"/>).
/// Bus 0 is the slack (1.0∠0° p.u.); every other bus is a PQ bus with a constant power injection.
/// </summary>
/// <remarks>
/// <para>One sweep: injection currents I_k = conj(S_k / V_k) (S_k = (P_k + jQ_k)/S_base, positive =
/// generation); backward pass J_b = Σ_{k in subtree(b)} (−I_k) for the current flowing down branch b;
/// forward pass V_to = V_from − z_b J_b. The sweep repeats from a flat start (V = 1) until the largest
/// complex voltage update is below <see cref="PowerFlowOptions.Tolerance"/>. A solve that hits the
/// iteration cap, or whose iterates leave the band [MinVoltage, MaxVoltage] or become non-finite, is
/// reported through <see cref="PowerFlowResult.Status"/> and the output voltages are set to NaN.</para>
/// <para>The sweep stops contracting close to the maximum loadability although a solution still exists;
/// with <see cref="PowerFlowMethod.Automatic"/> a failed sweep is therefore re-solved by Newton–Raphson
/// from a flat start (polar form, step halving on the largest power mismatch), which either converges or
/// reports that the mismatch cannot be reduced (no solution).</para>
/// <para>All buffers are allocated by the constructor; <see cref="Solve"/> allocates nothing. An
/// instance is not thread-safe: use one per rollout worker.</para>
/// </remarks>
public sealed class PowerFlow
{
    private readonly int _busCount;
    private readonly double _baseMva;
    private readonly int[] _order;        // buses in breadth-first order from the slack (order[0] = 0)
    private readonly int[] _parent;       // parent bus of each bus (−1 for the slack)
    private readonly Complex[] _impedance; // impedance of the branch feeding each bus
    private readonly Complex[] _voltage;
    private readonly Complex[] _power;
    private readonly Complex[] _branchCurrent;
    private readonly NewtonRaphsonPowerFlow _newton;
    private bool _warmStartable;          // _voltage holds the last call's converged sweep solution

    /// <summary>Creates a solver for the IEEE 13-bus feeder (<see cref="Ieee13BusFeeder"/>).</summary>
    /// <param name="options">Numerical settings; null = <see cref="PowerFlowOptions.Default"/>.</param>
    public PowerFlow(PowerFlowOptions? options = null)
        : this(Ieee13BusFeeder.BusCount, Ieee13BusFeeder.Branches, Ieee13BusFeeder.BaseMva, options)
    {
    }

    /// <summary>Creates a solver for any radial feeder whose slack is bus 0.</summary>
    /// <param name="busCount">Number of buses n (≥ 2); buses are 0..n−1.</param>
    /// <param name="branches">Exactly n − 1 branches forming a tree rooted at bus 0.</param>
    /// <param name="baseMva">Power base S_base in MVA used to convert injections to per-unit.</param>
    /// <param name="options">Numerical settings; null = <see cref="PowerFlowOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The network is not a tree rooted at bus 0, or a value is invalid.</exception>
    public PowerFlow(int busCount, IReadOnlyList<FeederBranch> branches, double baseMva, PowerFlowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(branches);
        if (busCount < 2)
        {
            throw new ArgumentException($"A feeder needs at least 2 buses, got {busCount}.", nameof(busCount));
        }

        if (!double.IsFinite(baseMva) || baseMva <= 0)
        {
            throw new ArgumentException($"The power base must be positive and finite, got {baseMva} MVA.", nameof(baseMva));
        }

        if (branches.Count != busCount - 1)
        {
            throw new ArgumentException(
                $"A radial feeder with {busCount} buses needs {busCount - 1} branches, got {branches.Count}.", nameof(branches));
        }

        Options = options ?? PowerFlowOptions.Default;
        Options.Validate();
        _busCount = busCount;
        _baseMva = baseMva;
        _parent = new int[busCount];
        _impedance = new Complex[busCount];
        Array.Fill(_parent, -2);
        _parent[0] = -1;
        foreach (var b in branches)
        {
            if (b.From < 0 || b.From >= busCount || b.To < 1 || b.To >= busCount || b.From == b.To)
            {
                throw new ArgumentException($"Branch {b.From}->{b.To} has a bus outside 0..{busCount - 1} or feeds the slack bus 0.", nameof(branches));
            }

            if (!double.IsFinite(b.Resistance) || !double.IsFinite(b.Reactance) || (b.Resistance == 0 && b.Reactance == 0))
            {
                throw new ArgumentException($"Branch {b.From}->{b.To} needs a finite, non-zero impedance, got {b.Resistance} + j{b.Reactance}.", nameof(branches));
            }

            if (_parent[b.To] != -2)
            {
                throw new ArgumentException($"Bus {b.To} is fed by more than one branch; the feeder must be radial.", nameof(branches));
            }

            _parent[b.To] = b.From;
            _impedance[b.To] = new Complex(b.Resistance, b.Reactance);
        }

        _order = BuildOrder(busCount, _parent);
        _voltage = new Complex[busCount];
        _power = new Complex[busCount];
        _branchCurrent = new Complex[busCount];
        _newton = new NewtonRaphsonPowerFlow(busCount, branches);
    }

    /// <summary>Number of buses n.</summary>
    public int BusCount => _busCount;

    /// <summary>The numerical settings in use.</summary>
    public PowerFlowOptions Options { get; }

    /// <summary>
    /// Solves the power flow for the given bus injections and writes |V| (p.u.) of every bus.
    /// </summary>
    /// <param name="activePowerMw">P_k in MW per bus (length n, positive = generation); the slack entry is ignored.</param>
    /// <param name="reactivePowerMvar">Q_k in MVAr per bus (length n, positive = generation); the slack entry is ignored.</param>
    /// <param name="voltageMagnitudes">Receives |V_k| in p.u. (length n); all NaN when the solve did not converge.</param>
    /// <param name="warmStart">
    /// Start the sweep from the previous call's converged voltages instead of the flat start (when the previous call's sweep
    /// converged; otherwise flat). The answer is the same to the tolerance in fewer sweeps when the injections changed
    /// little, e.g. from one control step to the next; results then depend on that previous call (at the tolerance's
    /// level), so a caller that needs call-order independence (an episode's reset) passes false.
    /// </param>
    /// <returns>The status, the number of sweeps and the last voltage update.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public PowerFlowResult Solve(ReadOnlySpan<double> activePowerMw, ReadOnlySpan<double> reactivePowerMvar, Span<double> voltageMagnitudes, bool warmStart = false)
    {
        if (activePowerMw.Length != _busCount || reactivePowerMvar.Length != _busCount || voltageMagnitudes.Length != _busCount)
        {
            throw new ArgumentException(
                $"PowerFlow.Solve expects spans of length {_busCount} (P, Q, |V|), got {activePowerMw.Length}, {reactivePowerMvar.Length}, {voltageMagnitudes.Length}.");
        }

        bool warm = warmStart && _warmStartable && Options.Method != PowerFlowMethod.NewtonRaphson;
        _warmStartable = false;
        for (int k = 0; k < _busCount; k++)
        {
            _power[k] = new Complex(activePowerMw[k] / _baseMva, reactivePowerMvar[k] / _baseMva);
            if (!warm) _voltage[k] = Complex.One;
        }

        int sweeps = 0;
        if (Options.Method != PowerFlowMethod.NewtonRaphson)
        {
            var result = SweepUntilConverged();
            _warmStartable = result.Converged;
            if (result.Converged || Options.Method == PowerFlowMethod.BackwardForwardSweep)
            {
                for (int k = 0; k < _busCount; k++)
                {
                    voltageMagnitudes[k] = result.Converged ? _voltage[k].Magnitude : double.NaN;
                }

                return result;
            }

            sweeps = result.Iterations;
        }

        var newton = _newton.Solve(_power, Options, voltageMagnitudes);
        return newton with { Iterations = newton.Iterations + sweeps };
    }

    private PowerFlowResult SweepUntilConverged()
    {
        double tolerance = Options.Tolerance, vMin = Options.MinVoltage, vMax = Options.MaxVoltage;
        double mismatch = double.PositiveInfinity;
        for (int iteration = 1; iteration <= Options.MaxIterations; iteration++)
        {
            // Backward sweep: leaves to root; the current drawn by bus k is −conj(S_k / V_k).
            for (int i = _busCount - 1; i >= 1; i--)
            {
                _branchCurrent[_order[i]] = -Complex.Conjugate(_power[_order[i]] / _voltage[_order[i]]);
            }

            for (int i = _busCount - 1; i >= 1; i--)
            {
                int k = _order[i];
                int p = _parent[k];
                if (p > 0)
                {
                    _branchCurrent[p] += _branchCurrent[k];
                }
            }

            // Forward sweep: root to leaves.
            mismatch = 0;
            bool outOfRange = false;
            for (int i = 1; i < _busCount; i++)
            {
                int k = _order[i];
                var updated = _voltage[_parent[k]] - (_impedance[k] * _branchCurrent[k]);
                double change = (updated - _voltage[k]).Magnitude;
                if (!(change <= mismatch) && !double.IsNaN(mismatch))
                {
                    mismatch = change; // a NaN sticks
                }

                _voltage[k] = updated;
                double magnitude = updated.Magnitude;
                if (!(magnitude >= vMin && magnitude <= vMax))
                {
                    outOfRange = true;
                }
            }

            if (outOfRange || !double.IsFinite(mismatch))
            {
                return new PowerFlowResult(PowerFlowStatus.Diverged, iteration, mismatch, PowerFlowMethod.BackwardForwardSweep);
            }

            if (mismatch < tolerance)
            {
                return new PowerFlowResult(PowerFlowStatus.Converged, iteration, mismatch, PowerFlowMethod.BackwardForwardSweep);
            }
        }

        return new PowerFlowResult(PowerFlowStatus.IterationLimit, Options.MaxIterations, mismatch, PowerFlowMethod.BackwardForwardSweep);
    }

    private static int[] BuildOrder(int busCount, int[] parent)
    {
        var order = new int[busCount];
        var placed = new bool[busCount];
        order[0] = 0;
        placed[0] = true;
        int count = 1;
        for (int head = 0; head < count; head++)
        {
            for (int k = 1; k < busCount; k++)
            {
                if (!placed[k] && parent[k] == order[head])
                {
                    order[count++] = k;
                    placed[k] = true;
                }
            }
        }

        if (count != busCount)
        {
            int missing = Array.IndexOf(placed, false);
            throw new ArgumentException($"Bus {missing} is not connected to the slack bus 0; the branches must form a tree rooted at bus 0.");
        }

        return order;
    }
}
