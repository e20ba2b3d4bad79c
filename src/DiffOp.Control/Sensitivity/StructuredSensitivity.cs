using DiffOp.Control.OptimalControl;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// The production solver: the KKT matrix in stage order (<see cref="KktOrdering"/>) is banded with a
/// half-bandwidth of about 2n + m + q independent of H, and a banded LU with partial pivoting solves it in
/// O(H·(2n+m+q)³) time — linear in H. Pivoting makes it robust for indefinite or singular stage Hessians
/// (no D_t⁻¹ is ever formed, unlike a block elimination through the stage Hessians) and for active rows at any
/// stage, the last one included. The KKT matrix is symmetric, so a VJP needs one solve with the same factors.
/// One instance per thread: it reuses its factorization buffers.
/// </summary>
public sealed class StructuredSensitivity : ISensitivitySolver
{
    private readonly KktBlockAssembler _assembler;
    private readonly SensitivityOptions _options;
    private readonly BandedLu _lu = new();
    private KktOrdering? _ordering;
    private OcpSolution? _factored;   // the solution whose factors _lu holds, at version _factoredVersion
    private long _factoredVersion;
    private double[] _w = [], _gradient = [], _rhs = [];

    /// <summary>Creates the solver for solutions of <paramref name="ocp"/>.</summary>
    public StructuredSensitivity(Ocp ocp, SensitivityOptions? options = null)
    {
        _assembler = new KktBlockAssembler(ocp);
        _options = options ?? new SensitivityOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public SensitivityResult Jacobian(OcpSolution solution)
    {
        var ordering = Factor(solution);
        int size = ordering.Size, d = ordering.Blocks.ParameterCount, columns = d + ordering.Blocks.StateCount;
        var rhs = new double[size * columns];
        var sink = new RowMajorSink(rhs, columns);
        KktAssembly.EmitRightHandSide(ordering, ref sink);
        _lu.Solve(rhs, columns);   // all d + n columns in one sweep over the factors
        var l = solution.Ocp.Layout;
        var jacobian = new double[l.VariableCount * columns];
        for (int j = 0; j < l.VariableCount; j++)
            rhs.AsSpan(ordering.PositionOfVariable(j) * columns, columns).CopyTo(jacobian.AsSpan(j * columns, columns));
        SingularKkt.EnsureFinite(jacobian, 0);
        return new SensitivityResult(l, solution.Ocp.Parameters, d, jacobian, solution.ActiveSet.WeaklyActive);
    }

    /// <inheritdoc />
    public double[] VectorJacobianProduct(OcpSolution solution, ReadOnlySpan<double> v)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var result = new double[solution.Ocp.ParameterCount + solution.Ocp.StateCount];
        VectorJacobianProduct(solution, v, result);
        return result;
    }

    /// <summary>
    /// vᵀ·∂ζ*/∂(θ, x_init) written into <paramref name="gradient"/> (length d + n): the training hot path, which
    /// allocates nothing once this solver has seen a solution of the same OCP.
    /// </summary>
    /// <exception cref="ArgumentException">v or the output has the wrong length.</exception>
    /// <exception cref="SensitivityException">The KKT matrix is singular (LICQ or second-order sufficiency fails).</exception>
    public void VectorJacobianProduct(OcpSolution solution, ReadOnlySpan<double> v, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var l = solution.Ocp.Layout;
        if (v.Length != l.VariableCount)
            throw new ArgumentException($"v has length {v.Length}; ζ has {l.VariableCount} entries.", nameof(v));
        int columns = solution.Ocp.ParameterCount + l.StateCount;
        if (gradient.Length != columns)
            throw new ArgumentException($"The output has length {gradient.Length}; expected d + n = {columns}.", nameof(gradient));
        var ordering = Factor(solution);
        // vᵀdζ = ṽᵀK⁻¹R = (K⁻¹ṽ)ᵀR because K is symmetric; ṽ is v placed at the ζ positions.
        if (_w.Length < ordering.Size) _w = new double[ordering.Size];
        var w = _w.AsSpan(0, ordering.Size);
        w.Clear();
        for (int j = 0; j < v.Length; j++) w[ordering.PositionOfVariable(j)] = v[j];
        _lu.Solve(w);
        if (_gradient.Length != columns) _gradient = new double[columns];
        Array.Clear(_gradient);
        var sink = new TransposeProductSink(_w, _gradient);
        KktAssembly.EmitRightHandSide(ordering, ref sink);
        SingularKkt.EnsureFinite(_gradient, 0);
        _gradient.CopyTo(gradient);
    }

    /// <summary>
    /// ∂u*_t/∂θ for the first <paramref name="stages"/> planned controls, written row-major into
    /// <paramref name="destination"/> as (stages·m) × d (row t·m + j is ∂u*_{t,j}/∂θ; the x_init columns are left out).
    /// One multi-right-hand-side sweep over the banded factors; allocates nothing once this solver has seen a
    /// solution of the same OCP. Training uses it for per-stage scores and the Fisher metric.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stages"/> is not in 1..H.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than stages·m·d.</exception>
    /// <exception cref="SensitivityException">The KKT matrix is singular (LICQ or second-order sufficiency fails).</exception>
    public void ControlParameterJacobian(OcpSolution solution, int stages, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var l = solution.Ocp.Layout;
        if (stages < 1 || stages > l.Horizon)
            throw new ArgumentOutOfRangeException(nameof(stages), stages, $"The number of stages must be in 1..{l.Horizon}.");
        int d = solution.Ocp.ParameterCount, m = l.ControlCount;
        if (destination.Length < stages * m * d)
            throw new ArgumentException($"The destination has {destination.Length} entries; {stages}·{m}·{d} = {stages * m * d} are needed.", nameof(destination));
        var ordering = Factor(solution);
        int columns = d + ordering.Blocks.StateCount, size = ordering.Size * columns;
        if (_rhs.Length < size) _rhs = new double[size];
        Array.Clear(_rhs, 0, size);
        var sink = new RowMajorSink(_rhs, columns);
        KktAssembly.EmitRightHandSide(ordering, ref sink);
        _lu.Solve(_rhs.AsSpan(0, size), columns);
        for (int t = 0; t < stages; t++)
            for (int j = 0; j < m; j++)
            {
                int row = ordering.PositionOfVariable(l.ControlOffset(t) + j);
                _rhs.AsSpan(row * columns, d).CopyTo(destination.Slice(((t * m) + j) * d, d));
            }
        SingularKkt.EnsureFinite(destination[..(stages * m * d)], 0);
    }

    /// <inheritdoc />
    public double[] JacobianVectorProduct(OcpSolution solution, ReadOnlySpan<double> direction)
    {
        var ordering = Factor(solution);
        int columns = ordering.Blocks.ParameterCount + ordering.Blocks.StateCount;
        if (direction.Length != columns)
            throw new ArgumentException($"The direction has length {direction.Length}; expected d + n = {columns}.", nameof(direction));
        var r = new double[ordering.Size];
        var sink = new ProductSink(direction.ToArray(), r);
        KktAssembly.EmitRightHandSide(ordering, ref sink);
        _lu.Solve(r);
        var l = solution.Ocp.Layout;
        var result = new double[l.VariableCount];
        for (int j = 0; j < result.Length; j++) result[j] = r[ordering.PositionOfVariable(j)];
        SingularKkt.EnsureFinite(result, 0);
        return result;
    }

    /// <summary>
    /// Factors the KKT matrix of <paramref name="solution"/>, or reuses the factors when the previous call factored the same
    /// solution object at the same version (a reused plan, <see cref="OcpSolution.IsReused"/>, changes its version when a later
    /// solve overwrites it; other solutions never change): training asks for ∂u*/∂θ rows when it plans and for a VJP when it
    /// scores the same plan, and the second call then costs only its sweeps.
    /// </summary>
    private KktOrdering Factor(OcpSolution solution)
    {
        if (ReferenceEquals(solution, _factored) && solution.Version == _factoredVersion && _ordering is not null) return _ordering;
        _factored = null;
        var blocks = _assembler.AssembleReused(solution);
        if (_ordering is null) _ordering = new KktOrdering(blocks);
        else _ordering.Reset(blocks);
        var ordering = _ordering;
        var band = new BandwidthSink();
        KktAssembly.EmitMatrix(ordering, _options.Damping, ref band);
        _lu.Reset(ordering.Size, band.HalfBandwidth, band.HalfBandwidth);
        var sink = new BandSink(_lu);
        KktAssembly.EmitMatrix(ordering, _options.Damping, ref sink);
        int zeroPivot = _lu.Factor(_options.RelativePivotTolerance);
        if (zeroPivot >= 0) throw SingularKkt.At(ordering, zeroPivot);
        _factored = solution;
        _factoredVersion = solution.Version;
        return ordering;
    }
}
