using DiffOp.Control.Ocp;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// The production solver: the KKT matrix in stage order (<see cref="KktOrdering"/>) is banded with a
/// half-bandwidth of about 2n + m + q independent of H, and a banded LU with partial pivoting solves it in
/// O(H·(2n+m+q)³) time — linear in H. Pivoting makes it robust for indefinite or singular stage Hessians
/// (no D_t⁻¹ is ever formed, unlike the block elimination of SENSITIVITY.md §3) and for active rows at any
/// stage, the last one included. The KKT matrix is symmetric, so a VJP needs one solve with the same factors.
/// One instance per thread: it reuses its factorization buffers.
/// </summary>
public sealed class StructuredSensitivity : ISensitivitySolver
{
    private readonly KktBlockAssembler _assembler;
    private readonly SensitivityOptions _options;
    private readonly BandedLu _lu = new();

    /// <summary>Creates the solver for solutions of <paramref name="ocp"/>.</summary>
    public StructuredSensitivity(Ocp.Ocp ocp, SensitivityOptions? options = null)
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
        var sink = new ColumnMajorSink(rhs, size);
        KktAssembly.EmitRightHandSide(ordering, ref sink);
        for (int c = 0; c < columns; c++) _lu.Solve(rhs.AsSpan(c * size, size));
        var l = solution.Ocp.Layout;
        var jacobian = new double[l.VariableCount * columns];
        for (int j = 0; j < l.VariableCount; j++)
        {
            int pos = ordering.PositionOfVariable(j);
            for (int c = 0; c < columns; c++) jacobian[j * columns + c] = rhs[c * size + pos];
        }
        SingularKkt.EnsureFinite(jacobian, 0);
        return new SensitivityResult(l, d, jacobian, solution.ActiveSet.WeaklyActive);
    }

    /// <inheritdoc />
    public double[] VectorJacobianProduct(OcpSolution solution, ReadOnlySpan<double> v)
    {
        var l = solution.Ocp.Layout;
        if (v.Length != l.VariableCount)
            throw new ArgumentException($"v has length {v.Length}; ζ has {l.VariableCount} entries.", nameof(v));
        var ordering = Factor(solution);
        // vᵀdζ = ṽᵀK⁻¹R = (K⁻¹ṽ)ᵀR because K is symmetric; ṽ is v placed at the ζ positions.
        var w = new double[ordering.Size];
        for (int j = 0; j < v.Length; j++) w[ordering.PositionOfVariable(j)] = v[j];
        _lu.Solve(w);
        var gradient = new double[ordering.Blocks.ParameterCount + ordering.Blocks.StateCount];
        var sink = new TransposeProductSink(w, gradient);
        KktAssembly.EmitRightHandSide(ordering, ref sink);
        SingularKkt.EnsureFinite(gradient, 0);
        return gradient;
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

    private KktOrdering Factor(OcpSolution solution)
    {
        var ordering = new KktOrdering(_assembler.Assemble(solution));
        var band = new BandwidthSink();
        KktAssembly.EmitMatrix(ordering, _options.Damping, ref band);
        _lu.Reset(ordering.Size, band.HalfBandwidth, band.HalfBandwidth);
        var sink = new BandSink(_lu);
        KktAssembly.EmitMatrix(ordering, _options.Damping, ref sink);
        int zeroPivot = _lu.Factor(_options.RelativePivotTolerance);
        if (zeroPivot >= 0) throw SingularKkt.At(ordering, zeroPivot);
        return ordering;
    }
}
