namespace DiffOp.Control.Sensitivity;

/// <summary>
/// LU factorization with partial pivoting of a square banded matrix (kl sub-, ku super-diagonals) in
/// LAPACK's band layout: entry (i, j) lives at <c>[kl + ku + i − j, j]</c> of a (2kl+ku+1) × N column-major
/// array; the top kl rows take the fill-in that row interchanges create. Cost O(N·kl·(kl+ku)): linear in
/// the horizon for the stage-ordered KKT matrix. Buffers grow on demand and are reused across factorizations.
/// </summary>
internal sealed class BandedLu
{
    private double[] _ab = [];
    private int[] _pivots = [];
    private int _n, _kl, _ku, _ldab;
    private double _scale;

    public int Size => _n;

    /// <summary>Clears the storage for an N×N matrix with the given bandwidths.</summary>
    public void Reset(int n, int lowerBandwidth, int upperBandwidth)
    {
        _n = n; _kl = lowerBandwidth; _ku = upperBandwidth; _ldab = 2 * _kl + _ku + 1;
        int needed = _ldab * n;
        if (_ab.Length < needed) _ab = new double[needed];
        else Array.Clear(_ab, 0, needed);
        if (_pivots.Length < n) _pivots = new int[n];
        _scale = 0;
    }

    /// <summary>Adds <paramref name="value"/> to entry (i, j), which must lie inside the band.</summary>
    public void Add(int i, int j, double value)
    {
        _ab[(_kl + _ku + i - j) + j * _ldab] += value;
        _scale = Math.Max(_scale, Math.Abs(value));
    }

    /// <summary>
    /// Factors in place. Returns −1 on success, or the column whose pivot is zero relative to the matrix
    /// scale (the matrix is singular to working precision).
    /// </summary>
    public int Factor(double relativePivotTolerance = 1e-13)
    {
        int kv = _kl + _ku, ld = _ldab, ju = 0;
        double tiny = relativePivotTolerance * _scale;
        var ab = _ab;
        for (int j = 0; j < _n; j++)
        {
            int km = Math.Min(_kl, _n - 1 - j);
            int col = j * ld;
            int p = 0;
            double best = Math.Abs(ab[kv + col]);
            for (int i = 1; i <= km; i++)
            {
                double v = Math.Abs(ab[kv + i + col]);
                if (v > best) { best = v; p = i; }
            }
            _pivots[j] = j + p;
            if (!(best > tiny)) return j;
            ju = Math.Max(ju, Math.Min(j + _ku + p, _n - 1));
            if (p != 0)
            {
                for (int c = j; c <= ju; c++)
                {
                    int a = kv + j - c + c * ld, b = kv + j + p - c + c * ld;
                    (ab[a], ab[b]) = (ab[b], ab[a]);
                }
            }
            double inverse = 1.0 / ab[kv + col];
            for (int i = 1; i <= km; i++) ab[kv + i + col] *= inverse;
            for (int c = j + 1; c <= ju; c++)
            {
                int cc = c * ld;
                double ujc = ab[kv + j - c + cc];
                if (ujc == 0.0) continue;
                int offset = kv + j - c + cc;
                for (int i = 1; i <= km; i++) ab[offset + i] -= ab[kv + i + col] * ujc;
            }
        }
        return -1;
    }

    /// <summary>
    /// Solves A·X = B in place for <paramref name="columns"/> right-hand sides stored row-major (entry (i, c) at
    /// <c>b[i·columns + c]</c>) in one sweep over the factors, so a large factor streams through the cache once instead
    /// of once per column.
    /// </summary>
    public void Solve(Span<double> b, int columns)
    {
        if (columns == 1) { Solve(b); return; }
        if (b.Length < _n * columns) throw new ArgumentException($"B has {b.Length} entries; {_n}×{columns} needed.", nameof(b));
        int kv = _kl + _ku, ld = _ldab;
        var ab = _ab;
        for (int j = 0; j < _n; j++)
        {
            var rowJ = b.Slice(j * columns, columns);
            int p = _pivots[j];
            if (p != j)
            {
                var rowP = b.Slice(p * columns, columns);
                for (int c = 0; c < columns; c++) (rowJ[c], rowP[c]) = (rowP[c], rowJ[c]);
            }
            int km = Math.Min(_kl, _n - 1 - j), col = j * ld;
            for (int i = 1; i <= km; i++)
            {
                double l = ab[kv + i + col];
                if (l == 0.0) continue;
                var target = b.Slice((j + i) * columns, columns);
                for (int c = 0; c < columns; c++) target[c] -= l * rowJ[c];
            }
        }
        for (int j = _n - 1; j >= 0; j--)
        {
            int col = j * ld;
            var rowJ = b.Slice(j * columns, columns);
            double inverse = 1.0 / ab[kv + col];
            for (int c = 0; c < columns; c++) rowJ[c] *= inverse;
            int top = Math.Max(0, j - kv);
            for (int i = top; i < j; i++)
            {
                double u = ab[kv + i - j + col];
                if (u == 0.0) continue;
                var target = b.Slice(i * columns, columns);
                for (int c = 0; c < columns; c++) target[c] -= u * rowJ[c];
            }
        }
    }

    /// <summary>Solves A·x = b in place for one right-hand side (after <see cref="Factor"/>).</summary>
    public void Solve(Span<double> b)
    {
        int kv = _kl + _ku, ld = _ldab;
        var ab = _ab;
        for (int j = 0; j < _n; j++)
        {
            int p = _pivots[j];
            if (p != j) (b[j], b[p]) = (b[p], b[j]);
            double bj = b[j];
            if (bj == 0.0) continue;
            int km = Math.Min(_kl, _n - 1 - j), col = j * ld;
            for (int i = 1; i <= km; i++) b[j + i] -= ab[kv + i + col] * bj;
        }
        for (int j = _n - 1; j >= 0; j--)
        {
            int col = j * ld;
            double bj = b[j] / ab[kv + col];
            b[j] = bj;
            if (bj == 0.0) continue;
            int top = Math.Max(0, j - kv);
            for (int i = top; i < j; i++) b[i] -= ab[kv + i - j + col] * bj;
        }
    }
}
