namespace DiffOp.Control.Sensitivity;

/// <summary>Receives entries of the KKT matrix or of its right-hand side.</summary>
internal interface IKktSink
{
    void Add(int row, int column, double value);
}

/// <summary>
/// Emits the KKT system K·[dζ; −dλ] = R with K = [[D, Aᵀ], [A, 0]] and R = −[B; C] (docs/design.md) in the
/// stage order of <see cref="KktOrdering"/>, to any sink (dense matrix, band storage, products). R has
/// d + n columns: θ, then x_init (whose C block is −I on the initial-state rows).
/// </summary>
internal static class KktAssembly
{
    public static void EmitMatrix<TSink>(KktOrdering o, double damping, ref TSink sink) where TSink : struct, IKktSink
    {
        var b = o.Blocks;
        int n = b.StateCount, w = b.StageWidth, H = b.Horizon;
        for (int i = 0; i < n; i++) Symmetric(ref sink, i, o.StagePosition[0] + i, 1.0);   // κ = x₀ − x_init
        for (int t = 0; t < H; t++)
        {
            int z = o.StagePosition[t];
            var dt = b.StageHessians[t];
            for (int i = 0; i < w; i++)
                for (int j = 0; j < w; j++)
                {
                    double v = dt[i * w + j] + (i == j ? damping : 0.0);
                    if (v != 0.0) sink.Add(z + i, z + j, v);
                }
            var rows = b.StageRows[t];
            for (int k = 0; k < rows.Length; k++)
            {
                var a = rows[k].Coefficients;
                for (int j = 0; j < w; j++)
                    if (a[j] != 0.0) Symmetric(ref sink, o.RowPosition[t] + k, z + j, a[j]);
            }
            var f = b.DynamicsJacobians[t];
            int next = o.StagePosition[t + 1];
            for (int i = 0; i < n; i++)
            {
                int row = o.DynamicsPosition[t] + i;
                for (int j = 0; j < w; j++)
                    if (f[i * w + j] != 0.0) Symmetric(ref sink, row, z + j, -f[i * w + j]);   // κ_t = x_{t+1} − f
                Symmetric(ref sink, row, next + i, 1.0);
            }
        }
        int xH = o.StagePosition[H];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double v = b.TerminalHessian[i * n + j] + (i == j ? damping : 0.0);
                if (v != 0.0) sink.Add(xH + i, xH + j, v);
            }
        for (int k = 0; k < b.TerminalRows.Length; k++)
        {
            var a = b.TerminalRows[k].Coefficients;
            for (int j = 0; j < n; j++)
                if (a[j] != 0.0) Symmetric(ref sink, o.RowPosition[H] + k, xH + j, a[j]);
        }
    }

    public static void EmitRightHandSide<TSink>(KktOrdering o, ref TSink sink) where TSink : struct, IKktSink
    {
        var b = o.Blocks;
        int n = b.StateCount, w = b.StageWidth, d = b.ParameterCount, H = b.Horizon;
        for (int i = 0; i < n; i++) sink.Add(i, d + i, 1.0);   // −C_init = +I on the x_init columns
        for (int t = 0; t < H; t++)
        {
            EmitNegated(ref sink, b.StageMixed[t], o.StagePosition[t], w, d);                     // −B_t
            var rows = b.StageRows[t];
            for (int k = 0; k < rows.Length; k++) EmitNegated(ref sink, rows[k].ParameterCoefficients, o.RowPosition[t] + k, 1, d);
            var fTheta = b.DynamicsParameterJacobians[t];                                        // −C = +∂f/∂θ
            for (int i = 0; i < n; i++)
                for (int c = 0; c < d; c++)
                    if (fTheta[i * d + c] != 0.0) sink.Add(o.DynamicsPosition[t] + i, c, fTheta[i * d + c]);
        }
        EmitNegated(ref sink, b.TerminalMixed, o.StagePosition[H], n, d);
        for (int k = 0; k < b.TerminalRows.Length; k++) EmitNegated(ref sink, b.TerminalRows[k].ParameterCoefficients, o.RowPosition[H] + k, 1, d);
    }

    private static void EmitNegated<TSink>(ref TSink sink, double[] block, int position, int rows, int cols) where TSink : struct, IKktSink
    {
        for (int i = 0; i < rows; i++)
            for (int c = 0; c < cols; c++)
                if (block[i * cols + c] != 0.0) sink.Add(position + i, c, -block[i * cols + c]);
    }

    private static void Symmetric<TSink>(ref TSink sink, int row, int column, double value) where TSink : struct, IKktSink
    {
        sink.Add(row, column, value);
        sink.Add(column, row, value);
    }
}
