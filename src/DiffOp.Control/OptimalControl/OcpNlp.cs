using DiffOp.Control.Nlp;
using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// The multiple-shooting transcription of an <see cref="Ocp"/> as an <see cref="INlpProblem"/>
/// (variable and row order: <see cref="OcpLayout"/>). Owns one workspace per compiled function, so an
/// instance serves one solve at a time. θ, p and x_init are set per solve by <see cref="SetData"/>;
/// the callbacks then only copy stage slices of ζ and evaluate: no allocation.
/// </summary>
internal sealed class OcpNlp : INlpProblem
{
    private readonly Ocp _ocp;
    private readonly OcpLayout _l;
    private readonly FunctionWorkspace _cost, _costGrad, _cons, _jac, _hess, _tCost, _tCostGrad, _tCons, _tJac, _tHess;
    private readonly int _jacFNonZeros, _jacGNonZeros, _jacGHNonZeros, _hessNonZeros, _tHessNonZeros;
    private readonly double[] _xInit;
    private readonly FunctionWorkspace[] _stageWorkspaces, _terminalWorkspaces;   // inputs (x,u,θ,p) and (x,θ,p)

    public OcpNlp(Ocp ocp)
    {
        _ocp = ocp;
        _l = ocp.Layout;
        var f = ocp.Functions;
        _cost = Workspace(f.StageCost); _costGrad = Workspace(f.StageCostGradient); _cons = Workspace(f.StageConstraints);
        _jac = Workspace(f.StageJacobians); _hess = Workspace(f.StageHessian);
        _tCost = Workspace(f.TerminalCost); _tCostGrad = Workspace(f.TerminalCostGradient); _tCons = Workspace(f.TerminalConstraints);
        _tJac = Workspace(f.TerminalJacobian); _tHess = Workspace(f.TerminalHessian);
        _jacFNonZeros = f.StageJacobians.OutputSparsity(0).NonZeroCount;
        _jacGNonZeros = f.StageJacobians.OutputSparsity(1).NonZeroCount;
        _jacGHNonZeros = f.TerminalJacobian.OutputSparsity(0).NonZeroCount;
        _hessNonZeros = f.StageHessian.OutputSparsity(0).NonZeroCount;
        _tHessNonZeros = f.TerminalHessian.OutputSparsity(0).NonZeroCount;
        _xInit = new double[_l.StateCount];
        _stageWorkspaces = [_cost, _costGrad, _cons, _jac, _hess];
        _terminalWorkspaces = [_tCost, _tCostGrad, _tCons, _tJac, _tHess];
        JacobianNonZeroCount = _l.StateCount + _l.Horizon * (_jacGNonZeros + _jacFNonZeros + _l.StateCount) + _jacGHNonZeros;
        HessianNonZeroCount = _l.Horizon * _hessNonZeros + _tHessNonZeros;
    }

    // Non-finite values are Ipopt's to handle (it backtracks or reports Invalid_Number_Detected), so no check here.
    private static FunctionWorkspace Workspace(Function f)
    {
        var ws = f.CreateWorkspace();
        ws.CheckFinite = false;
        return ws;
    }

    public int VariableCount => _l.VariableCount;
    public int ConstraintCount => _l.RowCount;
    public int JacobianNonZeroCount { get; }
    public int HessianNonZeroCount { get; }

    /// <summary>Sets θ, the context p and x_init for the next solve (lengths checked by the caller).</summary>
    public void SetData(ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState)
    {
        OcpFunctions.SetParameters(_stageWorkspaces, _terminalWorkspaces, theta, context);
        initialState.CopyTo(_xInit);
    }

    public void GetBounds(Span<double> xL, Span<double> xU, Span<double> gL, Span<double> gU)
    {
        int n = _l.StateCount, m = _l.ControlCount;
        xL[..n].Fill(double.NegativeInfinity);   // x₀ is pinned by its equality rows, never bounded
        xU[..n].Fill(double.PositiveInfinity);
        for (int t = 0; t < _l.Horizon; t++)
        {
            for (int j = 0; j < m; j++)
            {
                xL[_l.ControlOffset(t) + j] = _ocp.ControlLower[j];
                xU[_l.ControlOffset(t) + j] = _ocp.ControlUpper[j];
            }
            for (int i = 0; i < n; i++)
            {
                xL[_l.StateOffset(t + 1) + i] = _ocp.StateLower[i];
                xU[_l.StateOffset(t + 1) + i] = _ocp.StateUpper[i];
            }
        }
        gL.Clear();
        gU.Clear();   // equality rows: [0, 0]; inequality rows g ≤ 0: (−∞, 0]
        for (int t = 0; t < _l.Horizon; t++) gL.Slice(_l.PathRowOffset(t), _l.PathConstraintCount).Fill(double.NegativeInfinity);
        gL.Slice(_l.TerminalRowOffset, _l.TerminalConstraintCount).Fill(double.NegativeInfinity);
    }

    public void GetJacobianStructure(Span<int> rows, Span<int> columns)
    {
        int n = _l.StateCount, k = 0;
        for (int i = 0; i < n; i++) { rows[k] = i; columns[k] = i; k++; }
        var jacF = _ocp.Functions.StageJacobians.OutputSparsity(0);
        var jacG = _ocp.Functions.StageJacobians.OutputSparsity(1);
        for (int t = 0; t < _l.Horizon; t++)
        {
            int z = _l.StateOffset(t);
            for (int e = 0; e < _jacGNonZeros; e++) { rows[k] = _l.PathRowOffset(t) + jacG.Rows[e]; columns[k] = z + jacG.Columns[e]; k++; }
            for (int e = 0; e < _jacFNonZeros; e++) { rows[k] = _l.DynamicsRowOffset(t) + jacF.Rows[e]; columns[k] = z + jacF.Columns[e]; k++; }
            for (int i = 0; i < n; i++) { rows[k] = _l.DynamicsRowOffset(t) + i; columns[k] = _l.StateOffset(t + 1) + i; k++; }
        }
        var jacGH = _ocp.Functions.TerminalJacobian.OutputSparsity(0);
        for (int e = 0; e < _jacGHNonZeros; e++) { rows[k] = _l.TerminalRowOffset + jacGH.Rows[e]; columns[k] = _l.StateOffset(_l.Horizon) + jacGH.Columns[e]; k++; }
    }

    public void GetHessianStructure(Span<int> rows, Span<int> columns)
    {
        int k = 0;
        var hess = _ocp.Functions.StageHessian.OutputSparsity(0);
        for (int t = 0; t < _l.Horizon; t++)
        {
            int z = _l.StateOffset(t);
            for (int e = 0; e < _hessNonZeros; e++) { rows[k] = z + hess.Rows[e]; columns[k] = z + hess.Columns[e]; k++; }
        }
        var tHess = _ocp.Functions.TerminalHessian.OutputSparsity(0);
        int xH = _l.StateOffset(_l.Horizon);
        for (int e = 0; e < _tHessNonZeros; e++) { rows[k] = xH + tHess.Rows[e]; columns[k] = xH + tHess.Columns[e]; k++; }
    }

    public double Objective(ReadOnlySpan<double> zeta)
    {
        double sum = 0;
        for (int t = 0; t < _l.Horizon; t++)
        {
            LoadStage(_cost, zeta, t);
            _ocp.Functions.StageCost.Evaluate(_cost);
            sum += _cost.Output(0)[0];
        }
        LoadTerminal(_tCost, zeta);
        _ocp.Functions.TerminalCost.Evaluate(_tCost);
        return sum + _tCost.Output(0)[0];
    }

    public void ObjectiveGradient(ReadOnlySpan<double> zeta, Span<double> gradient)
    {
        for (int t = 0; t < _l.Horizon; t++)
        {
            LoadStage(_costGrad, zeta, t);
            _ocp.Functions.StageCostGradient.Evaluate(_costGrad);
            _costGrad.Output(0).CopyTo(gradient.Slice(_l.StateOffset(t), _l.StageWidth));
        }
        LoadTerminal(_tCostGrad, zeta);
        _ocp.Functions.TerminalCostGradient.Evaluate(_tCostGrad);
        _tCostGrad.Output(0).CopyTo(gradient.Slice(_l.StateOffset(_l.Horizon), _l.StateCount));
    }

    public void Constraints(ReadOnlySpan<double> zeta, Span<double> g)
    {
        int n = _l.StateCount;
        for (int i = 0; i < n; i++) g[i] = zeta[i] - _xInit[i];
        for (int t = 0; t < _l.Horizon; t++)
        {
            LoadStage(_cons, zeta, t);
            _ocp.Functions.StageConstraints.Evaluate(_cons);
            _cons.Output(1).CopyTo(g.Slice(_l.PathRowOffset(t), _l.PathConstraintCount));
            var next = _cons.Output(0);
            int row = _l.DynamicsRowOffset(t), x1 = _l.StateOffset(t + 1);
            for (int i = 0; i < n; i++) g[row + i] = zeta[x1 + i] - next[i];   // κ_t = x_{t+1} − f(x_t, u_t)
        }
        LoadTerminal(_tCons, zeta);
        _ocp.Functions.TerminalConstraints.Evaluate(_tCons);
        _tCons.Output(0).CopyTo(g.Slice(_l.TerminalRowOffset, _l.TerminalConstraintCount));
    }

    public void JacobianValues(ReadOnlySpan<double> zeta, Span<double> values)
    {
        int n = _l.StateCount, k = 0;
        for (int i = 0; i < n; i++) values[k++] = 1.0;
        for (int t = 0; t < _l.Horizon; t++)
        {
            LoadStage(_jac, zeta, t);
            _ocp.Functions.StageJacobians.Evaluate(_jac);
            _jac.Output(1).CopyTo(values.Slice(k, _jacGNonZeros));
            k += _jacGNonZeros;
            var jf = _jac.Output(0);
            for (int e = 0; e < _jacFNonZeros; e++) values[k++] = -jf[e];
            for (int i = 0; i < n; i++) values[k++] = 1.0;
        }
        LoadTerminal(_tJac, zeta);
        _ocp.Functions.TerminalJacobian.Evaluate(_tJac);
        _tJac.Output(0).CopyTo(values.Slice(k, _jacGHNonZeros));
    }

    public void HessianValues(ReadOnlySpan<double> zeta, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        int n = _l.StateCount, p = _l.PathConstraintCount, k = 0;
        for (int t = 0; t < _l.Horizon; t++)
        {
            LoadStage(_hess, zeta, t);
            _hess.Input(OcpFunctions.StageInput.Sigma)[0] = objectiveFactor;
            // Row x_{t+1} − f enters Ipopt's Lagrangian as +λ(x_{t+1} − f): its curvature is −λ∇²f.
            var lambda = _hess.Input(OcpFunctions.StageInput.Lambda);
            var dyn = multipliers.Slice(_l.DynamicsRowOffset(t), n);
            for (int i = 0; i < n; i++) lambda[i] = -dyn[i];
            multipliers.Slice(_l.PathRowOffset(t), p).CopyTo(_hess.Input(OcpFunctions.StageInput.Mu));
            _ocp.Functions.StageHessian.Evaluate(_hess);
            _hess.Output(0).CopyTo(values.Slice(k, _hessNonZeros));
            k += _hessNonZeros;
        }
        LoadTerminal(_tHess, zeta);
        _tHess.Input(OcpFunctions.TerminalInput.Sigma)[0] = objectiveFactor;
        multipliers.Slice(_l.TerminalRowOffset, _l.TerminalConstraintCount).CopyTo(_tHess.Input(OcpFunctions.TerminalInput.Mu));
        _ocp.Functions.TerminalHessian.Evaluate(_tHess);
        _tHess.Output(0).CopyTo(values.Slice(k, _tHessNonZeros));
    }

    private void LoadStage(FunctionWorkspace ws, ReadOnlySpan<double> zeta, int t)
    {
        zeta.Slice(_l.StateOffset(t), _l.StateCount).CopyTo(ws.Input(0));
        zeta.Slice(_l.ControlOffset(t), _l.ControlCount).CopyTo(ws.Input(1));
    }

    private void LoadTerminal(FunctionWorkspace ws, ReadOnlySpan<double> zeta) =>
        zeta.Slice(_l.StateOffset(_l.Horizon), _l.StateCount).CopyTo(ws.Input(0));
}
