using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Control.Qp;

/// <summary>
/// The numbers of a quadratic-program OCP at one θ and p: the stage functions evaluated once at z = 0, where a QP's
/// Hessians and Jacobians are exact everywhere. Stage t (0 ≤ t &lt; H) reads
/// cost ½zᵀQz + qᵀz + c₀, dynamics x_{t+1} = F z + f₀, path rows G z + g₀ ≤ 0 with z = (x_t, u_t);
/// the terminal stage ½xᵀQ_H x + q_Hᵀx + c_H0 and rows G_H x + g_H0 ≤ 0. Matrices are dense and row-major: the stage
/// blocks of the OCPs this serves are small (n + m of order 10). Loading allocates nothing.
/// </summary>
internal sealed class QpStageData
{
    private readonly OptimalControl.Ocp _ocp;
    private readonly FunctionWorkspace _cost, _costGrad, _cons, _jac, _hess, _tCost, _tCostGrad, _tCons, _tJac, _tHess;

    public QpStageData(OptimalControl.Ocp ocp)
    {
        _ocp = ocp;
        var l = ocp.Layout;
        N = l.StateCount; M = l.ControlCount; W = l.StageWidth; P = l.PathConstraintCount; R = l.TerminalConstraintCount;
        var f = ocp.Functions;
        _cost = Workspace(f.StageCost); _costGrad = Workspace(f.StageCostGradient); _cons = Workspace(f.StageConstraints);
        _jac = Workspace(f.StageJacobians); _hess = Workspace(f.StageHessian);
        _tCost = Workspace(f.TerminalCost); _tCostGrad = Workspace(f.TerminalCostGradient); _tCons = Workspace(f.TerminalConstraints);
        _tJac = Workspace(f.TerminalJacobian); _tHess = Workspace(f.TerminalHessian);
        Q = new double[W * W]; Qv = new double[W]; F = new double[N * W]; F0 = new double[N]; G = new double[P * W]; G0 = new double[P];
        QH = new double[N * N]; QvH = new double[N]; GH = new double[R * N]; G0H = new double[R];
    }

    private static FunctionWorkspace Workspace(Function f)
    {
        var ws = f.CreateWorkspace();
        ws.CheckFinite = false;   // checked once after loading, with a message that names the block
        return ws;
    }

    public int N { get; }
    public int M { get; }
    public int W { get; }
    /// <summary>Path rows per stage.</summary>
    public int P { get; }
    /// <summary>Terminal rows.</summary>
    public int R { get; }

    public double[] Q { get; }
    public double[] Qv { get; }
    public double C0 { get; private set; }
    public double[] F { get; }
    public double[] F0 { get; }
    public double[] G { get; }
    public double[] G0 { get; }
    public double[] QH { get; }
    public double[] QvH { get; }
    public double C0H { get; private set; }
    public double[] GH { get; }
    public double[] G0H { get; }

    /// <summary>
    /// Evaluates every block at θ and p. Returns null on success, or the name of the first block with a non-finite
    /// entry (the solve then reports an evaluation error instead of iterating on NaN).
    /// </summary>
    public string? Load(ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        var fn = _ocp.Functions;
        foreach (var ws in (ReadOnlySpan<FunctionWorkspace>)[_cost, _costGrad, _cons, _jac, _hess])
        {
            ws.Input(OcpFunctions.StageInput.State).Clear(); ws.Input(OcpFunctions.StageInput.Control).Clear();
            theta.CopyTo(ws.Input(OcpFunctions.StageInput.Theta)); context.CopyTo(ws.Input(OcpFunctions.StageInput.Context));
        }
        foreach (var ws in (ReadOnlySpan<FunctionWorkspace>)[_tCost, _tCostGrad, _tCons, _tJac, _tHess])
        {
            ws.Input(OcpFunctions.TerminalInput.State).Clear();
            theta.CopyTo(ws.Input(OcpFunctions.TerminalInput.Theta)); context.CopyTo(ws.Input(OcpFunctions.TerminalInput.Context));
        }
        _hess.Input(OcpFunctions.StageInput.Sigma)[0] = 1.0; _hess.Input(OcpFunctions.StageInput.Lambda).Clear(); _hess.Input(OcpFunctions.StageInput.Mu).Clear();   // σ = 1, λ = 0, μ = 0: the cost's Hessian
        _tHess.Input(OcpFunctions.TerminalInput.Sigma)[0] = 1.0; _tHess.Input(OcpFunctions.TerminalInput.Mu).Clear();

        fn.StageCost.Evaluate(_cost); C0 = _cost.Output(0)[0];
        fn.StageCostGradient.Evaluate(_costGrad); _costGrad.Output(0).CopyTo(Qv);
        fn.StageConstraints.Evaluate(_cons); _cons.Output(0).CopyTo(F0); _cons.Output(1).CopyTo(G0);
        fn.StageJacobians.Evaluate(_jac);
        Scatter(_jac.Output(0), fn.StageJacobians.OutputSparsity(0), F, W, symmetric: false);
        Scatter(_jac.Output(1), fn.StageJacobians.OutputSparsity(1), G, W, symmetric: false);
        fn.StageHessian.Evaluate(_hess);
        Scatter(_hess.Output(0), fn.StageHessian.OutputSparsity(0), Q, W, symmetric: true);

        fn.TerminalCost.Evaluate(_tCost); C0H = _tCost.Output(0)[0];
        fn.TerminalCostGradient.Evaluate(_tCostGrad); _tCostGrad.Output(0).CopyTo(QvH);
        fn.TerminalConstraints.Evaluate(_tCons); _tCons.Output(0).CopyTo(G0H);
        fn.TerminalJacobian.Evaluate(_tJac);
        Scatter(_tJac.Output(0), fn.TerminalJacobian.OutputSparsity(0), GH, N, symmetric: false);
        fn.TerminalHessian.Evaluate(_tHess);
        Scatter(_tHess.Output(0), fn.TerminalHessian.OutputSparsity(0), QH, N, symmetric: true);

        if (!double.IsFinite(C0) || !AllFinite(Qv) || !AllFinite(Q)) return "stage cost";
        if (!AllFinite(F) || !AllFinite(F0)) return "dynamics";
        if (!AllFinite(G) || !AllFinite(G0)) return "path constraints";
        if (!double.IsFinite(C0H) || !AllFinite(QvH) || !AllFinite(QH)) return "terminal cost";
        if (!AllFinite(GH) || !AllFinite(G0H)) return "terminal constraints";
        return null;
    }

    private static void Scatter(ReadOnlySpan<double> values, Sparsity s, double[] dense, int columns, bool symmetric)
    {
        Array.Clear(dense);
        var rows = s.Rows; var cols = s.Columns;
        for (int e = 0; e < values.Length; e++)
        {
            dense[rows[e] * columns + cols[e]] = values[e];
            if (symmetric) dense[cols[e] * columns + rows[e]] = values[e];   // the Hessian functions give one triangle
        }
    }

    private static bool AllFinite(ReadOnlySpan<double> v)
    {
        foreach (double x in v)
            if (!double.IsFinite(x)) return false;
        return true;
    }
}
