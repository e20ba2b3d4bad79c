using DiffOp.Control.OptimalControl;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// One active row of κ at a stage: its coefficients a over the stage variables (z_t = (x_t,u_t), or x_H at
/// the terminal stage) and c over θ (the row's ∂κ/∂θ). Bound rows have a = e_k and c = 0.
/// </summary>
/// <param name="Kind">Path/terminal row or bound.</param>
/// <param name="Index">Row within the stage's path/terminal rows, or component within the stage variables for bounds.</param>
/// <param name="Coefficients">a: ∂κ/∂(stage variables).</param>
/// <param name="ParameterCoefficients">c: ∂κ/∂θ.</param>
public sealed record ActiveRow(ConstraintKind Kind, int Index, double[] Coefficients, double[] ParameterCoefficients)
{
    /// <summary>Path/terminal row or bound (reassigned when the assembler reuses the row).</summary>
    public ConstraintKind Kind { get; internal set; } = Kind;

    /// <summary>Row or component index (reassigned when the assembler reuses the row).</summary>
    public int Index { get; internal set; } = Index;
}

/// <summary>
/// The per-stage blocks of the KKT system of an OCP solution (docs/sensitivity.md, paper sign L = J − λᵀκ),
/// stored densely per stage, never as one big matrix. Matrices are row-major arrays.
/// D_t = ∂²L/∂z_t² ((n+m)²), D_H = ∂²L/∂x_H² (n²), B_t = ∂²L/∂z_t∂θ ((n+m)×d), B_H (n×d),
/// F_t = ∂f/∂z_t (n×(n+m)), F_θ,t = ∂f/∂θ (n×d); dynamics rows are κ_t = x_{t+1} − f, so A has −F_t on z_t
/// and I on x_{t+1}, and C = −F_θ,t. The initial rows κ = x₀ − x_init have A = [I 0] on z₀ and C = −I on x_init.
/// </summary>
public sealed class KktBlocks
{
    /// <summary>n.</summary>
    public required int StateCount { get; init; }
    /// <summary>m.</summary>
    public required int ControlCount { get; init; }
    /// <summary>H.</summary>
    public required int Horizon { get; init; }
    /// <summary>d (θ only; x_init columns are added by the solvers).</summary>
    public required int ParameterCount { get; init; }
    /// <summary>D_t, t &lt; H.</summary>
    public required double[][] StageHessians { get; init; }
    /// <summary>D_H.</summary>
    public required double[] TerminalHessian { get; init; }
    /// <summary>B_t, t &lt; H.</summary>
    public required double[][] StageMixed { get; init; }
    /// <summary>B_H.</summary>
    public required double[] TerminalMixed { get; init; }
    /// <summary>F_t = ∂f/∂z_t, t &lt; H.</summary>
    public required double[][] DynamicsJacobians { get; init; }
    /// <summary>∂f/∂θ at stage t.</summary>
    public required double[][] DynamicsParameterJacobians { get; init; }
    /// <summary>Active rows per stage t &lt; H (path rows, then bounds on x_t for t ≥ 1 and on u_t).</summary>
    public required ActiveRow[][] StageRows { get; init; }
    /// <summary>Active rows at the terminal stage (terminal rows, then bounds on x_H).</summary>
    public ActiveRow[] TerminalRows { get; internal set; } = [];

    /// <summary>n + m.</summary>
    public int StageWidth => StateCount + ControlCount;

    /// <summary>Total number of active rows (besides the initial-state and dynamics rows).</summary>
    public int ActiveRowCount => StageRows.Sum(r => r.Length) + TerminalRows.Length;
}
