using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>Property tests of <see cref="Derivatives"/> on seeded random graphs against central finite differences.</summary>
public class DerivativesTests
{
    private const int GraphCount = 200;

    private static IEnumerable<int> Seeds => Enumerable.Range(0, GraphCount);

    private static (SxVector X, Sx F, double[] Point) RandomCase(int seed)
    {
        var rng = new Random(seed);
        var x = SxVector.Symbols("x", 4 + seed % 3);
        var f = RandomExpressions.Build(rng, x, 8 + rng.Next(12));
        return (x, f, Kinks.SmoothPoint(rng, [f], x));
    }

    [TestCaseSource(nameof(Seeds))]
    public void Gradient_RandomGraph_MatchesFiniteDifferences(int seed)
    {
        var (x, f, p) = RandomCase(seed);
        var g = Derivatives.Gradient(f, x);
        var value = Numeric.Compile(new SxVector(f), x);
        double[] ad = Numeric.Compile(g, x)(p);
        var fd = Numeric.FiniteDifferenceJacobian(value, p, 1);
        double scale = Math.Abs(value(p)[0]) + Numeric.MaxAbs(ad);
        Assert.Multiple(() =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                Numeric.AssertClose(ad[i], fd[0, i], scale, $"seed {seed}, df/dx{i} of {Sx.Truncate(f.ToString())}");
            }
        });
    }

    [TestCaseSource(nameof(Seeds))]
    public void Hessian_RandomGraph_MatchesFiniteDifferencesAndIsSymmetric(int seed)
    {
        var (x, f, p) = RandomCase(seed);
        int n = x.Length;
        var gradient = Numeric.Compile(Derivatives.Gradient(f, x), x);
        var full = Derivatives.Hessian(f, x, lowerTriangleOnly: false);
        var fn = new Function("hess", [("x", x)], [("h", full)]);
        var h = Numeric.ToDense(full.Sparsity, fn.Evaluate(p)[0]);
        var fd = Numeric.FiniteDifferenceJacobian(gradient, p, n);
        double scale = Numeric.MaxAbs(gradient(p)) + Numeric.MaxAbs(h.Cast<double>());
        Assert.Multiple(() =>
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    Numeric.AssertClose(h[i, j], fd[i, j], scale, $"seed {seed}, H[{i},{j}]");
                    Numeric.AssertClose(h[i, j], h[j, i], scale, $"seed {seed}, symmetry H[{i},{j}] vs H[{j},{i}]");
                }
            }
        });
    }

    [TestCaseSource(nameof(Seeds))]
    public void Hessian_LowerTriangle_IsLowerPartOfFullHessian(int seed)
    {
        var (x, f, point) = RandomCase(seed);
        var full = Derivatives.Hessian(f, x, lowerTriangleOnly: false);
        var lower = Derivatives.Hessian(f, x);
        var expected = new List<(int, int)>();
        for (int k = 0; k < full.Sparsity.NonZeroCount; k++)
        {
            if (full.Sparsity.Rows[k] >= full.Sparsity.Columns[k])
            {
                expected.Add((full.Sparsity.Rows[k], full.Sparsity.Columns[k]));
            }
        }

        Assert.That(lower.Sparsity, Is.EqualTo(Sparsity.FromTriplets(x.Length, x.Length, expected)));
        // Node identity is not the property: the hash-cons table holds nodes weakly, so intermediate nodes collected
        // between the two calls are rebuilt as equal but distinct objects. The entries must evaluate identically.
        var values = new Dictionary<Sx, double>();
        for (int i = 0; i < x.Length; i++) values[x[i]] = point[i];
        for (int k = 0; k < lower.Sparsity.NonZeroCount; k++)
        {
            double expectedValue = full[lower.Sparsity.Rows[k], lower.Sparsity.Columns[k]].Evaluate(values);
            Assert.That(lower.NonZeros[k].Evaluate(values), Is.EqualTo(expectedValue), $"entry ({lower.Sparsity.Rows[k]}, {lower.Sparsity.Columns[k]})");
        }
    }

    [TestCaseSource(nameof(Seeds))]
    public void JacobianOfGradient_RandomGraph_EqualsHessian(int seed)
    {
        var (x, f, p) = RandomCase(seed);
        var viaJacobian = Derivatives.Jacobian(Derivatives.Gradient(f, x), x);
        var hessian = Derivatives.Hessian(f, x, lowerTriangleOnly: false);
        Assert.That(viaJacobian.Sparsity, Is.EqualTo(hessian.Sparsity));
        var a = new Function("jg", [("x", x)], [("j", viaJacobian)]).Evaluate(p)[0];
        var b = new Function("h", [("x", x)], [("h", hessian)]).Evaluate(p)[0];
        Assert.That(a, Is.EqualTo(b));
    }

    [TestCaseSource(nameof(Seeds))]
    public void Jacobian_RandomVector_MatchesFiniteDifferences(int seed)
    {
        var rng = new Random(10_000 + seed);
        var x = SxVector.Symbols("x", 4 + seed % 3);
        var f = new SxVector(Enumerable.Range(0, 3).Select(_ => RandomExpressions.Build(rng, x, 4 + rng.Next(8))));
        var p = Kinks.SmoothPoint(rng, f, x);
        var jac = Derivatives.Jacobian(f, x);
        var values = new Function("jac", [("x", x)], [("j", jac)]).Evaluate(p)[0];
        var dense = Numeric.ToDense(jac.Sparsity, values);
        var fValue = Numeric.Compile(f, x);
        var fd = Numeric.FiniteDifferenceJacobian(fValue, p, f.Length);
        double scale = Numeric.MaxAbs(fValue(p)) + Numeric.MaxAbs(values);
        Assert.Multiple(() =>
        {
            for (int i = 0; i < f.Length; i++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    Numeric.AssertClose(dense[i, j], fd[i, j], scale, $"seed {seed}, J[{i},{j}]");
                }
            }
        });
    }

    [Test]
    public void RandomGraphs_UseEveryOperation()
    {
        // Guards the property tests: the generator must exercise every kind of node.
        var seen = new HashSet<string>();
        foreach (int seed in Seeds)
        {
            var (_, f, _) = RandomCase(seed);
            foreach (var node in GraphOrder.Topological([f]))
            {
                seen.Add(node.Op.ToString());
            }
        }

        var missing = Enum.GetNames<SxOp>().Where(n => n is not "Sign" and not "Step" && !seen.Contains(n)).ToList();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Gradient_KnownFunction_MatchesHandDerivative()
    {
        var x = Sx.Symbol("x");
        var y = Sx.Symbol("y");
        var g = Derivatives.Gradient(Sx.Sin(x) * y + Sx.Exp(y), new SxVector(x, y));
        var values = new Dictionary<Sx, double> { [x] = 0.3, [y] = -1.2 };
        Assert.That(g[0].Evaluate(values), Is.EqualTo(Math.Cos(0.3) * -1.2).Within(1e-15));
        Assert.That(g[1].Evaluate(values), Is.EqualTo(Math.Sin(0.3) + Math.Exp(-1.2)).Within(1e-15));
    }

    [Test]
    public void Gradient_AbsMinMax_UseSubgradientConvention()
    {
        var x = Sx.Symbol("x");
        var y = Sx.Symbol("y");
        var wrt = new SxVector(x, y);
        var abs = Derivatives.Gradient(Sx.Abs(x), wrt);
        var min = Derivatives.Gradient(Sx.Min(x, y), wrt);
        var max = Derivatives.Gradient(Sx.Max(x, y), wrt);
        var at = new Dictionary<Sx, double> { [x] = -2.0, [y] = 3.0 };
        Assert.Multiple(() =>
        {
            Assert.That(abs[0].Evaluate(at), Is.EqualTo(-1.0));
            Assert.That(abs[1].IsZero);
            Assert.That(min[0].Evaluate(at), Is.EqualTo(1.0));
            Assert.That(min[1].Evaluate(at), Is.EqualTo(0.0));
            Assert.That(max[0].Evaluate(at), Is.EqualTo(0.0));
            Assert.That(max[1].Evaluate(at), Is.EqualTo(1.0));
            Assert.That(Derivatives.Hessian(Sx.Abs(x) + Sx.Max(x, y), wrt).Sparsity.NonZeroCount, Is.EqualTo(0));
        });
    }

    [Test]
    public void Gradient_WithRespectToNonSymbol_ThrowsNamingTheElement()
    {
        var x = Sx.Symbol("x");
        var ex = Assert.Throws<SymbolicException>(() => Derivatives.Gradient(Sx.Sqr(x), new SxVector(x, 2 * x)));
        Assert.That(ex!.Message, Does.Contain("element 1").And.Contain("not a symbol"));
        Assert.Throws<SymbolicException>(() => Derivatives.Jacobian(new SxVector(x), new SxVector(Sx.Sin(x))));
        Assert.Throws<SymbolicException>(() => Derivatives.Hessian(x, new SxVector(Sx.Constant(1.0))));
    }

    [Test]
    public void Jacobian_RepeatedVariable_Throws()
    {
        var x = Sx.Symbol("x");
        var ex = Assert.Throws<SymbolicException>(() => Derivatives.Jacobian(new SxVector(x), new SxVector(x, x)));
        Assert.That(ex!.Message, Does.Contain("'x'").And.Contain("twice"));
    }

    [Test]
    public void MixedHessian_MatchesFiniteDifferencesOfGradient()
    {
        var z = SxVector.Symbols("z", 3);
        var th = SxVector.Symbols("th", 2);
        Sx f = th[0] * Sx.Sqr(z[0]) + Sx.Sin(th[1] * z[1]) + z[2] * z[0];
        var mixed = Derivatives.Hessian(f, z, th);
        Assert.That(mixed.RowCount, Is.EqualTo(3));
        Assert.That(mixed.ColumnCount, Is.EqualTo(2));
        Assert.That(mixed.Sparsity, Is.EqualTo(Sparsity.FromTriplets(3, 2, [(0, 0), (1, 1)])));
        var all = SxVector.Concat(z, th);
        var p = new[] { 0.4, -0.7, 1.1, 0.9, 1.3 };
        var values = new Function("b", [("all", all)], [("b", mixed)]).Evaluate(p)[0];
        var gz = Numeric.Compile(Derivatives.Gradient(f, z), all);
        var fd = Numeric.FiniteDifferenceJacobian(gz, p, 3);
        Numeric.AssertClose(values[0], fd[0, 3], 1, "d2f/dz0 dth0");
        Numeric.AssertClose(values[1], fd[1, 4], 1, "d2f/dz1 dth1");
    }
}
