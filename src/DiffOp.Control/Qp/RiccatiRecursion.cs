namespace DiffOp.Control.Qp;

/// <summary>
/// Solves the equality-constrained stage QP of one interior-point Newton step by a backward Riccati recursion:
/// min Σ_t ½dz_tᵀH_t dz_t + g_tᵀdz_t + ½dx_HᵀH_H dx_H + g_Hᵀdx_H s.t. dx₀ = e₀, dx_{t+1} = F dz_t + e_{t+1},
/// with dz_t = (dx_t, du_t). With the value function V_t(dx) = ½dxᵀP_t dx + p_tᵀdx:
/// M_t = H_t + FᵀP_{t+1}F, K_t = −M_uu⁻¹M_ux, P_t = M_xx + M_xu K_t (backward), du_t = K_t dx_t + k_t (forward),
/// and the multipliers of the equality rows (Lagrangian + νᵀ(row)) are ν_t = −∇V_{t+1}(dx_{t+1}).
/// The factorization succeeds exactly when every M_uu is positive definite, i.e. when the step's reduced Hessian is:
/// for a convex QP that is the case at every interior-point iterate, so a failure proves the QP non-convex (or its
/// controls unpenalized and unbounded). Cost O(H(n+m)³), no allocation after construction. Products with F skip its
/// structural zeros (found by each Factor and used by the Solves after it; e.g. 30 of 108 entries are non-zero for voltage control): the sums keep their
/// order, so the result is bit for bit that of the dense products.
/// </summary>
internal sealed class RiccatiRecursion
{
    private readonly int _n, _m, _w, _h;
    private readonly double[] _p, _k, _mxu, _l, _kff, _pv;     // per stage: P (n×n), K (m×n), M_xu (n×m), chol(M_uu) (m×m), k (m), p (n)
    private readonly double[] _pf, _mm, _tn, _tw, _dx;
    private readonly int[] _colStart, _colRows, _rowStart, _rowCols;   // non-zeros of F by column (rows ascending) and by row (columns ascending)

    public RiccatiRecursion(int stateCount, int controlCount, int horizon)
    {
        _n = stateCount; _m = controlCount; _w = stateCount + controlCount; _h = horizon;
        _p = new double[(horizon + 1) * _n * _n];
        _pv = new double[(horizon + 1) * _n];
        _k = new double[horizon * _m * _n];
        _kff = new double[horizon * _m];
        _mxu = new double[horizon * _n * _m];
        _l = new double[horizon * _m * _m];
        _pf = new double[_n * _w];
        _mm = new double[_w * _w];
        _tn = new double[_n];
        _tw = new double[_w];
        _dx = new double[_n];
        _colStart = new int[_w + 1];
        _colRows = new int[_n * _w];
        _rowStart = new int[_n + 1];
        _rowCols = new int[_n * _w];
    }

    /// <summary>Records where F (n×w, row-major) is non-zero, by column and by row.</summary>
    private void FindNonZeros(ReadOnlySpan<double> f)
    {
        int n = _n, w = _w, count = 0;
        for (int j = 0; j < w; j++)
        {
            _colStart[j] = count;
            for (int i = 0; i < n; i++)
                if (f[i * w + j] != 0) _colRows[count++] = i;
        }
        _colStart[w] = count;
        count = 0;
        for (int i = 0; i < n; i++)
        {
            _rowStart[i] = count;
            for (int j = 0; j < w; j++)
                if (f[i * w + j] != 0) _rowCols[count++] = j;
        }
        _rowStart[n] = count;
    }

    /// <summary>
    /// Factors for stage Hessians <paramref name="stageHessians"/> (H blocks of w×w), the terminal Hessian (n×n) and
    /// the dynamics Jacobian F (n×w). Returns −1, or the stage whose M_uu is not positive definite.
    /// </summary>
    public int Factor(ReadOnlySpan<double> stageHessians, ReadOnlySpan<double> terminalHessian, ReadOnlySpan<double> f)
    {
        int n = _n, m = _m, w = _w;
        FindNonZeros(f);
        terminalHessian.CopyTo(_p.AsSpan(_h * n * n, n * n));
        for (int t = _h - 1; t >= 0; t--)
        {
            var pNext = _p.AsSpan((t + 1) * n * n, n * n);
            // PF = P_{t+1} F (n×w); M = H_t + Fᵀ PF (w×w)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < w; j++)
                {
                    double s = 0;
                    for (int q = _colStart[j]; q < _colStart[j + 1]; q++) s += pNext[i * n + _colRows[q]] * f[_colRows[q] * w + j];
                    _pf[i * w + j] = s;
                }
            var ht = stageHessians.Slice(t * w * w, w * w);
            for (int a = 0; a < w; a++)
                for (int b = a; b < w; b++)
                {
                    double s = ht[a * w + b];
                    for (int q = _colStart[a]; q < _colStart[a + 1]; q++) s += f[_colRows[q] * w + a] * _pf[_colRows[q] * w + b];
                    _mm[a * w + b] = s;
                    _mm[b * w + a] = s;
                }
            // Cholesky of M_uu = L Lᵀ
            var l = _l.AsSpan(t * m * m, m * m);
            if (!Cholesky(_mm, n, w, m, l)) return t;
            // K = −M_uu⁻¹ M_ux, column by column of M_ux
            var kt = _k.AsSpan(t * m * n, m * n);
            for (int c = 0; c < n; c++)
            {
                for (int r = 0; r < m; r++) _tw[r] = _mm[(n + r) * w + c];
                CholeskySolve(l, m, _tw.AsSpan(0, m));
                for (int r = 0; r < m; r++) kt[r * n + c] = -_tw[r];
            }
            var mxu = _mxu.AsSpan(t * n * m, n * m);
            for (int i = 0; i < n; i++)
                for (int r = 0; r < m; r++) mxu[i * m + r] = _mm[i * w + n + r];
            // P_t = M_xx + M_xu K, symmetrized against rounding
            var pt = _p.AsSpan(t * n * n, n * n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = _mm[i * w + j];
                    for (int r = 0; r < m; r++) s += mxu[i * m + r] * kt[r * n + j];
                    pt[i * n + j] = s;
                }
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                {
                    double s = 0.5 * (pt[i * n + j] + pt[j * n + i]);
                    pt[i * n + j] = s; pt[j * n + i] = s;
                }
        }
        return -1;
    }

    /// <summary>
    /// Solves for one right-hand side after <see cref="Factor"/>, with the F given to it (its non-zeros are those Factor
    /// found): <paramref name="g"/> holds g_t at t·w and g_H at H·w
    /// (the OCP's ζ layout), <paramref name="e"/> holds e₀…e_H (n each). Writes dζ (same layout) and ν = (ν_init, ν₀…ν_{H−1}).
    /// </summary>
    public void Solve(ReadOnlySpan<double> f, ReadOnlySpan<double> g, ReadOnlySpan<double> e, Span<double> dzeta, Span<double> nu)
    {
        int n = _n, m = _m, w = _w, h = _h;
        g.Slice(h * w, n).CopyTo(_pv.AsSpan(h * n, n));
        for (int t = h - 1; t >= 0; t--)
        {
            var pNext = _p.AsSpan((t + 1) * n * n, n * n);
            var pvNext = _pv.AsSpan((t + 1) * n, n);
            var eNext = e.Slice((t + 1) * n, n);
            for (int i = 0; i < n; i++)
            {
                double s = pvNext[i];
                for (int k = 0; k < n; k++) s += pNext[i * n + k] * eNext[k];
                _tn[i] = s;
            }
            var gt = g.Slice(t * w, w);
            for (int a = 0; a < w; a++)
            {
                double s = gt[a];
                for (int q = _colStart[a]; q < _colStart[a + 1]; q++) s += f[_colRows[q] * w + a] * _tn[_colRows[q]];
                _tw[a] = s;                                    // m_t = g_t + Fᵀ(P e + p)
            }
            var kff = _kff.AsSpan(t * m, m);
            for (int r = 0; r < m; r++) kff[r] = _tw[n + r];
            CholeskySolve(_l.AsSpan(t * m * m, m * m), m, kff);
            for (int r = 0; r < m; r++) kff[r] = -kff[r];      // k_t = −M_uu⁻¹ m_u
            var mxu = _mxu.AsSpan(t * n * m, n * m);
            var pv = _pv.AsSpan(t * n, n);
            for (int i = 0; i < n; i++)
            {
                double s = _tw[i];
                for (int r = 0; r < m; r++) s += mxu[i * m + r] * kff[r];
                pv[i] = s;                                     // p_t = m_x + M_xu k_t
            }
        }
        e[..n].CopyTo(_dx);
        NegatedGradient(0, _dx, nu[..n]);
        for (int t = 0; t < h; t++)
        {
            var dz = dzeta.Slice(t * w, w);
            _dx.CopyTo(dz[..n]);
            var kt = _k.AsSpan(t * m * n, m * n);
            var kff = _kff.AsSpan(t * m, m);
            for (int r = 0; r < m; r++)
            {
                double s = kff[r];
                for (int c = 0; c < n; c++) s += kt[r * n + c] * _dx[c];
                dz[n + r] = s;
            }
            var eNext = e.Slice((t + 1) * n, n);
            for (int i = 0; i < n; i++)
            {
                double s = eNext[i];
                for (int q = _rowStart[i]; q < _rowStart[i + 1]; q++) s += f[i * w + _rowCols[q]] * dz[_rowCols[q]];
                _dx[i] = s;
            }
            NegatedGradient(t + 1, _dx, nu.Slice((t + 1) * n, n));
        }
        _dx.CopyTo(dzeta.Slice(h * w, n));
    }

    /// <summary>ν = −(P_t dx + p_t).</summary>
    private void NegatedGradient(int t, ReadOnlySpan<double> dx, Span<double> nu)
    {
        int n = _n;
        var pt = _p.AsSpan(t * n * n, n * n);
        var pv = _pv.AsSpan(t * n, n);
        for (int i = 0; i < n; i++)
        {
            double s = pv[i];
            for (int k = 0; k < n; k++) s += pt[i * n + k] * dx[k];
            nu[i] = -s;
        }
    }

    /// <summary>Lower Cholesky factor of the m×m block of <paramref name="a"/> at (offset, offset); false unless positive definite.</summary>
    private static bool Cholesky(double[] a, int offset, int stride, int m, Span<double> l)
    {
        double scale = 0;
        for (int i = 0; i < m; i++) scale = Math.Max(scale, Math.Abs(a[(offset + i) * stride + offset + i]));
        double tiny = 1e-14 * Math.Max(scale, 1e-300);
        for (int j = 0; j < m; j++)
        {
            double d = a[(offset + j) * stride + offset + j];
            for (int k = 0; k < j; k++) d -= l[j * m + k] * l[j * m + k];
            if (!(d > tiny)) return false;
            double ljj = Math.Sqrt(d);
            l[j * m + j] = ljj;
            for (int i = j + 1; i < m; i++)
            {
                double s = a[(offset + i) * stride + offset + j];
                for (int k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
                l[i * m + j] = s / ljj;
            }
            for (int i = 0; i < j; i++) l[i * m + j] = 0;
        }
        return true;
    }

    /// <summary>Solves L Lᵀ x = b in place.</summary>
    private static void CholeskySolve(ReadOnlySpan<double> l, int m, Span<double> b)
    {
        for (int i = 0; i < m; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * m + k] * b[k];
            b[i] = s / l[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < m; k++) s -= l[k * m + i] * b[k];
            b[i] = s / l[i * m + i];
        }
    }
}
