namespace DiffOp.Symbolic;

/// <summary>Immutable dense matrix of <see cref="Sx"/> expressions, stored row-major.</summary>
public sealed class SxMatrix
{
    private readonly Sx[] _entries;

    /// <summary>Creates a RowCount × ColumnCount matrix; <paramref name="entry"/> is called once per entry, row by row.</summary>
    /// <param name="rows">Number of rows (≥ 0).</param>
    /// <param name="cols">Number of columns (≥ 0).</param>
    /// <param name="entry">Entry (r, c) → expression.</param>
    public SxMatrix(int rows, int cols, Func<int, int, Sx> entry)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentNullException.ThrowIfNull(entry);
        RowCount = rows;
        ColumnCount = cols;
        _entries = new Sx[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                _entries[r * cols + c] = entry(r, c)
                    ?? throw new ArgumentException($"Entry ({r}, {c}) of the matrix is null.", nameof(entry));
            }
        }
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Entry (r, c).</summary>
    /// <param name="r">Row index.</param>
    /// <param name="c">Column index.</param>
    public Sx this[int r, int c]
    {
        get
        {
            if ((uint)r >= (uint)RowCount || (uint)c >= (uint)ColumnCount)
            {
                throw new ArgumentOutOfRangeException(nameof(r), $"Entry ({r}, {c}) is outside a {RowCount}x{ColumnCount} matrix.");
            }

            return _entries[r * ColumnCount + c];
        }
    }

    /// <summary>The diagonal matrix diag(d).</summary>
    /// <param name="d">Diagonal entries.</param>
    public static SxMatrix Diagonal(SxVector d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new SxMatrix(d.Length, d.Length, (r, c) => r == c ? d[r] : Sx.Zero);
    }

    /// <summary>The n × n identity matrix.</summary>
    /// <param name="n">Size.</param>
    public static SxMatrix Identity(int n) => new(n, n, static (r, c) => r == c ? Sx.One : Sx.Zero);

    /// <summary>The matrix whose rows are the given vectors (all of equal length).</summary>
    /// <param name="rows">Row vectors.</param>
    public static SxMatrix FromRows(params SxVector[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        foreach (var row in rows)
        {
            if (row.Length != cols)
            {
                throw new ArgumentException($"FromRows: rows have different lengths ({cols} and {row.Length}).", nameof(rows));
            }
        }

        return new SxMatrix(rows.Length, cols, (r, c) => rows[r][c]);
    }

    /// <summary>The transpose Aᵀ.</summary>
    public SxMatrix Transpose() => new(ColumnCount, RowCount, (r, c) => this[c, r]);

    /// <summary>Row r as a vector.</summary>
    /// <param name="r">Row index.</param>
    public SxVector Row(int r)
    {
        var e = new Sx[ColumnCount];
        for (int c = 0; c < ColumnCount; c++)
        {
            e[c] = this[r, c];
        }

        return SxVector.Wrap(e);
    }

    /// <summary>Column c as a vector.</summary>
    /// <param name="c">Column index.</param>
    public SxVector Column(int c)
    {
        var e = new Sx[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            e[r] = this[r, c];
        }

        return SxVector.Wrap(e);
    }

    /// <summary>Trace Σ Aᵢᵢ (square matrices).</summary>
    public Sx Trace()
    {
        RequireSquare(nameof(Trace));
        Sx acc = Sx.Zero;
        for (int i = 0; i < RowCount; i++)
        {
            acc += this[i, i];
        }

        return acc;
    }

    /// <summary>Matrix product A·B.</summary>
    /// <param name="a">Left factor (m × k).</param>
    /// <param name="b">Right factor (k × n).</param>
    public static SxMatrix operator *(SxMatrix a, SxMatrix b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.ColumnCount != b.RowCount)
        {
            throw new ArgumentException(
                $"Matrix product: left is {a.RowCount}x{a.ColumnCount}, right is {b.RowCount}x{b.ColumnCount}; inner dimensions must agree.");
        }

        return new SxMatrix(a.RowCount, b.ColumnCount, (r, c) =>
        {
            Sx acc = Sx.Zero;
            for (int k = 0; k < a.ColumnCount; k++)
            {
                acc += a[r, k] * b[k, c];
            }

            return acc;
        });
    }

    /// <summary>Matrix–vector product A·v.</summary>
    /// <param name="a">Matrix (m × n).</param>
    /// <param name="v">Vector of length n.</param>
    public static SxVector operator *(SxMatrix a, SxVector v)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(v);
        if (a.ColumnCount != v.Length)
        {
            throw new ArgumentException(
                $"Matrix-vector product: matrix is {a.RowCount}x{a.ColumnCount}, vector has length {v.Length}.");
        }

        var e = new Sx[a.RowCount];
        for (int r = 0; r < a.RowCount; r++)
        {
            Sx acc = Sx.Zero;
            for (int k = 0; k < a.ColumnCount; k++)
            {
                acc += a[r, k] * v[k];
            }

            e[r] = acc;
        }

        return SxVector.Wrap(e);
    }

    /// <summary>Elementwise sum.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand (same shape).</param>
    public static SxMatrix operator +(SxMatrix a, SxMatrix b)
    {
        CheckSameShape(a, b, "+");
        return new SxMatrix(a.RowCount, a.ColumnCount, (r, c) => a[r, c] + b[r, c]);
    }

    /// <summary>Elementwise difference.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand (same shape).</param>
    public static SxMatrix operator -(SxMatrix a, SxMatrix b)
    {
        CheckSameShape(a, b, "-");
        return new SxMatrix(a.RowCount, a.ColumnCount, (r, c) => a[r, c] - b[r, c]);
    }

    /// <summary>Scaling s·A.</summary>
    /// <param name="s">Scalar.</param>
    /// <param name="a">Matrix.</param>
    public static SxMatrix operator *(Sx s, SxMatrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new SxMatrix(a.RowCount, a.ColumnCount, (r, c) => s * a[r, c]);
    }

    /// <summary>
    /// Solves A x = b in closed form: any diagonal A (all off-diagonal entries the constant 0), and full 1×1, 2×2 and
    /// 3×3 matrices by Cramer's rule. Other sizes throw <see cref="NotSupportedException"/>.
    /// </summary>
    /// <param name="b">Right-hand side of length n.</param>
    /// <returns>x = A⁻¹ b as expressions (no pivoting: A must be nonsingular where evaluated).</returns>
    public SxVector Solve(SxVector b)
    {
        ArgumentNullException.ThrowIfNull(b);
        RequireSquare(nameof(Solve));
        int n = RowCount;
        if (b.Length != n)
        {
            throw new ArgumentException($"Solve: matrix is {n}x{n} but the right-hand side has length {b.Length}.", nameof(b));
        }

        if (IsDiagonal())
        {
            var e = new Sx[n];
            for (int i = 0; i < n; i++)
            {
                e[i] = b[i] / this[i, i];
            }

            return SxVector.Wrap(e);
        }

        switch (n)
        {
            case 1:
                return new SxVector(b[0] / this[0, 0]);
            case 2:
            {
                Sx det = this[0, 0] * this[1, 1] - this[0, 1] * this[1, 0];
                return new SxVector(
                    (this[1, 1] * b[0] - this[0, 1] * b[1]) / det,
                    (this[0, 0] * b[1] - this[1, 0] * b[0]) / det);
            }

            case 3:
            {
                Sx det = Det3(Column(0), Column(1), Column(2));
                return new SxVector(
                    Det3(b, Column(1), Column(2)) / det,
                    Det3(Column(0), b, Column(2)) / det,
                    Det3(Column(0), Column(1), b) / det);
            }

            default:
                throw new NotSupportedException(
                    $"Solve supports diagonal matrices of any size and full matrices up to 3x3 (closed form); got a full {n}x{n} matrix.");
        }
    }

    /// <summary>Text with one bracketed row per line.</summary>
    public override string ToString()
    {
        var rows = new string[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            rows[r] = Row(r).ToString();
        }

        return "[" + string.Join(",\n ", rows) + "]";
    }

    /// <summary>Determinant of the 3×3 matrix with the given columns.</summary>
    private static Sx Det3(SxVector c0, SxVector c1, SxVector c2) =>
        c0[0] * (c1[1] * c2[2] - c2[1] * c1[2])
        - c1[0] * (c0[1] * c2[2] - c2[1] * c0[2])
        + c2[0] * (c0[1] * c1[2] - c1[1] * c0[2]);

    private bool IsDiagonal()
    {
        for (int r = 0; r < RowCount; r++)
        {
            for (int c = 0; c < ColumnCount; c++)
            {
                if (r != c && !this[r, c].IsZero)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void RequireSquare(string operation)
    {
        if (RowCount != ColumnCount)
        {
            throw new ArgumentException($"{operation}: the matrix must be square; got {RowCount}x{ColumnCount}.");
        }
    }

    private static void CheckSameShape(SxMatrix a, SxMatrix b, string operation)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount)
        {
            throw new ArgumentException(
                $"Matrix {operation}: shapes differ ({a.RowCount}x{a.ColumnCount} and {b.RowCount}x{b.ColumnCount}).");
        }
    }
}
