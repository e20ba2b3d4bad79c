using DiffOp.Control.Ocp;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// The Jacobian ∂ζ*/∂(θ, x_init) of an OCP solution: rows follow ζ = (x₀,u₀,…,x_H) (<see cref="OcpLayout"/>),
/// columns are θ (d entries, the concatenated parameter blocks) then x_init (n entries). Stored row-major.
/// </summary>
public sealed class SensitivityResult
{
    private readonly double[] _jacobian;

    internal SensitivityResult(OcpLayout layout, int parameterCount, double[] jacobian, IReadOnlyList<ActiveConstraint> weaklyActive)
    {
        Layout = layout;
        ParameterCount = parameterCount;
        _jacobian = jacobian;
        WeaklyActive = weaklyActive;
    }

    /// <summary>The OCP layout (row indexing).</summary>
    public OcpLayout Layout { get; }

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

    /// <summary>∂x*_t/∂(θ, x_init) as an n × (d+n) row-major array.</summary>
    public double[] StateJacobian(int t)
    {
        if ((uint)t > (uint)Layout.Horizon) throw new ArgumentOutOfRangeException(nameof(t), t, $"Stage must be in 0..{Layout.Horizon}.");
        return _jacobian.AsSpan(Layout.StateOffset(t) * ColumnCount, Layout.StateCount * ColumnCount).ToArray();
    }
}
