using DiffOp.Control.Sensitivity;
using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Tests.Sensitivity;

/// <summary>The banded LU against MathNet's dense LU, for one and for many right-hand sides.</summary>
public class BandedLuTests
{
    private static (BandedLu Lu, Matrix<double> Dense) RandomBanded(int n, int kl, int ku, int seed)
    {
        var random = new Random(seed);
        var dense = Matrix<double>.Build.Dense(n, n);
        var lu = new BandedLu();
        lu.Reset(n, kl, ku);
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(0, i - kl); j <= Math.Min(n - 1, i + ku); j++)
            {
                // Small diagonal: partial pivoting must swap rows to stay stable.
                double v = i == j ? 0.01 * random.NextDouble() : random.NextDouble() * 2 - 1;
                dense[i, j] = v;
                lu.Add(i, j, v);
            }
        Assert.That(lu.Factor(), Is.EqualTo(-1), "nonsingular");
        return (lu, dense);
    }

    [TestCase(1, 1, 1)]
    [TestCase(40, 3, 5)]
    [TestCase(200, 12, 12)]
    public void MultiRhsSweep_EqualsColumnByColumnSolves_AndTheDenseSolution(int n, int kl, int ku)
    {
        var (lu, dense) = RandomBanded(n, kl, ku, seed: n + kl);
        const int columns = 7;
        var random = new Random(5);
        var b = Matrix<double>.Build.Dense(n, columns, (_, _) => random.NextDouble() * 2 - 1);
        var expected = dense.Solve(b);

        var rowMajor = new double[n * columns];
        for (int i = 0; i < n; i++) for (int c = 0; c < columns; c++) rowMajor[i * columns + c] = b[i, c];
        lu.Solve(rowMajor, columns);
        for (int c = 0; c < columns; c++)
        {
            var single = b.Column(c).ToArray();
            lu.Solve(single);
            for (int i = 0; i < n; i++)
            {
                Assert.That(rowMajor[i * columns + c], Is.EqualTo(single[i]).Within(1e-12 * (1 + Math.Abs(single[i]))), $"({i}, {c}) sweep vs single");
                Assert.That(single[i], Is.EqualTo(expected[i, c]).Within(1e-8 * (1 + Math.Abs(expected[i, c]))), $"({i}, {c}) vs dense");
            }
        }
        Assert.That(() => lu.Solve(new double[n * columns - 1], columns), Throws.ArgumentException);
    }
}
