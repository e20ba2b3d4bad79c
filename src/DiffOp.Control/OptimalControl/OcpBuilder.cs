using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// Collects the pieces of a parameterized optimal control problem and <see cref="Build"/>s an immutable
/// <see cref="Ocp"/>. Write costs, dynamics and constraints with the symbolic types, using
/// <see cref="State"/>, <see cref="Control"/> and the vectors returned by <see cref="AddParameter(string, IReadOnlyList{double})"/> and
/// <see cref="AddContext"/>:
/// <code>
/// var b = new OcpBuilder("pendulum", stateCount: 2, controlCount: 1, horizon: 20);
/// var w = b.AddParameter("theta_c", [1.0, 0.1]);
/// b.SetDynamics(b.State + 0.05 * new SxVector(b.State[1], -10 * Sx.Sin(b.State[0]) + b.Control[0]));
/// b.SetStageCost(w[0] * Sx.Sqr(b.State[0]) + w[1] * Sx.Sqr(b.Control[0]));
/// </code>
/// The terminal cost and constraints may use the state, θ and context, but not the control.
/// </summary>
public sealed class OcpBuilder
{
    private readonly List<(string Name, SxVector Symbols, double[] Values, double[]? Lower)> _parameters = [];
    private readonly List<(string Name, SxVector Symbols, double[] Values, double[]? Lower)> _context = [];
    private Sx? _stageCost;
    private Sx? _terminalCost;
    private SxVector? _dynamics;
    private SxVector _pathConstraints = SxVector.Zeros(0);
    private SxVector _terminalConstraints = SxVector.Zeros(0);
    private double[] _controlLower, _controlUpper, _stateLower, _stateUpper;

    /// <summary>Starts a problem with n states, m controls and horizon H (number of control steps).</summary>
    public OcpBuilder(string name, int stateCount, int controlCount, int horizon)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (stateCount < 1) throw new ArgumentOutOfRangeException(nameof(stateCount), stateCount, "The OCP needs at least one state.");
        if (controlCount < 1) throw new ArgumentOutOfRangeException(nameof(controlCount), controlCount, "The OCP needs at least one control.");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "The horizon H must be at least 1 (number of control steps).");
        Name = name;
        Horizon = horizon;
        State = SxVector.Symbols("x", stateCount);
        Control = SxVector.Symbols("u", controlCount);
        _controlLower = Filled(controlCount, double.NegativeInfinity);
        _controlUpper = Filled(controlCount, double.PositiveInfinity);
        _stateLower = Filled(stateCount, double.NegativeInfinity);
        _stateUpper = Filled(stateCount, double.PositiveInfinity);
    }

    /// <summary>The problem's name (used in messages and function names).</summary>
    public string Name { get; }

    /// <summary>Horizon H.</summary>
    public int Horizon { get; }

    /// <summary>State symbols x (length n).</summary>
    public SxVector State { get; }

    /// <summary>Control symbols u (length m).</summary>
    public SxVector Control { get; }

    /// <summary>Adds a learnable parameter block θ_name with initial values; returns its symbols.</summary>
    public SxVector AddParameter(string name, IReadOnlyList<double> initialValues) => AddBlock(_parameters, name, initialValues, "parameter", null);

    /// <summary>
    /// Adds a learnable parameter block θ_name with initial values and the lower bound of every entry (the same for all),
    /// e.g. 0 for cost weights; training keeps θ at or above it (<see cref="Ocp.ParameterLowerBounds"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The bound is NaN or +∞, or an initial value lies below it.</exception>
    public SxVector AddParameter(string name, IReadOnlyList<double> initialValues, double lowerBound) =>
        AddBlock(_parameters, name, initialValues, "parameter", initialValues is null ? null : Enumerable.Repeat(lowerBound, initialValues.Count).ToArray());

    /// <summary>Adds a learnable parameter block θ_name with initial values and a lower bound per entry (−∞ for none).</summary>
    /// <exception cref="ArgumentException">The bounds' length differs from the values', a bound is NaN or +∞, or an initial value lies below its bound.</exception>
    public SxVector AddParameter(string name, IReadOnlyList<double> initialValues, IReadOnlyList<double> lowerBounds)
    {
        ArgumentNullException.ThrowIfNull(lowerBounds);
        return AddBlock(_parameters, name, initialValues, "parameter", lowerBounds.ToArray());
    }

    /// <summary>Adds a context block p_name (not learned; given per solve) with default values; returns its symbols.</summary>
    public SxVector AddContext(string name, IReadOnlyList<double> defaultValues) => AddBlock(_context, name, defaultValues, "context", null);

    /// <summary>Stage cost c(x, u; θ, p).</summary>
    public OcpBuilder SetStageCost(Sx cost) { _stageCost = cost ?? throw new ArgumentNullException(nameof(cost)); return this; }

    /// <summary>Terminal cost c_H(x; θ, p) (no control).</summary>
    public OcpBuilder SetTerminalCost(Sx cost) { _terminalCost = cost ?? throw new ArgumentNullException(nameof(cost)); return this; }

    /// <summary>Discrete dynamics x_{t+1} = f(x_t, u_t; θ, p), length n.</summary>
    public OcpBuilder SetDynamics(SxVector next) { _dynamics = next ?? throw new ArgumentNullException(nameof(next)); return this; }

    /// <summary>Path constraints g(x, u; θ, p) ≤ 0, imposed at every stage t = 0..H−1.</summary>
    public OcpBuilder SetPathConstraints(SxVector constraints) { _pathConstraints = constraints ?? throw new ArgumentNullException(nameof(constraints)); return this; }

    /// <summary>Terminal constraints g_H(x; θ, p) ≤ 0 at x_H.</summary>
    public OcpBuilder SetTerminalConstraints(SxVector constraints) { _terminalConstraints = constraints ?? throw new ArgumentNullException(nameof(constraints)); return this; }

    /// <summary>Box bounds on every u_t (±∞ allowed).</summary>
    public OcpBuilder SetControlBounds(IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        (_controlLower, _controlUpper) = CheckBox(lower, upper, Control.Length, "control");
        return this;
    }

    /// <summary>
    /// Box bounds on x_1..x_H (±∞ allowed). x₀ is fixed by the initial-state row and never bounded:
    /// a bound active at t = 0 would duplicate that row and break LICQ for the sensitivities.
    /// </summary>
    public OcpBuilder SetStateBounds(IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        (_stateLower, _stateUpper) = CheckBox(lower, upper, State.Length, "state");
        return this;
    }

    /// <summary>Validates the pieces and compiles the stage functions once.</summary>
    /// <exception cref="InvalidOperationException">A required piece is missing or has the wrong size.</exception>
    /// <exception cref="SymbolicException">An expression uses a symbol that is not a state, control, parameter or context.</exception>
    public Ocp Build()
    {
        if (_dynamics is null) throw new InvalidOperationException($"OCP '{Name}': call SetDynamics before Build.");
        if (_stageCost is null) throw new InvalidOperationException($"OCP '{Name}': call SetStageCost before Build.");
        if (_dynamics.Length != State.Length)
            throw new InvalidOperationException($"OCP '{Name}': the dynamics have {_dynamics.Length} entries; the state has {State.Length}.");
        var theta = SxVector.Concat(_parameters.Select(p => p.Symbols).ToArray());
        var context = SxVector.Concat(_context.Select(p => p.Symbols).ToArray());
        var definition = new OcpDefinition(State, Control, theta, context, _stageCost, _terminalCost ?? Sx.Zero, _dynamics,
            _pathConstraints, _terminalConstraints);
        var functions = OcpFunctions.Compile(Name, definition);
        return new Ocp(Name, Horizon, State.Length, Control.Length,
            Blocks(_parameters), Blocks(_context),
            _controlLower, _controlUpper, _stateLower, _stateUpper, definition, functions);
    }

    private SxVector AddBlock(List<(string Name, SxVector Symbols, double[] Values, double[]? Lower)> list, string name, IReadOnlyList<double> values, string what, double[]? lower)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException($"The {what} block '{name}' needs at least one value.", nameof(values));
        if (_parameters.Any(p => p.Name == name) || _context.Any(p => p.Name == name))
            throw new ArgumentException($"OCP '{Name}' already has a parameter or context block named '{name}'.", nameof(name));
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"The {what} block '{name}' has a non-finite value {values[i]} at index {i}.", nameof(values));
        }
        if (lower is not null)
        {
            if (lower.Length != values.Count)
                throw new ArgumentException($"The {what} block '{name}' has {values.Count} values but {lower.Length} lower bounds.", nameof(lower));
            for (int i = 0; i < lower.Length; i++)
            {
                if (double.IsNaN(lower[i]) || double.IsPositiveInfinity(lower[i]))
                    throw new ArgumentException($"The {what} block '{name}' has an invalid lower bound {lower[i]} at index {i}: use a finite number, or −∞ for none.", nameof(lower));
                if (values[i] < lower[i])
                    throw new ArgumentException($"The {what} block '{name}' starts below its lower bound at index {i} ({values[i]} < {lower[i]}): start at or above the bound.", nameof(values));
            }
        }
        var symbols = SxVector.Symbols(name, values.Count);
        list.Add((name, symbols, values.ToArray(), lower));
        return symbols;
    }

    private static IReadOnlyList<ParameterBlock> Blocks(List<(string Name, SxVector Symbols, double[] Values, double[]? Lower)> list)
    {
        var blocks = new List<ParameterBlock>();
        int offset = 0;
        foreach (var (name, _, values, lower) in list)
        {
            var block = new ParameterBlock(name, offset, values.Length, Array.AsReadOnly((double[])values.Clone()));
            blocks.Add(lower is null ? block : block with { LowerBounds = Array.AsReadOnly((double[])lower.Clone()) });
            offset += values.Length;
        }
        return blocks;
    }

    private static (double[], double[]) CheckBox(IReadOnlyList<double> lower, IReadOnlyList<double> upper, int n, string what)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (lower.Count != n || upper.Count != n)
            throw new ArgumentException($"The {what} bounds need {n} entries each; got {lower.Count} lower and {upper.Count} upper.");
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(lower[i]) || double.IsNaN(upper[i]))
                throw new ArgumentException($"The {what} bound of component {i} is NaN.");
            if (lower[i] > upper[i])
                throw new ArgumentException($"The {what} lower bound {lower[i]} of component {i} is above its upper bound {upper[i]}.");
        }
        return (lower.ToArray(), upper.ToArray());
    }

    private static double[] Filled(int n, double value)
    {
        var a = new double[n];
        Array.Fill(a, value);
        return a;
    }
}
