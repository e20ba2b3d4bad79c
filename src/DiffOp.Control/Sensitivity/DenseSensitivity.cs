using DiffOp.Control.OptimalControl;
using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// The oracle: assembles the whole KKT matrix densely and solves it with MathNet's LU (partial pivoting).
/// O((H(2n+m+q))³): for tests and cross-checks, not for training.
/// </summary>
public sealed class DenseSensitivity : ISensitivitySolver
{
    private readonly KktBlockAssembler _assembler;
    private readonly SensitivityOptions _options;

    /// <summary>Creates the solver for solutions of <paramref name="ocp"/>.</summary>
    public DenseSensitivity(Ocp ocp, SensitivityOptions? options = null)
    {
        _assembler = new KktBlockAssembler(ocp);
        _options = options ?? new SensitivityOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public SensitivityResult Jacobian(OcpSolution solution)
    {
        var (ordering, lu) = Factor(solution);
        int size = ordering.Size, d = ordering.Blocks.ParameterCount, columns = d + ordering.Blocks.StateCount;
        var rhsData = new double[size * columns];
        var rhsSink = new ColumnMajorSink(rhsData, size);
        KktAssembly.EmitRightHandSide(ordering, ref rhsSink);
        var x = lu.Solve(Matrix<double>.Build.Dense(size, columns, rhsData));
        var l = solution.Ocp.Layout;
        var jacobian = new double[l.VariableCount * columns];
        for (int j = 0; j < l.VariableCount; j++)
        {
            int pos = ordering.PositionOfVariable(j);
            for (int c = 0; c < columns; c++) jacobian[j * columns + c] = x[pos, c];
        }
        SingularKkt.EnsureFinite(jacobian, 0);
        return new SensitivityResult(l, solution.Ocp.Parameters, d, jacobian, solution.ActiveSet.WeaklyActive);
    }

    /// <inheritdoc />
    public double[] VectorJacobianProduct(OcpSolution solution, ReadOnlySpan<double> v)
    {
        var jac = Jacobian(solution);
        if (v.Length != jac.Layout.VariableCount)
            throw new ArgumentException($"v has length {v.Length}; ζ has {jac.Layout.VariableCount} entries.", nameof(v));
        var result = new double[jac.ColumnCount];
        for (int j = 0; j < v.Length; j++)
            for (int c = 0; c < result.Length; c++) result[c] += v[j] * jac[j, c];
        return result;
    }

    /// <inheritdoc />
    public double[] JacobianVectorProduct(OcpSolution solution, ReadOnlySpan<double> direction)
    {
        var jac = Jacobian(solution);
        if (direction.Length != jac.ColumnCount)
            throw new ArgumentException($"The direction has length {direction.Length}; expected d + n = {jac.ColumnCount}.", nameof(direction));
        var result = new double[jac.Layout.VariableCount];
        for (int j = 0; j < result.Length; j++)
            for (int c = 0; c < direction.Length; c++) result[j] += jac[j, c] * direction[c];
        return result;
    }

    private (KktOrdering, MathNet.Numerics.LinearAlgebra.Factorization.LU<double>) Factor(OcpSolution solution)
    {
        var ordering = new KktOrdering(_assembler.Assemble(solution));
        var k = Matrix<double>.Build.Dense(ordering.Size, ordering.Size);
        var sink = new DenseSink(k);
        KktAssembly.EmitMatrix(ordering, _options.Damping, ref sink);
        double scale = k.Enumerate().Max(Math.Abs);
        var lu = k.LU();
        var u = lu.U;
        for (int i = 0; i < ordering.Size; i++)
        {
            if (!(Math.Abs(u[i, i]) > _options.RelativePivotTolerance * scale)) throw SingularKkt.At(ordering, i);
        }
        return (ordering, lu);
    }
}
