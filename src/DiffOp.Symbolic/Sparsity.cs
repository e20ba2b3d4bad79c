namespace DiffOp.Symbolic;

/// <summary>
/// Immutable sparsity pattern of a RowCount × ColumnCount matrix: the structural nonzeros as triplets in
/// column-major (CCS) order, nonzero k at (<see cref="Rows"/>[k], <see cref="Columns"/>[k]); within a column, rows increase.
/// </summary>
public sealed class Sparsity : IEquatable<Sparsity>
{
    private readonly int[] _rows;
    private readonly int[] _columns;
    private readonly int[] _columnStarts;

    private Sparsity(int rowCount, int columnCount, int[] rows, int[] columns)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        _rows = rows;
        _columns = columns;
        _columnStarts = new int[columnCount + 1];
        foreach (int c in columns)
        {
            _columnStarts[c + 1]++;
        }

        for (int c = 0; c < columnCount; c++)
        {
            _columnStarts[c + 1] += _columnStarts[c];
        }
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Number of structural nonzeros (nnz).</summary>
    public int NonZeroCount => _rows.Length;

    /// <summary>Row index of each nonzero, in CCS order.</summary>
    public ReadOnlySpan<int> Rows => _rows;

    /// <summary>Column index of each nonzero, in CCS order.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>CCS column pointers: the nonzeros of column c are [ColumnStarts[c], ColumnStarts[c+1]). Length ColumnCount + 1.</summary>
    public ReadOnlySpan<int> ColumnStarts => _columnStarts;

    /// <summary>True if every entry is a structural nonzero.</summary>
    public bool IsDense => (long)RowCount * ColumnCount == NonZeroCount;

    /// <summary>The dense pattern (all entries, column by column).</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public static Sparsity Dense(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        var r = new int[rows * cols];
        var c = new int[rows * cols];
        int k = 0;
        for (int j = 0; j < cols; j++)
        {
            for (int i = 0; i < rows; i++, k++)
            {
                r[k] = i;
                c[k] = j;
            }
        }

        return new Sparsity(rows, cols, r, c);
    }

    /// <summary>A pattern from (row, column) entries in any order; they are sorted into CCS order.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="entries">Distinct in-range entries.</param>
    /// <exception cref="ArgumentException">An entry is out of range or repeated.</exception>
    public static Sparsity FromTriplets(int rows, int cols, IEnumerable<(int Row, int Column)> entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        foreach (var (r, c) in list)
        {
            if ((uint)r >= (uint)rows || (uint)c >= (uint)cols)
            {
                throw new ArgumentException($"Sparsity entry ({r}, {c}) is outside a {rows}x{cols} matrix.", nameof(entries));
            }
        }

        list.Sort(static (a, b) => a.Column != b.Column ? a.Column.CompareTo(b.Column) : a.Row.CompareTo(b.Row));
        var ri = new int[list.Count];
        var ci = new int[list.Count];
        for (int k = 0; k < list.Count; k++)
        {
            if (k > 0 && list[k] == list[k - 1])
            {
                throw new ArgumentException($"Sparsity entry ({list[k].Row}, {list[k].Column}) is repeated.", nameof(entries));
            }

            ri[k] = list[k].Row;
            ci[k] = list[k].Column;
        }

        return new Sparsity(rows, cols, ri, ci);
    }

    /// <summary>Index of the nonzero at (row, column), or −1 if the entry is structurally zero.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    public int IndexOf(int row, int column)
    {
        if ((uint)row >= (uint)RowCount || (uint)column >= (uint)ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"Entry ({row}, {column}) is outside a {RowCount}x{ColumnCount} matrix.");
        }

        int start = _columnStarts[column];
        int k = Array.BinarySearch(_rows, start, _columnStarts[column + 1] - start, row);
        return k >= 0 ? k : -1;
    }

    /// <inheritdoc/>
    public bool Equals(Sparsity? other) =>
        other is not null && other.RowCount == RowCount && other.ColumnCount == ColumnCount
        && Rows.SequenceEqual(other.Rows) && Columns.SequenceEqual(other.Columns);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Sparsity);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RowCount, ColumnCount, NonZeroCount);

    /// <summary>Text "RxC, nnz=k".</summary>
    public override string ToString() => $"{RowCount}x{ColumnCount}, nnz={NonZeroCount}";
}
