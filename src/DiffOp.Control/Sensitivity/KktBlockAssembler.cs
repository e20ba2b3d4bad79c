using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// Evaluates the KKT blocks of an OCP solution from the compiled stage functions. One instance per
/// thread (it owns evaluation workspaces and the reused block storage); the compiled functions are shared through
/// the <see cref="Ocp"/>.
/// </summary>
public sealed class KktBlockAssembler
{
    private readonly Ocp _ocp;
    private readonly FunctionWorkspace _hess, _jac, _mixed, _paramJac, _tHess, _tJac, _tMixed, _tParamJac;
    private readonly FunctionWorkspace[] _stageWorkspaces, _terminalWorkspaces;   // inputs (x,u,θ,p) and (x,θ,p)

    // Reused storage of AssembleReused: the blocks, the scratch matrices, the active rows of each stage (a pool of
    // rows and, per row count, the array handed out), so that the steady state allocates nothing.
    private readonly KktBlocks _blocks;
    private readonly double[] _gJac, _gParamJac, _gHJac, _gHParamJac, _nu, _nuH;
    private readonly List<ActiveRow>[] _rowPool;
    private readonly Dictionary<int, ActiveRow[]>[] _rowArrays;
    private readonly int[] _rowCounts;

    /// <summary>Creates an assembler for solutions of <paramref name="ocp"/>.</summary>
    public KktBlockAssembler(Ocp ocp)
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

        var l = ocp.Layout;
        int n = l.StateCount, w = l.StageWidth, d = ocp.ParameterCount, p = l.PathConstraintCount, q = l.TerminalConstraintCount, H = l.Horizon;
        _blocks = NewBlocks(H, n, l.ControlCount, d);
        _gJac = new double[p * w]; _gParamJac = new double[p * d]; _gHJac = new double[q * n]; _gHParamJac = new double[q * d];
        _nu = new double[p]; _nuH = new double[q];
        _rowPool = new List<ActiveRow>[H + 1];
        _rowArrays = new Dictionary<int, ActiveRow[]>[H + 1];
        for (int t = 0; t <= H; t++) { _rowPool[t] = []; _rowArrays[t] = []; }
        _rowCounts = new int[H + 1];
    }

    private static KktBlocks NewBlocks(int H, int n, int m, int d)
    {
        int w = n + m;
        return new KktBlocks
        {
            StateCount = n, ControlCount = m, Horizon = H, ParameterCount = d,
            StageHessians = Arrays(H, w * w), TerminalHessian = new double[n * n], StageMixed = Arrays(H, w * d), TerminalMixed = new double[n * d],
            DynamicsJacobians = Arrays(H, n * w), DynamicsParameterJacobians = Arrays(H, n * d),
            StageRows = Enumerable.Repeat(Array.Empty<ActiveRow>(), H).ToArray(), TerminalRows = [],
        };
    }

    private static double[][] Arrays(int count, int length) => Enumerable.Range(0, count).Select(_ => new double[length]).ToArray();

    /// <summary>
    /// The blocks at <paramref name="solution"/>, in new arrays the caller may keep. Every path and terminal multiplier
    /// (active or not, Ipopt's are ~0 on inactive rows) enters D and B; only active rows enter A and C; weakly active
    /// rows count as inactive.
    /// </summary>
    /// <exception cref="Nlp.SolverException">The solve failed: there is nothing to differentiate.</exception>
    public KktBlocks Assemble(OcpSolution solution)
    {
        var b = AssembleReused(solution);
        static double[][] Copy(double[][] a) => [.. a.Select(x => (double[])x.Clone())];
        static ActiveRow[] CopyRows(ActiveRow[] rows) =>
            [.. rows.Select(r => new ActiveRow(r.Kind, r.Index, (double[])r.Coefficients.Clone(), (double[])r.ParameterCoefficients.Clone()))];
        return new KktBlocks
        {
            StateCount = b.StateCount, ControlCount = b.ControlCount, Horizon = b.Horizon, ParameterCount = b.ParameterCount,
            StageHessians = Copy(b.StageHessians), TerminalHessian = (double[])b.TerminalHessian.Clone(),
            StageMixed = Copy(b.StageMixed), TerminalMixed = (double[])b.TerminalMixed.Clone(),
            DynamicsJacobians = Copy(b.DynamicsJacobians), DynamicsParameterJacobians = Copy(b.DynamicsParameterJacobians),
            StageRows = [.. b.StageRows.Select(CopyRows)], TerminalRows = CopyRows(b.TerminalRows),
        };
    }

    /// <summary>
    /// Like <see cref="Assemble"/>, but into this assembler's own storage, which the next call overwrites: the
    /// allocation-free path of the structured solver.
    /// </summary>
    internal KktBlocks AssembleReused(OcpSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (!ReferenceEquals(solution.Ocp, _ocp))
            throw new ArgumentException($"The solution belongs to OCP '{solution.Ocp.Name}', not to '{_ocp.Name}'.", nameof(solution));
        solution.EnsureSuccess();
        var l = _ocp.Layout;
        int n = l.StateCount, w = l.StageWidth, d = _ocp.ParameterCount, H = l.Horizon;
        var f = _ocp.Functions;
        var sf = _ocp.SensitivityFunctions;
        var b = _blocks;
        SetData(solution.ThetaValues, solution.ContextValues);
        CollectActiveRows(solution.ActiveSet.Active, H);

        for (int t = 0; t < H; t++)
        {
            var x = solution.State(t);
            var u = solution.Control(t);
            ReadOnlySpan<double> lambda = solution.DynamicsMultipliers(t);
            Negate(solution.PathMultipliers(t), _nu);   // ν = −λ_paper ≥ 0 for g ≤ 0

            Load(_hess, x, u);
            _hess.Input(OcpFunctions.StageInput.Sigma)[0] = 1.0;
            lambda.CopyTo(_hess.Input(OcpFunctions.StageInput.Lambda));
            _nu.CopyTo(_hess.Input(OcpFunctions.StageInput.Mu));
            f.StageHessian.Evaluate(_hess);
            Symmetric(f.StageHessian.OutputSparsity(0), _hess.Output(0), w, b.StageHessians[t]);

            Load(_mixed, x, u);
            lambda.CopyTo(_mixed.Input(4));
            _nu.CopyTo(_mixed.Input(5));
            sf.StageMixed.Evaluate(_mixed);
            Dense(sf.StageMixed.OutputSparsity(0), _mixed.Output(0), d, b.StageMixed[t]);

            Load(_jac, x, u);
            f.StageJacobians.Evaluate(_jac);
            Dense(f.StageJacobians.OutputSparsity(0), _jac.Output(0), w, b.DynamicsJacobians[t]);
            Dense(f.StageJacobians.OutputSparsity(1), _jac.Output(1), w, _gJac);

            Load(_paramJac, x, u);
            sf.StageParameterJacobians.Evaluate(_paramJac);
            Dense(sf.StageParameterJacobians.OutputSparsity(0), _paramJac.Output(0), d, b.DynamicsParameterJacobians[t]);
            Dense(sf.StageParameterJacobians.OutputSparsity(1), _paramJac.Output(1), d, _gParamJac);

            b.StageRows[t] = FillRows(t, w, d, _gJac, _gParamJac);
        }

        // Terminal stage.
        var xH = solution.State(H);
        Negate(solution.TerminalMultipliers, _nuH);
        xH.CopyTo(_tHess.Input(OcpFunctions.TerminalInput.State));
        _tHess.Input(OcpFunctions.TerminalInput.Sigma)[0] = 1.0;
        _nuH.CopyTo(_tHess.Input(OcpFunctions.TerminalInput.Mu));
        f.TerminalHessian.Evaluate(_tHess);
        Symmetric(f.TerminalHessian.OutputSparsity(0), _tHess.Output(0), n, b.TerminalHessian);
        xH.CopyTo(_tMixed.Input(0));
        _nuH.CopyTo(_tMixed.Input(3));
        sf.TerminalMixed.Evaluate(_tMixed);
        Dense(sf.TerminalMixed.OutputSparsity(0), _tMixed.Output(0), d, b.TerminalMixed);
        xH.CopyTo(_tJac.Input(0));
        f.TerminalJacobian.Evaluate(_tJac);
        Dense(f.TerminalJacobian.OutputSparsity(0), _tJac.Output(0), n, _gHJac);
        xH.CopyTo(_tParamJac.Input(0));
        sf.TerminalParameterJacobian.Evaluate(_tParamJac);
        Dense(sf.TerminalParameterJacobian.OutputSparsity(0), _tParamJac.Output(0), d, _gHParamJac);
        b.TerminalRows = FillRows(H, n, d, _gHJac, _gHParamJac);
        return b;
    }

    /// <summary>
    /// Sorts the active constraints into the row pools of their stages: path (or terminal) rows by index, then bounds
    /// by component (the order <see cref="KktOrdering"/> numbers them in). Rows hold only kind and index here.
    /// </summary>
    private void CollectActiveRows(IReadOnlyList<ActiveConstraint> active, int H)
    {
        Array.Clear(_rowCounts);
        for (int k = 0; k < active.Count; k++)
        {
            var c = active[k];
            int t = c.Stage, slot = _rowCounts[t]++;
            var pool = _rowPool[t];
            if (slot == pool.Count)
            {
                int width = t < H ? _ocp.Layout.StageWidth : _ocp.Layout.StateCount;
                pool.Add(new ActiveRow(c.Kind, c.Index, new double[width], new double[_ocp.ParameterCount]));
            }
            pool[slot].Kind = c.Kind;
            pool[slot].Index = c.Index;
        }
        for (int t = 0; t <= H; t++)
        {
            // Insertion sort by (bound after row, index): a handful of rows per stage, no allocation.
            var pool = _rowPool[t];
            for (int i = 1; i < _rowCounts[t]; i++)
            {
                for (int j = i; j > 0 && Precedes(pool[j], pool[j - 1]); j--) (pool[j], pool[j - 1]) = (pool[j - 1], pool[j]);
            }
        }
    }

    private static bool Precedes(ActiveRow a, ActiveRow b)
    {
        int ka = IsBound(a.Kind) ? 1 : 0, kb = IsBound(b.Kind) ? 1 : 0;
        return ka != kb ? ka < kb : a.Index < b.Index;
    }

    private static bool IsBound(ConstraintKind kind) => kind is ConstraintKind.LowerBound or ConstraintKind.UpperBound;

    /// <summary>Fills the coefficients of stage t's collected rows and returns them as an array of exactly that length.</summary>
    private ActiveRow[] FillRows(int t, int width, int d, double[] jacobian, double[] parameterJacobian)
    {
        int count = _rowCounts[t];
        if (count == 0) return [];
        if (!_rowArrays[t].TryGetValue(count, out var rows)) _rowArrays[t][count] = rows = new ActiveRow[count];
        var pool = _rowPool[t];
        for (int k = 0; k < count; k++)
        {
            var row = pool[k];
            rows[k] = row;
            if (IsBound(row.Kind))
            {
                Array.Clear(row.Coefficients);
                row.Coefficients[row.Index] = 1.0;
                Array.Clear(row.ParameterCoefficients);
            }
            else
            {
                jacobian.AsSpan(row.Index * width, width).CopyTo(row.Coefficients);
                parameterJacobian.AsSpan(row.Index * d, d).CopyTo(row.ParameterCoefficients);
            }
        }
        return rows;
    }

    private void SetData(ReadOnlySpan<double> theta, ReadOnlySpan<double> context) =>
        OcpFunctions.SetParameters(_stageWorkspaces, _terminalWorkspaces, theta, context);

    private static void Load(FunctionWorkspace ws, ReadOnlySpan<double> x, ReadOnlySpan<double> u)
    {
        x.CopyTo(ws.Input(0));
        u.CopyTo(ws.Input(1));
    }

    private static void Negate(ReadOnlySpan<double> v, Span<double> target)
    {
        for (int i = 0; i < v.Length; i++) target[i] = -v[i];
    }

    private static void Dense(Sparsity s, ReadOnlySpan<double> nonZeros, int cols, double[] target)
    {
        Array.Clear(target);
        for (int k = 0; k < s.NonZeroCount; k++) target[s.Rows[k] * cols + s.Columns[k]] = nonZeros[k];
    }

    private static void Symmetric(Sparsity lower, ReadOnlySpan<double> nonZeros, int size, double[] target)
    {
        Array.Clear(target);
        for (int k = 0; k < lower.NonZeroCount; k++)
        {
            int r = lower.Rows[k], c = lower.Columns[k];
            target[r * size + c] = nonZeros[k];
            target[c * size + r] = nonZeros[k];
        }
    }
}
