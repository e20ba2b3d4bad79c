using MathNet.Numerics.LinearAlgebra;

namespace DiffOp.Control.Sensitivity;

/// <summary>Records the largest |row − column| of the emitted entries.</summary>
internal struct BandwidthSink : IKktSink
{
    public int HalfBandwidth;
    public void Add(int row, int column, double value) => HalfBandwidth = Math.Max(HalfBandwidth, Math.Abs(row - column));
}

/// <summary>Accumulates entries into band storage.</summary>
internal readonly struct BandSink(BandedLu lu) : IKktSink
{
    public void Add(int row, int column, double value) => lu.Add(row, column, value);
}

/// <summary>Accumulates entries into a dense MathNet matrix.</summary>
internal readonly struct DenseSink(Matrix<double> matrix) : IKktSink
{
    public void Add(int row, int column, double value) => matrix[row, column] += value;
}

/// <summary>Writes right-hand-side entries into a dense column-major array with <paramref name="size"/> rows.</summary>
internal readonly struct ColumnMajorSink(double[] target, int size) : IKktSink
{
    public void Add(int row, int column, double value) => target[column * size + row] += value;
}

/// <summary>Writes right-hand-side entries into a dense row-major array with <paramref name="columns"/> columns.</summary>
internal readonly struct RowMajorSink(double[] target, int columns) : IKktSink
{
    public void Add(int row, int column, double value) => target[row * columns + column] += value;
}

/// <summary>Accumulates wᵀR into a gradient: gradient[c] += w[row]·R[row, c].</summary>
internal readonly struct TransposeProductSink(double[] w, double[] gradient) : IKktSink
{
    public void Add(int row, int column, double value) => gradient[column] += w[row] * value;
}

/// <summary>Accumulates R·p into a vector: result[row] += R[row, c]·p[c].</summary>
internal readonly struct ProductSink(double[] direction, double[] result) : IKktSink
{
    public void Add(int row, int column, double value) => result[row] += value * direction[column];
}
