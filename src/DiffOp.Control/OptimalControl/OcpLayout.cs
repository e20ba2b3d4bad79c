namespace DiffOp.Control.OptimalControl;

/// <summary>
/// Index arithmetic of the transcribed OCP (docs/design.md). Variables:
/// ζ = (x₀, u₀, x₁, u₁, …, u_{H−1}, x_H), length H(n+m)+n; stage block z_t = (x_t, u_t) starts at t(n+m).
/// Constraint rows (as passed to the NLP solver, each written κ = 0 or g ≤ 0):
/// initial state x₀ − x_init (n rows); then for each stage t the path rows g(x_t,u_t) ≤ 0 (p rows)
/// followed by the dynamics rows x_{t+1} − f(x_t,u_t) (n rows); then the terminal rows g_H(x_H) ≤ 0 (q rows).
/// </summary>
public sealed record OcpLayout(int StateCount, int ControlCount, int Horizon, int PathConstraintCount, int TerminalConstraintCount)
{
    /// <summary>n + m: the length of one stage block z_t.</summary>
    public int StageWidth => StateCount + ControlCount;

    /// <summary>Length of ζ: H(n+m) + n.</summary>
    public int VariableCount => Horizon * StageWidth + StateCount;

    /// <summary>Rows per stage: p path rows and n dynamics rows.</summary>
    public int StageRowCount => PathConstraintCount + StateCount;

    /// <summary>Total constraint rows: n + H(p+n) + q.</summary>
    public int RowCount => StateCount + Horizon * StageRowCount + TerminalConstraintCount;

    /// <summary>Index of x_t in ζ (t = 0..H).</summary>
    public int StateOffset(int t) => t * StageWidth;

    /// <summary>Index of u_t in ζ (t = 0..H−1).</summary>
    public int ControlOffset(int t) => t * StageWidth + StateCount;

    /// <summary>First path row of stage t.</summary>
    public int PathRowOffset(int t) => StateCount + t * StageRowCount;

    /// <summary>First dynamics row of stage t (the rows of x_{t+1} − f(x_t,u_t)).</summary>
    public int DynamicsRowOffset(int t) => PathRowOffset(t) + PathConstraintCount;

    /// <summary>First terminal row.</summary>
    public int TerminalRowOffset => StateCount + Horizon * StageRowCount;
}
