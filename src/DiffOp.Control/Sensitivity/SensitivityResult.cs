using DiffOp.Control.OptimalControl;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// The Jacobian ∂ζ*/∂(θ, x_init) of an OCP solution: rows follow ζ = (x₀,u₀,…,x_H) (<see cref="OcpLayout"/>),
/// columns are θ (d entries, the concatenated parameter blocks) then x_init (n entries). Stored row-major.
/// </summary>
public sealed class SensitivityResult
{
    private readonly double[] _jacobian;

    internal SensitivityResult(OcpLayout layout, IReadOnlyList<ParameterBlock> parameters, int parameterCount, double[] jacobian, IReadOnlyList<ActiveConstraint> weaklyActive)
    {
        Layout = layout;
        Parameters = parameters;
        ParameterCount = parameterCount;
        _jacobian = jacobian;
        WeaklyActive = weaklyActive;
    }

    /// <summary>The OCP layout (row indexing).</summary>
    public OcpLayout Layout { get; }

    /// <summary>θ's blocks (the first <see cref="ParameterCount"/> columns, in this order).</summary>
    public IReadOnlyList<ParameterBlock> Parameters { get; }

    /// <summary>d.</summary>
    public int ParameterCount { get; }

    /// <summary>d + n: columns of the Jacobian.</summary>
    public int ColumnCount => ParameterCount + Layout.StateCount;

    /// <summary>Index of the first x_init column.</summary>
    public int InitialStateColumn => ParameterCount;

    /// <summary>
    /// Weakly active constraints at the solution: there the solution map has only one-sided derivatives;
    /// this result is the one with those constraints inactive.
    /// </summary>
    public IReadOnlyList<ActiveConstraint> WeaklyActive { get; }

    /// <summary>True when <see cref="WeaklyActive"/> is not empty.</summary>
    public bool IsOneSided => WeaklyActive.Count > 0;

    /// <summary>∂ζ_j/∂column c.</summary>
    public double this[int row, int column] => _jacobian[row * ColumnCount + column];

    /// <summary>Row j of the Jacobian (∂ζ_j over all columns).</summary>
    public ReadOnlySpan<double> Row(int j) => _jacobian.AsSpan(j * ColumnCount, ColumnCount);

    /// <summary>∂u*_t/∂(θ, x_init) as an m × (d+n) row-major array.</summary>
    public double[] ControlJacobian(int t)
    {
        if ((uint)t >= (uint)Layout.Horizon) throw new ArgumentOutOfRangeException(nameof(t), t, $"Stage must be in 0..{Layout.Horizon - 1}.");
        return _jacobian.AsSpan(Layout.ControlOffset(t) * ColumnCount, Layout.ControlCount * ColumnCount).ToArray();
    }

    /// <summary>
    /// ∂u*_t/∂θ_block for the parameter block <paramref name="parameterBlock"/> as an m × (block length) row-major array:
    /// the block's columns of <see cref="ControlJacobian(int)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">There is no such block (the message lists the names).</exception>
    public double[] ControlJacobian(int t, string parameterBlock)
    {
        if ((uint)t >= (uint)Layout.Horizon) throw new ArgumentOutOfRangeException(nameof(t), t, $"Stage must be in 0..{Layout.Horizon - 1}.");
        return Columns(Layout.ControlOffset(t), Layout.ControlCount, Block(parameterBlock));
    }

    /// <summary>∂x*_t/∂θ_block for the parameter block <paramref name="parameterBlock"/>, n × (block length) row-major.</summary>
    /// <exception cref="ArgumentException">There is no such block (the message lists the names).</exception>
    public double[] StateJacobian(int t, string parameterBlock)
    {
        if ((uint)t > (uint)Layout.Horizon) throw new ArgumentOutOfRangeException(nameof(t), t, $"Stage must be in 0..{Layout.Horizon}.");
        return Columns(Layout.StateOffset(t), Layout.StateCount, Block(parameterBlock));
    }

    private ParameterBlock Block(string name)
    {
        foreach (var b in Parameters)
            if (b.Name == name) return b;
        throw new ArgumentException($"The OCP has no parameter block '{name}'; it has: {string.Join(", ", Parameters.Select(b => b.Name))}.", nameof(name));
    }

    private double[] Columns(int firstRow, int rows, ParameterBlock block)
    {
        var result = new double[rows * block.Length];
        for (int r = 0; r < rows; r++)
            _jacobian.AsSpan((firstRow + r) * ColumnCount + block.Offset, block.Length).CopyTo(result.AsSpan(r * block.Length, block.Length));
        return result;
    }

    /// <summary>∂x*_t/∂(θ, x_init) as an n × (d+n) row-major array.</summary>
    public double[] StateJacobian(int t)
    {
        if ((uint)t > (uint)Layout.Horizon) throw new ArgumentOutOfRangeException(nameof(t), t, $"Stage must be in 0..{Layout.Horizon}.");
        return _jacobian.AsSpan(Layout.StateOffset(t) * ColumnCount, Layout.StateCount * ColumnCount).ToArray();
    }
}
