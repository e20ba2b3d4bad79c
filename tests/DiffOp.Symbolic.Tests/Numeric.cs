using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>Independent numeric references: central finite differences and tolerant comparisons.</summary>
internal static class Numeric
{
    /// <summary>Relative tolerance of derivative checks.</summary>
    public const double Relative = 1e-6;

    /// <summary>Evaluates a scalar expression with the slow interpreter (independent of the compiled tape).</summary>
    public static double Interpret(Sx f, SxVector symbols, double[] x)
    {
        var values = new Dictionary<Sx, double>();
        for (int i = 0; i < x.Length; i++)
        {
            values[symbols[i]] = x[i];
        }

        return f.Evaluate(values);
    }

    /// <summary>A compiled evaluator of a vector of expressions (dense output).</summary>
    public static Func<double[], double[]> Compile(SxVector outputs, SxVector symbols)
    {
        var fn = new Function("f", [("x", symbols)], [("y", SxSparseMatrix.FromVector(outputs))]);
        return x => fn.Evaluate(x)[0];
    }

    /// <summary>
    /// Central-difference Jacobian of g at x with one Richardson step: D(h) = (g(x + h e_j) − g(x − h e_j)) / 2h and
    /// J ≈ (4 D(h/2) − D(h)) / 3, whose truncation error is O(h⁴) (plain central differences, O(h²), are too coarse for
    /// the nested powers of the random graphs at a 1e-6 relative tolerance).
    /// </summary>
    public static double[,] FiniteDifferenceJacobian(Func<double[], double[]> g, double[] x, int outputs)
    {
        var jac = new double[outputs, x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double h = 1e-4 * Math.Max(1.0, Math.Abs(x[j]));
            var coarse = Central(g, x, j, h, outputs);
            var fine = Central(g, x, j, h / 2, outputs);
            for (int i = 0; i < outputs; i++)
            {
                jac[i, j] = (4 * fine[i] - coarse[i]) / 3;
            }
        }

        return jac;
    }

    private static double[] Central(Func<double[], double[]> g, double[] x, int j, double h, int outputs)
    {
        var xp = (double[])x.Clone();
        var xm = (double[])x.Clone();
        xp[j] += h;
        xm[j] -= h;
        var gp = g(xp);
        var gm = g(xm);
        var d = new double[outputs];
        for (int i = 0; i < outputs; i++)
        {
            d[i] = (gp[i] - gm[i]) / (xp[j] - xm[j]);
        }

        return d;
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ 1e-6·max(|actual|, |expected|) + floor. The floor covers finite-difference round-off,
    /// ≈ ε·|g|/h ≈ 1e-12·|g|, with a wide margin: floor = 1e-7·(1 + scale), scale = magnitude of the differentiated values.
    /// </summary>
    public static void AssertClose(double actual, double expected, double scale, string what)
    {
        double tol = Relative * Math.Max(Math.Abs(actual), Math.Abs(expected)) + 1e-7 * (1.0 + scale);
        Assert.That(Math.Abs(actual - expected), Is.LessThanOrEqualTo(tol), $"{what}: AD {actual:R} vs FD {expected:R}");
    }

    /// <summary>Dense values of a sparse output (nonzeros in CCS order) as a matrix.</summary>
    public static double[,] ToDense(Sparsity s, ReadOnlySpan<double> nonZeros)
    {
        var m = new double[s.RowCount, s.ColumnCount];
        for (int k = 0; k < s.NonZeroCount; k++)
        {
            m[s.Rows[k], s.Columns[k]] = nonZeros[k];
        }

        return m;
    }

    public static double MaxAbs(IEnumerable<double> values) => values.Select(Math.Abs).DefaultIfEmpty(0.0).Max();
}

/// <summary>Kink detection for the non-smooth operations, so finite differences are taken only where f is smooth.</summary>
internal static class Kinks
{
    /// <summary>
    /// Smallest distance, over the abs/min/max/sign/step/atan2 nodes of <paramref name="roots"/>, of the switching quantity
    /// from its switching value at x (|a| for abs/sign/step, |a − b| for min/max, |y| on atan2's branch cut x &lt; 0).
    /// </summary>
    public static double Distance(IEnumerable<Sx> roots, SxVector symbols, double[] x)
    {
        var values = new Dictionary<Sx, double>();
        for (int i = 0; i < x.Length; i++)
        {
            values[symbols[i]] = x[i];
        }

        double distance = double.PositiveInfinity;
        foreach (var node in GraphOrder.Topological(roots))
        {
            double d = node.Op switch
            {
                SxOp.Abs or SxOp.Sign or SxOp.Step => Math.Abs(node.A!.Evaluate(values)),
                SxOp.Min or SxOp.Max => Math.Abs(node.A!.Evaluate(values) - node.B!.Evaluate(values)),
                SxOp.Atan2 when node.B!.Evaluate(values) < 0 => Math.Abs(node.A!.Evaluate(values)),
                _ => double.PositiveInfinity,
            };
            distance = Math.Min(distance, d);
        }

        return distance;
    }

    /// <summary>A random point at which every kink of <paramref name="roots"/> is at least 1e-2 away.</summary>
    public static double[] SmoothPoint(Random rng, IEnumerable<Sx> roots, SxVector symbols)
    {
        var list = roots.ToList();
        for (int attempt = 0; ; attempt++)
        {
            var p = RandomExpressions.Point(rng, symbols.Length);
            if (Distance(list, symbols, p) > 1e-2 || attempt == 100)
            {
                return p;
            }
        }
    }
}
