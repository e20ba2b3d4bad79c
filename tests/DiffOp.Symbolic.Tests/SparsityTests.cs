using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>Exact structural sparsity of Jacobians and Hessians, and the <see cref="Sparsity"/> type itself.</summary>
public class SparsityTests
{
    [TestCase(2)]
    [TestCase(6)]
    [TestCase(25)]
    public void Hessian_ChainOfCubicTerms_HasExactBandedPattern(int n)
    {
        // f = Σ_{i<n−1} x_i² x_{i+1}: ∂²f/∂x_i² = 2x_{i+1} (i < n−1), ∂²f/∂x_{i+1}∂x_i = 2x_i, and ∂²f/∂x_{n−1}² = 0.
        var x = SxVector.Symbols("x", n);
        Sx f = Sx.Zero;
        for (int i = 0; i + 1 < n; i++)
        {
            f += Sx.Sqr(x[i]) * x[i + 1];
        }

        var expected = new List<(int, int)>();
        for (int i = 0; i + 1 < n; i++)
        {
            expected.Add((i, i));
            expected.Add((i + 1, i));
        }

        var h = Derivatives.Hessian(f, x);
        Assert.That(h.Sparsity, Is.EqualTo(Sparsity.FromTriplets(n, n, expected)));

        var p = Enumerable.Range(0, n).Select(i => 0.3 + 0.1 * i).ToArray();
        var values = new Function("h", [("x", x)], [("h", h)]).Evaluate(p)[0];
        for (int k = 0; k < h.Sparsity.NonZeroCount; k++)
        {
            int r = h.Sparsity.Rows[k], c = h.Sparsity.Columns[k];
            double expectedValue = r == c ? 2 * p[r + 1] : 2 * p[c];
            Assert.That(values[k], Is.EqualTo(expectedValue).Within(1e-15), $"H[{r},{c}]");
        }
    }

    [Test]
    public void Jacobian_StageWiseDynamicsChain_HasExactBlockPattern()
    {
        // ζ = (x0, u0, x1, u1, …, x_N), pendulum-like f(x, u) = [x1, −sin(x0) + u]; κ_k = x_{k+1} − (x_k + dt f(x_k, u_k)).
        const int n = 2, m = 1, steps = 4;
        const double dt = 0.1;
        var zeta = SxVector.Symbols("z", steps * (n + m) + n);
        var rows = new List<Sx>();
        for (int k = 0; k < steps; k++)
        {
            var xk = zeta.Slice(k * (n + m), n);
            var uk = zeta[k * (n + m) + n];
            var xNext = zeta.Slice((k + 1) * (n + m), n);
            var f = new SxVector(xk[1], -Sx.Sin(xk[0]) + uk);
            rows.AddRange(xNext - (xk + dt * f));
        }

        var jac = Derivatives.Jacobian(new SxVector(rows), zeta);
        var expected = new List<(int, int)>();
        for (int k = 0; k < steps; k++)
        {
            int r = n * k, c = (n + m) * k;
            expected.AddRange([(r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)]); // −I − dt ∂f/∂x: full 2×2
            expected.Add((r + 1, c + 2));                                        // −dt ∂f/∂u: only the second row
            expected.AddRange([(r, c + 3), (r + 1, c + 4)]);                     // I for x_{k+1}
        }

        Assert.That(jac.Sparsity, Is.EqualTo(Sparsity.FromTriplets(steps * n, zeta.Length, expected)));
    }

    [Test]
    public void FromTriplets_AnyOrder_SortsColumnMajor()
    {
        var s = Sparsity.FromTriplets(3, 2, [(2, 1), (0, 0), (1, 1), (2, 0)]);
        Assert.That(s.Rows.ToArray(), Is.EqualTo(new[] { 0, 2, 1, 2 }));
        Assert.That(s.Columns.ToArray(), Is.EqualTo(new[] { 0, 0, 1, 1 }));
        Assert.That(s.ColumnStarts.ToArray(), Is.EqualTo(new[] { 0, 2, 4 }));
        Assert.That(s.IndexOf(1, 1), Is.EqualTo(2));
        Assert.That(s.IndexOf(1, 0), Is.EqualTo(-1));
    }

    [Test]
    public void FromTriplets_DuplicateOrOutOfRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => Sparsity.FromTriplets(2, 2, [(0, 0), (0, 0)]));
        Assert.Throws<ArgumentException>(() => Sparsity.FromTriplets(2, 2, [(2, 0)]));
    }

    [Test]
    public void Dense_IsColumnMajor()
    {
        var s = Sparsity.Dense(2, 3);
        Assert.That(s.NonZeroCount, Is.EqualTo(6));
        Assert.That(s.Rows.ToArray(), Is.EqualTo(new[] { 0, 1, 0, 1, 0, 1 }));
        Assert.That(s.Columns.ToArray(), Is.EqualTo(new[] { 0, 0, 1, 1, 2, 2 }));
        Assert.That(s.IsDense);
    }

    [Test]
    public void SparseMatrix_Indexer_ReturnsZeroForStructuralZeros()
    {
        var x = Sx.Symbol("x");
        var m = SxSparseMatrix.FromTriplets(2, 2, [(1, 0, x)]);
        Assert.That(m[1, 0], Is.SameAs(x));
        Assert.That(m[0, 1].IsZero);
        Assert.Throws<ArgumentException>(() => new SxSparseMatrix(Sparsity.Dense(2, 2), [x]));
    }
}
