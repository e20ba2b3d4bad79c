using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// An immutable, validated parameterized optimal control problem (build it with <see cref="OcpBuilder"/>):
/// min over ζ = (x₀,u₀,…,x_H) of Σ_{t&lt;H} c(x_t,u_t;θ,p) + c_H(x_H;θ,p)
/// s.t. x₀ = x_init, x_{t+1} = f(x_t,u_t;θ,p), g(x_t,u_t;θ,p) ≤ 0, g_H(x_H;θ,p) ≤ 0,
/// u_L ≤ u_t ≤ u_U, x_L ≤ x_t ≤ x_U (t ≥ 1). Its stage functions are compiled once, here, and shared by
/// every solver of this problem.
/// </summary>
public sealed class Ocp
{
    internal Ocp(string name, int horizon, int stateCount, int controlCount,
        IReadOnlyList<ParameterBlock> parameters, IReadOnlyList<ParameterBlock> context,
        double[] controlLower, double[] controlUpper, double[] stateLower, double[] stateUpper,
        OcpDefinition definition, OcpFunctions functions)
    {
        Name = name;
        Parameters = parameters;
        ContextBlocks = context;
        // Copies behind read-only views: the OCP is immutable, also for a caller who casts.
        ControlLower = Array.AsReadOnly((double[])controlLower.Clone()); ControlUpper = Array.AsReadOnly((double[])controlUpper.Clone());
        StateLower = Array.AsReadOnly((double[])stateLower.Clone()); StateUpper = Array.AsReadOnly((double[])stateUpper.Clone());
        Definition = definition;
        Functions = functions;
        Layout = new OcpLayout(stateCount, controlCount, horizon, definition.PathConstraints.Length, definition.TerminalConstraints.Length);
        _sensitivityFunctions = new Lazy<Sensitivity.SensitivityFunctions>(
            () => Sensitivity.SensitivityFunctions.Compile(name, definition), LazyThreadSafetyMode.ExecutionAndPublication);
        _isQuadraticProgram = new Lazy<bool>(() => OcpStructure.IsQuadraticProgram(definition), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private readonly Lazy<bool> _isQuadraticProgram;

    /// <summary>
    /// True when the problem is a QP in (x, u) for every θ: quadratic costs, affine dynamics and constraints
    /// (<see cref="OcpStructure.IsQuadraticProgram"/>; decided symbolically on first use).
    /// </summary>
    public bool IsQuadraticProgram => _isQuadraticProgram.Value;

    private readonly Lazy<Sensitivity.SensitivityFunctions> _sensitivityFunctions;

    /// <summary>Parameter derivatives for the sensitivity layer, compiled on first use.</summary>
    internal Sensitivity.SensitivityFunctions SensitivityFunctions => _sensitivityFunctions.Value;

    /// <summary>The problem's name.</summary>
    public string Name { get; }

    /// <summary>Index arithmetic of ζ and of the constraint rows.</summary>
    public OcpLayout Layout { get; }

    /// <summary>Horizon H.</summary>
    public int Horizon => Layout.Horizon;

    /// <summary>State dimension n.</summary>
    public int StateCount => Layout.StateCount;

    /// <summary>Control dimension m.</summary>
    public int ControlCount => Layout.ControlCount;

    /// <summary>Learnable θ blocks, in the order of the flat θ vector.</summary>
    public IReadOnlyList<ParameterBlock> Parameters { get; }

    /// <summary>Context p blocks, in the order of the flat p vector.</summary>
    public IReadOnlyList<ParameterBlock> ContextBlocks { get; }

    /// <summary>d: the length of the flat θ.</summary>
    public int ParameterCount => Definition.Theta.Length;

    /// <summary>The length of the flat context p.</summary>
    public int ContextCount => Definition.Context.Length;

    /// <summary>Lower bounds on u_t.</summary>
    public IReadOnlyList<double> ControlLower { get; }

    /// <summary>Upper bounds on u_t.</summary>
    public IReadOnlyList<double> ControlUpper { get; }

    /// <summary>Lower bounds on x_t, t ≥ 1.</summary>
    public IReadOnlyList<double> StateLower { get; }

    /// <summary>Upper bounds on x_t, t ≥ 1.</summary>
    public IReadOnlyList<double> StateUpper { get; }

    /// <summary>The symbolic definition (for the sensitivity layer and for inspection).</summary>
    public OcpDefinition Definition { get; }

    internal OcpFunctions Functions { get; }

    /// <summary>θ's initial values, concatenated over <see cref="Parameters"/>.</summary>
    public double[] InitialParameters() => Flatten(Parameters, ParameterCount);

    /// <summary>θ's initial values as a <see cref="ParameterVector"/>: read and write blocks by name, <c>theta["weights"]</c>.</summary>
    public ParameterVector CreateParameters() => new(Parameters, InitialParameters());

    /// <summary>
    /// The lower bound of every θ entry, concatenated over <see cref="Parameters"/> (−∞ where the block declared none):
    /// what <c>TrainingOptions.ParameterLowerBounds</c> expects.
    /// </summary>
    public double[] ParameterLowerBounds()
    {
        var lower = new double[ParameterCount];
        foreach (var b in Parameters)
            for (int i = 0; i < b.Length; i++) lower[b.Offset + i] = b.LowerBounds[i];
        return lower;
    }

    /// <summary>The context defaults, concatenated over <see cref="ContextBlocks"/>.</summary>
    public double[] DefaultContext() => Flatten(ContextBlocks, ContextCount);

    /// <summary>The θ block with the given name; throws listing the valid names if there is none.</summary>
    public ParameterBlock Parameter(string name) =>
        Parameters.FirstOrDefault(b => b.Name == name)
        ?? throw new ArgumentException($"OCP '{Name}' has no parameter block '{name}'; it has: {string.Join(", ", Parameters.Select(b => b.Name))}.", nameof(name));

    private static double[] Flatten(IReadOnlyList<ParameterBlock> blocks, int length)
    {
        var values = new double[length];
        foreach (var b in blocks)
            for (int i = 0; i < b.Length; i++) values[b.Offset + i] = b.DefaultValues[i];
        return values;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Ocp '{Name}': n={StateCount}, m={ControlCount}, H={Horizon}, θ∈ℝ^{ParameterCount}, p∈ℝ^{ContextCount}, " +
        $"{Layout.PathConstraintCount} path and {Layout.TerminalConstraintCount} terminal constraints";
}
