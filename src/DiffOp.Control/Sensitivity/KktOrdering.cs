namespace DiffOp.Control.Sensitivity;

/// <summary>
/// Stage-ordered numbering of the KKT unknowns, which makes the KKT matrix banded with a half-bandwidth of
/// about 2n + m + q (q: active rows per stage), whatever H is:
/// [ν_init (n)], then per stage t: [z_t = (x_t, u_t) (n+m), active rows of stage t (q_t), dynamics rows of stage t (n)],
/// then [x_H (n), active terminal rows (q_H)]. Constraint unknowns hold −dλ (the KKT form of docs/design.md).
/// </summary>
internal sealed class KktOrdering
{
    public KktOrdering(KktBlocks b)
    {
        int H = b.Horizon;
        StagePosition = new int[H + 1];
        RowPosition = new int[H + 1];
        DynamicsPosition = new int[H];
        Blocks = b;
        Reset(b);
    }

    /// <summary>Renumbers for new blocks of the same OCP (same H, n, m): the active rows may differ. No allocation.</summary>
    public void Reset(KktBlocks b)
    {
        int n = b.StateCount, w = b.StageWidth, H = b.Horizon;
        if (H != DynamicsPosition.Length) throw new ArgumentException($"The blocks have horizon {H}; this numbering was made for {DynamicsPosition.Length}.", nameof(b));
        int pos = n;   // the initial-state rows come first
        for (int t = 0; t < H; t++)
        {
            StagePosition[t] = pos; pos += w;
            RowPosition[t] = pos; pos += b.StageRows[t].Length;
            DynamicsPosition[t] = pos; pos += n;
        }
        StagePosition[H] = pos; pos += n;
        RowPosition[H] = pos; pos += b.TerminalRows.Length;
        Size = pos;
        Blocks = b;
    }

    public KktBlocks Blocks { get; private set; }

    /// <summary>Number of unknowns.</summary>
    public int Size { get; private set; }

    /// <summary>Position of z_t (t &lt; H) or x_H (t = H).</summary>
    public int[] StagePosition { get; }

    /// <summary>Position of the first active row of stage t (t = H: terminal rows).</summary>
    public int[] RowPosition { get; }

    /// <summary>Position of the first dynamics row of stage t.</summary>
    public int[] DynamicsPosition { get; }

    /// <summary>Position of ζ entry j (layout of <see cref="OptimalControl.OcpLayout"/>).</summary>
    public int PositionOfVariable(int j)
    {
        int w = Blocks.StageWidth;
        int t = Math.Min(j / w, Blocks.Horizon);
        return StagePosition[t] + (j - t * w);
    }

    /// <summary>Says what unknown <paramref name="position"/> is, for error messages: (stage, description, is a multiplier).</summary>
    public (int Stage, string What, bool IsMultiplier) Describe(int position)
    {
        int n = Blocks.StateCount;
        if (position < n) return (0, $"initial-state row {position}", true);
        for (int t = Blocks.Horizon; t >= 0; t--)
        {
            if (position < StagePosition[t]) continue;
            int k = position - StagePosition[t];
            if (t == Blocks.Horizon)
            {
                return k < n ? (t, $"x_H[{k}]", false) : (t, $"active terminal row {Blocks.TerminalRows[k - n].Kind} {Blocks.TerminalRows[k - n].Index}", true);
            }
            if (k < Blocks.StateCount) return (t, $"x_{t}[{k}]", false);
            if (k < Blocks.StageWidth) return (t, $"u_{t}[{k - n}]", false);
            int r = position - RowPosition[t];
            if (r < Blocks.StageRows[t].Length) return (t, $"active row {Blocks.StageRows[t][r].Kind} {Blocks.StageRows[t][r].Index}", true);
            return (t, $"dynamics row {position - DynamicsPosition[t]}", true);
        }
        return (0, "unknown", false);
    }
}
