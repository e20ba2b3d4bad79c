using DiffOp.Control.Ocp;
using DiffOp.Symbolic;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// Evaluates the KKT blocks of an OCP solution from the compiled stage functions. One instance per
/// thread (it owns evaluation workspaces); the compiled functions are shared through the <see cref="Ocp.Ocp"/>.
/// </summary>
public sealed class KktBlockAssembler
{
    private readonly Ocp.Ocp _ocp;
    private readonly FunctionWorkspace _hess, _jac, _mixed, _paramJac, _tHess, _tJac, _tMixed, _tParamJac;
    private readonly FunctionWorkspace[] _stageWorkspaces, _terminalWorkspaces;   // inputs (x,u,θ,p) and (x,θ,p)

    /// <summary>Creates an assembler for solutions of <paramref name="ocp"/>.</summary>
    public KktBlockAssembler(Ocp.Ocp ocp)
    {
        _ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        var f = ocp.Functions;
        var sf = ocp.SensitivityFunctions;
        _hess = f.StageHessian.CreateWorkspace(); _jac = f.StageJacobians.CreateWorkspace();
        _mixed = sf.StageMixed.CreateWorkspace(); _paramJac = sf.StageParameterJacobians.CreateWorkspace();
        _tHess = f.TerminalHessian.CreateWorkspace(); _tJac = f.TerminalJacobian.CreateWorkspace();
        _tMixed = sf.TerminalMixed.CreateWorkspace(); _tParamJac = sf.TerminalParameterJacobian.CreateWorkspace();
        _stageWorkspaces = [_hess, _jac, _mixed, _paramJac];
        _terminalWorkspaces = [_tHess, _tJac, _tMixed, _tParamJac];
    }

    /// <summary>
    /// The blocks at <paramref name="solution"/>. Every path and terminal multiplier (active or not, Ipopt's
    /// are ~0 on inactive rows) enters D and B; only active rows enter A and C; weakly active rows count as inactive.
    /// </summary>
    /// <exception cref="Nlp.SolverException">The solve failed: there is nothing to differentiate.</exception>
    public KktBlocks Assemble(OcpSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (!ReferenceEquals(solution.Ocp, _ocp))
            throw new ArgumentException($"The solution belongs to OCP '{solution.Ocp.Name}', not to '{_ocp.Name}'.", nameof(solution));
        solution.EnsureSuccess();
        var l = _ocp.Layout;
        int n = l.StateCount, m = l.ControlCount, w = l.StageWidth, d = _ocp.ParameterCount, p = l.PathConstraintCount, H = l.Horizon;
        var f = _ocp.Functions;
        var sf = _ocp.SensitivityFunctions;
        ReadOnlySpan<double> theta = solution.Theta.ToArray(), context = solution.Context.ToArray();
        SetData(theta, context);

        var stageHessians = new double[H][];
        var stageMixed = new double[H][];
        var dynJac = new double[H][];
        var dynParamJac = new double[H][];
        var stageRows = new ActiveRow[H][];
        var activeByStage = solution.ActiveSet.Active.ToLookup(c => c.Stage);

        for (int t = 0; t < H; t++)
        {
            var x = solution.State(t);
            var u = solution.Control(t);
            ReadOnlySpan<double> lambda = solution.DynamicsMultipliers(t);
            var nu = Negated(solution.PathMultipliers(t));   // ν = −λ_paper ≥ 0 for g ≤ 0

            Load(_hess, x, u);
            _hess.Input(4)[0] = 1.0;
            lambda.CopyTo(_hess.Input(5));
            nu.CopyTo(_hess.Input(6));
            f.StageHessian.Evaluate(_hess);
            stageHessians[t] = Symmetric(f.StageHessian.OutputSparsity(0), _hess.Output(0), w);

            Load(_mixed, x, u);
            lambda.CopyTo(_mixed.Input(4));
            nu.CopyTo(_mixed.Input(5));
            sf.StageMixed.Evaluate(_mixed);
            stageMixed[t] = Dense(sf.StageMixed.OutputSparsity(0), _mixed.Output(0), w, d);

            Load(_jac, x, u);
            f.StageJacobians.Evaluate(_jac);
            dynJac[t] = Dense(f.StageJacobians.OutputSparsity(0), _jac.Output(0), n, w);
            var gJac = Dense(f.StageJacobians.OutputSparsity(1), _jac.Output(1), p, w);

            Load(_paramJac, x, u);
            sf.StageParameterJacobians.Evaluate(_paramJac);
            dynParamJac[t] = Dense(sf.StageParameterJacobians.OutputSparsity(0), _paramJac.Output(0), n, d);
            var gParamJac = Dense(sf.StageParameterJacobians.OutputSparsity(1), _paramJac.Output(1), p, d);

            var rows = new List<ActiveRow>();
            foreach (var c in activeByStage[t].Where(c => c.Kind == ConstraintKind.Path).OrderBy(c => c.Index))
                rows.Add(new ActiveRow(c.Kind, c.Index, gJac.AsSpan(c.Index * w, w).ToArray(), gParamJac.AsSpan(c.Index * d, d).ToArray()));
            foreach (var c in activeByStage[t].Where(c => c.Kind is ConstraintKind.LowerBound or ConstraintKind.UpperBound).OrderBy(c => c.Index))
                rows.Add(new ActiveRow(c.Kind, c.Index, UnitRow(w, c.Index), new double[d]));
            stageRows[t] = [.. rows];
        }

        // Terminal stage.
        var xH = solution.State(H);
        var nuH = Negated(solution.TerminalMultipliers);
        int q = l.TerminalConstraintCount;
        xH.CopyTo(_tHess.Input(0));
        _tHess.Input(3)[0] = 1.0;
        nuH.CopyTo(_tHess.Input(4));
        f.TerminalHessian.Evaluate(_tHess);
        var terminalHessian = Symmetric(f.TerminalHessian.OutputSparsity(0), _tHess.Output(0), n);
        xH.CopyTo(_tMixed.Input(0));
        nuH.CopyTo(_tMixed.Input(3));
        sf.TerminalMixed.Evaluate(_tMixed);
        var terminalMixed = Dense(sf.TerminalMixed.OutputSparsity(0), _tMixed.Output(0), n, d);
        xH.CopyTo(_tJac.Input(0));
        f.TerminalJacobian.Evaluate(_tJac);
        var gHJac = Dense(f.TerminalJacobian.OutputSparsity(0), _tJac.Output(0), q, n);
        xH.CopyTo(_tParamJac.Input(0));
        sf.TerminalParameterJacobian.Evaluate(_tParamJac);
        var gHParamJac = Dense(sf.TerminalParameterJacobian.OutputSparsity(0), _tParamJac.Output(0), q, d);
        var terminalRows = new List<ActiveRow>();
        foreach (var c in activeByStage[H].Where(c => c.Kind == ConstraintKind.Terminal).OrderBy(c => c.Index))
            terminalRows.Add(new ActiveRow(c.Kind, c.Index, gHJac.AsSpan(c.Index * n, n).ToArray(), gHParamJac.AsSpan(c.Index * d, d).ToArray()));
        foreach (var c in activeByStage[H].Where(c => c.Kind is ConstraintKind.LowerBound or ConstraintKind.UpperBound).OrderBy(c => c.Index))
            terminalRows.Add(new ActiveRow(c.Kind, c.Index, UnitRow(n, c.Index), new double[d]));

        return new KktBlocks
        {
            StateCount = n, ControlCount = m, Horizon = H, ParameterCount = d,
            StageHessians = stageHessians, TerminalHessian = terminalHessian, StageMixed = stageMixed, TerminalMixed = terminalMixed,
            DynamicsJacobians = dynJac, DynamicsParameterJacobians = dynParamJac, StageRows = stageRows, TerminalRows = [.. terminalRows],
        };
    }

    private void SetData(ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        foreach (var ws in _stageWorkspaces)
        {
            theta.CopyTo(ws.Input(2));
            context.CopyTo(ws.Input(3));
        }
        foreach (var ws in _terminalWorkspaces)
        {
            theta.CopyTo(ws.Input(1));
            context.CopyTo(ws.Input(2));
        }
    }

    private static void Load(FunctionWorkspace ws, ReadOnlySpan<double> x, ReadOnlySpan<double> u)
    {
        x.CopyTo(ws.Input(0));
        u.CopyTo(ws.Input(1));
    }

    private static double[] Negated(ReadOnlySpan<double> v)
    {
        var r = new double[v.Length];
        for (int i = 0; i < v.Length; i++) r[i] = -v[i];
        return r;
    }

    private static double[] UnitRow(int length, int index)
    {
        var r = new double[length];
        r[index] = 1.0;
        return r;
    }

    private static double[] Dense(Sparsity s, ReadOnlySpan<double> nonZeros, int rows, int cols)
    {
        var a = new double[rows * cols];
        for (int k = 0; k < s.NonZeroCount; k++) a[s.Rows[k] * cols + s.Columns[k]] = nonZeros[k];
        return a;
    }

    private static double[] Symmetric(Sparsity lower, ReadOnlySpan<double> nonZeros, int size)
    {
        var a = new double[size * size];
        for (int k = 0; k < lower.NonZeroCount; k++)
        {
            int r = lower.Rows[k], c = lower.Columns[k];
            a[r * size + c] = nonZeros[k];
            a[c * size + r] = nonZeros[k];
        }
        return a;
    }
}
