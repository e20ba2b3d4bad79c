using DiffOp.Control.Nlp;

namespace DiffOp.Control.Qp;

/// <summary>How a structured QP solve ended.</summary>
internal enum QpOutcome
{
    Solved,
    /// <summary>A Newton step's reduced Hessian is not positive definite: the QP is not (strictly) convex at this θ.</summary>
    NotConvex,
    LimitReached,
    /// <summary>The iterates stopped making progress or became non-finite (an infeasible QP ends here or at the limit).</summary>
    NumericalFailure,
    /// <summary>A block of the QP has a non-finite entry at this θ, p.</summary>
    EvaluationError,
}

/// <summary>
/// A primal–dual interior-point method (Mehrotra's predictor–corrector) for OCPs that are convex quadratic programs,
/// with every Newton step solved over the stage structure by a Riccati recursion (<see cref="RiccatiRecursion"/>),
/// so one iteration costs O(H(n+m)³) and no allocation.
/// Problem: min J(ζ) s.t. Eζ = b (initial state and dynamics rows), aᵢᵀζ ≤ hᵢ (path and terminal rows, finite bounds).
/// Unknowns: ζ, the equality multipliers y, slacks sᵢ = hᵢ − aᵢᵀζ ≥ 0 and their multipliers zᵢ ≥ 0, with the
/// Lagrangian J + yᵀ(Eζ − b) + Σ zᵢ(aᵢᵀζ − hᵢ) — Ipopt's sign, so the result is an <see cref="NlpSolution"/> like Ipopt's.
/// </summary>
internal sealed partial class StructuredQpSolver
{
    private readonly OptimalControl.Ocp _ocp;
    private readonly QpStageData _d;
    private readonly RiccatiRecursion _riccati;
    private readonly int _n, _m, _w, _h, _vars, _ineq;
    private readonly int[] _ineqStart;                       // first inequality of stage t (t = H: terminal), length H + 2
    private readonly BoundRows _first, _middle, _terminal;   // bound rows of stage 0 (u only), 1..H−1 (x and u), H (x only)
    private readonly double[] _zeta, _dzeta, _y, _nu, _s, _z, _ds, _dz, _rp, _rc, _rd, _re, _g, _e, _ht, _htH, _xInit;

    /// <summary>Bound rows of one kind of stage: ±ζ_j ≤ ±bound (sign +1: upper bound, −1: lower bound).</summary>
    private sealed record BoundRows(int[] Index, double[] Sign, double[] Rhs)
    {
        public int Count => Index.Length;
    }

    public StructuredQpSolver(OptimalControl.Ocp ocp, double tolerance, int maxIterations)
    {
        _ocp = ocp;
        _d = new QpStageData(ocp);
        var l = ocp.Layout;
        _n = l.StateCount; _m = l.ControlCount; _w = l.StageWidth; _h = l.Horizon; _vars = l.VariableCount;
        Tolerance = tolerance;
        MaxIterations = maxIterations;
        _riccati = new RiccatiRecursion(_n, _m, _h);
        _first = Bounds(ocp, includeState: false, includeControl: true);
        _middle = Bounds(ocp, includeState: true, includeControl: true);
        _terminal = Bounds(ocp, includeState: true, includeControl: false);
        _ineqStart = new int[_h + 2];
        int k = 0;
        for (int t = 0; t <= _h; t++)
        {
            _ineqStart[t] = k;
            k += t < _h ? _d.P + BoundsOf(t).Count : _d.R + _terminal.Count;
        }
        _ineqStart[_h + 1] = k;
        _ineq = k;
        _zeta = new double[_vars]; _dzeta = new double[_vars]; _rd = new double[_vars]; _g = new double[_vars];
        _y = new double[(_h + 1) * _n]; _nu = new double[(_h + 1) * _n]; _re = new double[(_h + 1) * _n]; _e = new double[(_h + 1) * _n];
        _s = new double[k]; _z = new double[k]; _ds = new double[k]; _dz = new double[k]; _rp = new double[k]; _rc = new double[k];
        _ht = new double[_h * _w * _w]; _htH = new double[_n * _n]; _xInit = new double[_n];
    }

    /// <summary>Convergence tolerance on the scaled residuals and on the mean complementarity μ.</summary>
    public double Tolerance { get; }

    public int MaxIterations { get; }

    /// <summary>Iterations of the last solve.</summary>
    public int Iterations { get; private set; }

    private static BoundRows Bounds(OptimalControl.Ocp ocp, bool includeState, bool includeControl)
    {
        var index = new List<int>(); var sign = new List<double>(); var rhs = new List<double>();
        int n = ocp.StateCount;
        void Add(int j, double lower, double upper)
        {
            if (double.IsFinite(lower)) { index.Add(j); sign.Add(-1); rhs.Add(-lower); }
            if (double.IsFinite(upper)) { index.Add(j); sign.Add(1); rhs.Add(upper); }
        }
        if (includeState)
            for (int i = 0; i < n; i++) Add(i, ocp.StateLower[i], ocp.StateUpper[i]);
        if (includeControl)
            for (int j = 0; j < ocp.ControlCount; j++) Add(n + j, ocp.ControlLower[j], ocp.ControlUpper[j]);
        return new BoundRows([.. index], [.. sign], [.. rhs]);
    }

    private BoundRows BoundsOf(int t) => t == 0 ? _first : t < _h ? _middle : _terminal;

    /// <summary>Solves at θ, p and x_init, starting from <paramref name="start"/> (primal only) or from zero.</summary>
    public QpOutcome Solve(ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState, ReadOnlySpan<double> start)
    {
        Iterations = 0;
        if (_d.Load(theta, context) is not null) return QpOutcome.EvaluationError;
        initialState.CopyTo(_xInit);
        if (start.IsEmpty) Array.Clear(_zeta); else start.CopyTo(_zeta);
        initialState.CopyTo(_zeta);
        Array.Clear(_y);
        for (int t = 0; t <= _h; t++)   // slacks at least 1 and multipliers 1: a well-centred start for problems scaled near 1
        {
            var block = StageBlock(_zeta, t);
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++)
            {
                _s[k] = Math.Max(Rhs(t, k) - Dot(t, k, block), 1.0);
                _z[k] = 1.0;
            }
        }
        return Iterate(initialState);
    }

    /// <summary>
    /// Solves at θ, p and x_init from <paramref name="previous"/> (a solution of this OCP, one step earlier in Step mode)
    /// shifted by one stage, primal and dual: the same start as <see cref="SolveWarm"/> given
    /// <see cref="OptimalControl.OcpWarmStart.Shifted"/>, so the same answer bit for bit, without allocating.
    /// </summary>
    public QpOutcome SolveShifted(ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState, NlpSolution previous) =>
        SolveFrom(theta, context, initialState, previous.X, previous.ConstraintMultipliers, previous.LowerBoundMultipliers, previous.UpperBoundMultipliers, shift: true);

    /// <summary>Solves at θ, p and x_init from a primal–dual start point (multipliers in Ipopt's sign, as in <see cref="NlpSolution"/>).</summary>
    public QpOutcome SolveWarm(ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState, NlpStartPoint start) =>
        SolveFrom(theta, context, initialState, start.X, start.ConstraintMultipliers!, start.LowerBoundMultipliers!, start.UpperBoundMultipliers!, shift: false);

    /// <summary>
    /// The primal–dual warm start: ζ and the equality multipliers y as given (or shifted one stage: the last stage
    /// repeated, the initial rows taking the costate of x₁), and for every inequality its multiplier z and its slack
    /// s = h − aᵀζ, both raised to at least <see cref="WarmStartFloor"/> — strictly interior, and not so close to the
    /// boundary that the first steps stall (the usual remedy for warm-starting an interior-point method).
    /// </summary>
    private QpOutcome SolveFrom(ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState,
        double[] x, double[] lambda, double[] lower, double[] upper, bool shift)
    {
        Iterations = 0;
        if (_d.Load(theta, context) is not null) return QpOutcome.EvaluationError;
        var l = _ocp.Layout;
        int n = _n, w = _w, h = _h;
        initialState.CopyTo(_xInit);
        if (shift) OptimalControl.OcpWarmStart.ShiftPrimal(l, x, _zeta); else x.CopyTo(_zeta, 0);
        initialState.CopyTo(_zeta);
        for (int i = 0; i < n; i++) _y[i] = lambda[(shift ? l.DynamicsRowOffset(0) : 0) + i];
        for (int t = 0; t < h; t++)
        {
            int source = shift ? OptimalControl.OcpWarmStart.ShiftedStage(t, h) : t;
            for (int i = 0; i < n; i++) _y[((t + 1) * n) + i] = lambda[l.DynamicsRowOffset(source) + i];
        }
        for (int t = 0; t <= h; t++)
        {
            var block = StageBlock(_zeta, t);
            int rows = t < h ? _d.P : _d.R;
            var bounds = BoundsOf(t);
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++)
            {
                int local = k - _ineqStart[t];
                double z;
                if (local < rows)
                    z = lambda[(t < h ? l.PathRowOffset(shift ? OptimalControl.OcpWarmStart.ShiftedStage(t, h) : t) : l.TerminalRowOffset) + local];
                else
                {
                    int variable = (t * w) + bounds.Index[local - rows];
                    if (shift) variable = OptimalControl.OcpWarmStart.ShiftedVariable(l, variable);
                    z = bounds.Sign[local - rows] > 0 ? upper[variable] : lower[variable];
                }
                _z[k] = double.IsFinite(z) ? Math.Max(z, WarmStartFloor) : 1.0;
                _s[k] = Math.Max(Rhs(t, k) - Dot(t, k, block), WarmStartFloor);
            }
        }
        return Iterate(initialState);
    }

    /// <summary>The smallest slack and multiplier of a warm start (<see cref="SolveFrom"/>).</summary>
    private const double WarmStartFloor = 1e-2;

    /// <summary>Mehrotra's predictor–corrector from the start point in ζ, y, s, z.</summary>
    private QpOutcome Iterate(ReadOnlySpan<double> initialState)
    {
        double dualScale = 1 + Math.Max(MaxAbs(_d.Qv), MaxAbs(_d.QvH));
        double primalScale = 1 + Math.Max(MaxAbs(initialState), MaxAbs(_d.F0));
        double boundScale = 1;
        for (int t = 0; t <= _h; t++)
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++) boundScale = Math.Max(boundScale, 1 + Math.Abs(Rhs(t, k)));

        for (int iteration = 0; ; iteration++)
        {
            double mu = Residuals();
            double rd = MaxAbs(_rd), re = MaxAbs(_re), rp = MaxAbs(_rp);
            if (!double.IsFinite(mu + rd + re + rp)) return QpOutcome.NumericalFailure;
            if (rd <= Tolerance * dualScale && re <= Tolerance * primalScale && rp <= Tolerance * boundScale && mu <= Tolerance)
                return QpOutcome.Solved;
            if (iteration == MaxIterations) return QpOutcome.LimitReached;
            Iterations = iteration + 1;

            BuildStepHessians();
            if (_riccati.Factor(_ht, _htH, _d.F) >= 0) return QpOutcome.NotConvex;

            // Predictor (affine scaling): complementarity target 0.
            for (int k = 0; k < _ineq; k++) _rc[k] = -_s[k] * _z[k];
            Direction();
            double alphaAffine = StepToBoundary(1.0);
            double muAffine = 0;
            for (int k = 0; k < _ineq; k++) muAffine += (_s[k] + alphaAffine * _ds[k]) * (_z[k] + alphaAffine * _dz[k]);
            muAffine = _ineq > 0 ? muAffine / _ineq : 0;
            double sigma = mu > 0 ? Math.Clamp(Math.Pow(muAffine / mu, 3), 0, 1) : 0;

            // Corrector: centring σμ and the second-order term of the predictor.
            for (int k = 0; k < _ineq; k++) _rc[k] = sigma * mu - _s[k] * _z[k] - _ds[k] * _dz[k];
            Direction();
            double alpha = StepToBoundary(0.995);
            if (!(alpha > 1e-12)) return QpOutcome.NumericalFailure;
            for (int i = 0; i < _vars; i++) _zeta[i] += alpha * _dzeta[i];
            for (int i = 0; i < _y.Length; i++) _y[i] += alpha * _nu[i];
            for (int k = 0; k < _ineq; k++) { _s[k] += alpha * _ds[k]; _z[k] += alpha * _dz[k]; }
        }
    }

    /// <summary>r_d (stationarity), r_e (equality rows), r_p = h − Aζ − s; returns μ = sᵀz / #inequalities.</summary>
    private double Residuals()
    {
        int n = _n, w = _w;
        for (int t = 0; t <= _h; t++)
        {
            int width = t < _h ? w : n;
            var z = StageBlock(_zeta, t);
            var r = _rd.AsSpan(t * w, width);
            var q = t < _h ? _d.Q : _d.QH;
            var qv = t < _h ? _d.Qv : _d.QvH;
            for (int a = 0; a < width; a++)
            {
                double s = qv[a];
                for (int b = 0; b < width; b++) s += q[a * width + b] * z[b];
                r[a] = s;
            }
            var yPrevious = _y.AsSpan(t * n, n);            // multiplier of the row that defines x_t (initial or dynamics t−1)
            for (int i = 0; i < n; i++) r[i] += yPrevious[i];
            if (t < _h)
            {
                var yt = _y.AsSpan((t + 1) * n, n);         // row x_{t+1} − F z_t − f₀
                for (int a = 0; a < w; a++)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += _d.F[i * w + a] * yt[i];
                    r[a] -= s;
                }
                var next = StageBlock(_zeta, t + 1);
                var ret = _re.AsSpan((t + 1) * n, n);
                for (int i = 0; i < n; i++)
                {
                    double s = next[i] - _d.F0[i];
                    for (int j = 0; j < w; j++) s -= _d.F[i * w + j] * z[j];
                    ret[i] = s;
                }
            }
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++)
            {
                AddRow(t, k, _z[k], r);
                _rp[k] = Rhs(t, k) - Dot(t, k, z) - _s[k];
            }
        }
        for (int i = 0; i < n; i++) _re[i] = _zeta[i] - _xInit[i];
        double mu = 0;
        for (int k = 0; k < _ineq; k++) mu += _s[k] * _z[k];
        return _ineq > 0 ? mu / _ineq : 0;
    }

    /// <summary>H_t = Q + Σ (zᵢ/sᵢ) aᵢaᵢᵀ over the stage's inequalities.</summary>
    private void BuildStepHessians()
    {
        int w = _w, n = _n;
        for (int t = 0; t <= _h; t++)
        {
            var target = t < _h ? _ht.AsSpan(t * w * w, w * w) : _htH.AsSpan();
            (t < _h ? _d.Q : _d.QH).CopyTo(target);
            int width = t < _h ? w : n;
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++) AddOuter(t, k, _z[k] / _s[k], target, width);
        }
    }

    /// <summary>The Newton direction for the current r_c: dζ and ν = dy from the Riccati recursion, then ds and dz.</summary>
    private void Direction()
    {
        int n = _n;
        _rd.CopyTo(_g.AsSpan());
        for (int t = 0; t <= _h; t++)
        {
            var g = _g.AsSpan(t * _w, t < _h ? _w : n);
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++)
                AddRow(t, k, (_rc[k] - _z[k] * _rp[k]) / _s[k], g);
        }
        for (int i = 0; i < _e.Length; i++) _e[i] = -_re[i];
        _riccati.Solve(_d.F, _g, _e, _dzeta, _nu);
        for (int t = 0; t <= _h; t++)
        {
            var dz = StageBlock(_dzeta, t);
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++)
            {
                _ds[k] = _rp[k] - Dot(t, k, dz);
                _dz[k] = (_rc[k] - _z[k] * _ds[k]) / _s[k];
            }
        }
    }

    /// <summary>The largest α ≤ 1 with s + α·ds ≥ 0 and z + α·dz ≥ 0, times <paramref name="fraction"/>.</summary>
    private double StepToBoundary(double fraction)
    {
        double alpha = 1.0;
        for (int k = 0; k < _ineq; k++)
        {
            if (_ds[k] < 0) alpha = Math.Min(alpha, -fraction * _s[k] / _ds[k]);
            if (_dz[k] < 0) alpha = Math.Min(alpha, -fraction * _z[k] / _dz[k]);
        }
        return alpha;
    }

    /// <summary>
    /// The last solve's result as an <see cref="NlpSolution"/> in Ipopt's row order and multiplier sign
    /// (<see cref="OptimalControl.OcpLayout"/>), so that the active set and the sensitivities treat it like an Ipopt solution.
    /// Given <paramref name="reuse"/>, the record is new but its arrays are those of <paramref name="reuse"/>, overwritten.
    /// </summary>
    public NlpSolution ToNlpSolution(QpOutcome outcome, TimeSpan elapsed, NlpSolution? reuse = null)
    {
        var l = _ocp.Layout;
        int n = _n, w = _w;
        // New arrays, or those of reuse (an earlier result of this solver, overwritten: the allocation-free path of reused
        // plans). Every row is written below; of the bound multipliers only the finite bounds' entries are.
        var constraints = reuse?.Constraints ?? new double[l.RowCount];
        var multipliers = reuse?.ConstraintMultipliers ?? new double[l.RowCount];
        var lower = reuse?.LowerBoundMultipliers ?? new double[_vars];
        var upper = reuse?.UpperBoundMultipliers ?? new double[_vars];
        var x = reuse?.X ?? new double[_vars];
        Array.Clear(lower);
        Array.Clear(upper);
        _zeta.CopyTo(x, 0);
        double objective = 0;
        for (int i = 0; i < n; i++) { constraints[i] = _zeta[i] - _xInit[i]; multipliers[i] = _y[i]; }
        for (int t = 0; t <= _h; t++)
        {
            var z = StageBlock(_zeta, t);
            int width = z.Length;
            var q = t < _h ? _d.Q : _d.QH;
            var qv = t < _h ? _d.Qv : _d.QvH;
            double cost = t < _h ? _d.C0 : _d.C0H;
            for (int a = 0; a < width; a++)
            {
                double s = 0;
                for (int b = 0; b < width; b++) s += q[a * width + b] * z[b];
                cost += z[a] * (qv[a] + 0.5 * s);
            }
            objective += cost;
            int rows = t < _h ? _d.P : _d.R;
            int rowOffset = t < _h ? l.PathRowOffset(t) : l.TerminalRowOffset;
            for (int k = _ineqStart[t]; k < _ineqStart[t + 1]; k++)
            {
                int local = k - _ineqStart[t];
                if (local < rows)
                {
                    constraints[rowOffset + local] = Dot(t, k, z) - Rhs(t, k);   // G z + g₀
                    multipliers[rowOffset + local] = _z[k];
                }
                else
                {
                    var b = BoundsOf(t);
                    int j = t * w + b.Index[local - rows];
                    if (b.Sign[local - rows] > 0) upper[j] = _z[k]; else lower[j] = _z[k];
                }
            }
            if (t < _h)
            {
                int row = l.DynamicsRowOffset(t);
                for (int i = 0; i < n; i++) { constraints[row + i] = _re[(t + 1) * n + i]; multipliers[row + i] = _y[(t + 1) * n + i]; }
            }
        }
        // The last Residuals() call was at the returned iterate, so _re holds its dynamics rows.
        var status = outcome switch
        {
            QpOutcome.Solved => NlpStatus.Solved,
            QpOutcome.LimitReached => NlpStatus.LimitReached,
            QpOutcome.EvaluationError => NlpStatus.EvaluationError,
            _ => NlpStatus.NumericalFailure,
        };
        string solverStatus = outcome switch   // Ipopt's names for the same outcomes (constants: no formatting per solve)
        {
            QpOutcome.Solved => "Solve_Succeeded",
            QpOutcome.LimitReached => "Maximum_Iterations_Exceeded",
            QpOutcome.EvaluationError => "Invalid_Number_Detected",
            _ => "Error_In_Step_Computation",
        };
        return new NlpSolution
        {
            Status = status, SolverName = nameof(OptimalControl.OcpSolveMethod.StructuredQp), SolverStatus = solverStatus, X = x, Objective = objective, Constraints = constraints,
            ConstraintMultipliers = multipliers, LowerBoundMultipliers = lower, UpperBoundMultipliers = upper,
            Iterations = Iterations, SolveTime = elapsed,
        };
    }
}
