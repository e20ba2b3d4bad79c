namespace DiffOp.Symbolic;

/// <summary>A sparse symbolic matrix: a <see cref="Symbolic.Sparsity"/> and one expression per structural nonzero, in the same (CCS) order.</summary>
public sealed class SxSparseMatrix
{
    private readonly Sx[] _nonZeros;

    /// <summary>Creates a sparse matrix.</summary>
    /// <param name="sparsity">The pattern.</param>
    /// <param name="nonZeros">One expression per nonzero of <paramref name="sparsity"/>, in its order.</param>
    public SxSparseMatrix(Sparsity sparsity, IReadOnlyList<Sx> nonZeros)
    {
        ArgumentNullException.ThrowIfNull(sparsity);
        ArgumentNullException.ThrowIfNull(nonZeros);
        if (nonZeros.Count != sparsity.NonZeroCount)
        {
            throw new ArgumentException(
                $"The sparsity pattern ({sparsity}) has {sparsity.NonZeroCount} nonzeros but {nonZeros.Count} expressions were given.",
                nameof(nonZeros));
        }

        _nonZeros = new Sx[nonZeros.Count];
        for (int k = 0; k < _nonZeros.Length; k++)
        {
            _nonZeros[k] = nonZeros[k] ?? throw new ArgumentNullException(nameof(nonZeros), $"Nonzero {k} is null.");
        }

        Sparsity = sparsity;
    }

    /// <summary>The pattern.</summary>
    public Sparsity Sparsity { get; }

    /// <summary>The nonzero expressions, in the pattern's CCS order.</summary>
    public IReadOnlyList<Sx> NonZeros => _nonZeros;

    /// <summary>Number of rows.</summary>
    public int RowCount => Sparsity.RowCount;

    /// <summary>Number of columns.</summary>
    public int ColumnCount => Sparsity.ColumnCount;

    /// <summary>Entry (r, c): its expression, or the constant 0 where structurally zero.</summary>
    /// <param name="r">Row index.</param>
    /// <param name="c">Column index.</param>
    public Sx this[int r, int c]
    {
        get
        {
            int k = Sparsity.IndexOf(r, c);
            return k < 0 ? Sx.Zero : _nonZeros[k];
        }
    }

    /// <summary>A dense n × 1 column holding the vector's elements.</summary>
    /// <param name="v">The vector.</param>
    public static SxSparseMatrix FromVector(SxVector v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new SxSparseMatrix(Sparsity.Dense(v.Length, 1), v);
    }

    /// <summary>A 1 × 1 dense matrix holding a scalar (e.g. an objective).</summary>
    /// <param name="x">The scalar.</param>
    public static SxSparseMatrix FromScalar(Sx x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return new SxSparseMatrix(Sparsity.Dense(1, 1), [x]);
    }

    /// <summary>A sparse matrix holding the entries of <paramref name="m"/> that are not the constant 0.</summary>
    /// <param name="m">Dense matrix.</param>
    public static SxSparseMatrix FromMatrix(SxMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var triplets = new List<(int Row, int Column, Sx Value)>();
        for (int r = 0; r < m.RowCount; r++)
        {
            for (int c = 0; c < m.ColumnCount; c++)
            {
                if (!m[r, c].IsZero)
                {
                    triplets.Add((r, c, m[r, c]));
                }
            }
        }

        return FromTriplets(m.RowCount, m.ColumnCount, triplets);
    }

    /// <summary>A sparse matrix from distinct (row, column, value) triplets in any order.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="triplets">Entries; each position at most once.</param>
    public static SxSparseMatrix FromTriplets(int rows, int cols, IEnumerable<(int Row, int Column, Sx Value)> triplets)
    {
        ArgumentNullException.ThrowIfNull(triplets);
        var list = triplets.ToList();
        var sparsity = Sparsity.FromTriplets(rows, cols, list.Select(t => (t.Row, t.Column)));
        var nz = new Sx[list.Count];
        foreach (var (r, c, value) in list)
        {
            nz[sparsity.IndexOf(r, c)] = value;
        }

        return new SxSparseMatrix(sparsity, nz);
    }

    /// <summary>The dense matrix with structural zeros filled by the constant 0.</summary>
    public SxMatrix ToDense() => new(RowCount, ColumnCount, (r, c) => this[r, c]);

    /// <summary>Text listing the nonzeros "(r, c): expr".</summary>
    public override string ToString()
    {
        var rows = Sparsity.Rows;
        var cols = Sparsity.Columns;
        var parts = new string[_nonZeros.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            parts[k] = $"({rows[k]}, {cols[k]}): {_nonZeros[k]}";
        }

        return $"{Sparsity} {{ {string.Join("; ", parts)} }}";
    }
}
