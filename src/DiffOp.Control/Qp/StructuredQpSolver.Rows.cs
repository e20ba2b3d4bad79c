namespace DiffOp.Control.Qp;

/// <summary>The structured QP solver's access to the inequality rows of a stage and small vector helpers.</summary>
internal sealed partial class StructuredQpSolver
{
    private Span<double> StageBlock(double[] vector, int t) => vector.AsSpan(t * _w, t < _h ? _w : _n);

    // Inequality k of stage t: rows first (G or G_H), then the stage's bound rows.
    private double Rhs(int t, int k)
    {
        int local = k - _ineqStart[t], rows = t < _h ? _d.P : _d.R;
        if (local < rows) return -(t < _h ? _d.G0 : _d.G0H)[local];
        return BoundsOf(t).Rhs[local - rows];
    }

    private double Dot(int t, int k, ReadOnlySpan<double> block)
    {
        int local = k - _ineqStart[t], rows = t < _h ? _d.P : _d.R;
        if (local < rows)
        {
            int width = block.Length;
            var a = (t < _h ? _d.G : _d.GH).AsSpan(local * width, width);
            double s = 0;
            for (int j = 0; j < width; j++) s += a[j] * block[j];
            return s;
        }
        var b = BoundsOf(t);
        return b.Sign[local - rows] * block[b.Index[local - rows]];
    }

    private void AddRow(int t, int k, double factor, Span<double> block)
    {
        int local = k - _ineqStart[t], rows = t < _h ? _d.P : _d.R;
        if (local < rows)
        {
            int width = block.Length;
            var a = (t < _h ? _d.G : _d.GH).AsSpan(local * width, width);
            for (int j = 0; j < width; j++) block[j] += factor * a[j];
            return;
        }
        var b = BoundsOf(t);
        block[b.Index[local - rows]] += factor * b.Sign[local - rows];
    }

    private void AddOuter(int t, int k, double factor, Span<double> matrix, int width)
    {
        int local = k - _ineqStart[t], rows = t < _h ? _d.P : _d.R;
        if (local < rows)
        {
            var a = (t < _h ? _d.G : _d.GH).AsSpan(local * width, width);
            for (int i = 0; i < width; i++)
            {
                if (a[i] == 0) continue;
                for (int j = 0; j < width; j++) matrix[i * width + j] += factor * a[i] * a[j];
            }
            return;
        }
        int index = BoundsOf(t).Index[local - rows];
        matrix[index * width + index] += factor;
    }

    private static double MaxAbs(ReadOnlySpan<double> v)
    {
        double m = 0;
        foreach (double x in v) m = Math.Max(m, Math.Abs(x));
        return m;
    }
}
