using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Algorithms;

/// <summary>Q_θ(s, a) and its gradient ∇θQ (<see cref="MpcQFunction.Evaluate"/>); not finite when the solve failed.</summary>
/// <param name="Value">Q_θ(s, a).</param>
/// <param name="Gradient">∇θQ_θ(s, a) (length d).</param>
/// <param name="Penalty">The exact-penalty part of the value: w·Σ max(0, violation) of the rows that (s, a) alone fixes.</param>
/// <param name="Success">False when the tail problem failed to solve, or when the first stage's cost or a derivative of it is not
/// finite at (s, a, θ) (a state far outside the model's range); the value is then +∞.</param>
public sealed record QValue(double Value, double[] Gradient, double Penalty, bool Success);

/// <summary>
/// The MPC as a Q-function (Gros &amp; Zanon 2019): Q_θ(s, a) is the optimal value of the policy OCP with the first control
/// fixed to a. Since x₁ = f(s, a; θ) is then fixed too, Q_θ(s, a) = c(s, a; θ) + V^{H−1}_θ(f(s, a; θ)): the stage cost plus
/// the optimal value of the same OCP over H − 1 stages from x₁ (for H = 1, the terminal cost c_H(x₁)). Its gradient comes
/// from the envelope theorem (<see cref="ValueGradient"/>) and the chain rule through x₁ with ∂V/∂x_init = λ₋₁:
/// ∇θQ = ∇θc(s, a) + ∇θV^{H−1}(x₁) + (∂f/∂θ)ᵀλ₋₁. Rows that (s, a) alone fixes — the path rows of stage 0, the state
/// bounds of x₁ and, for H = 1, the terminal rows — are evaluated, not imposed: a violated row adds the exact penalty w·max(0, violation) (an infeasible
/// Q problem would otherwise be +∞). Q(s, π(s)) = V(s) when no such row is violated.
/// </summary>
public sealed class MpcQFunction : IDisposable
{
    private readonly Ocp _ocp;
    private readonly OcpSolver? _tail;
    private readonly ValueGradient? _tailGradient;
    private readonly Function _stage, _terminal;
    private readonly int _n, _m, _p, _d;

    /// <summary>Creates the Q-function of <paramref name="ocp"/>.</summary>
    /// <param name="ocp">The policy OCP (horizon H).</param>
    /// <param name="tail">The same model over H − 1 stages (the tail problem); null exactly when H = 1.</param>
    /// <param name="options">Solver settings of the tail problem.</param>
    /// <param name="penaltyWeight">w of the exact penalty on rows fixed by (s, a). Default 100.</param>
    /// <exception cref="ArgumentException">The tail problem does not match (horizon H − 1, same sizes and parameters), or w is not positive.</exception>
    public MpcQFunction(Ocp ocp, Ocp? tail, OcpSolverOptions? options = null, double penaltyWeight = 100)
    {
        _ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        if (!(penaltyWeight > 0) || !double.IsFinite(penaltyWeight))
            throw new ArgumentException($"The penalty weight must be positive and finite, got {penaltyWeight}.", nameof(penaltyWeight));
        if (ocp.Horizon == 1 && tail is not null)
            throw new ArgumentException("With H = 1 the tail of the Q problem is the terminal cost alone: pass no tail problem.", nameof(tail));
        if (ocp.Horizon > 1)
        {
            if (tail is null) throw new ArgumentException($"The Q problem of OCP '{ocp.Name}' (H = {ocp.Horizon}) needs its tail: the same model over H − 1 = {ocp.Horizon - 1} stages.", nameof(tail));
            if (tail.Horizon != ocp.Horizon - 1 || tail.StateCount != ocp.StateCount || tail.ControlCount != ocp.ControlCount
                || tail.ParameterCount != ocp.ParameterCount || tail.ContextCount != ocp.ContextCount)
                throw new ArgumentException(
                    $"The tail problem '{tail.Name}' (H = {tail.Horizon}, n = {tail.StateCount}, m = {tail.ControlCount}, d = {tail.ParameterCount}) must be the same model as " +
                    $"'{ocp.Name}' over H − 1 = {ocp.Horizon - 1} stages.", nameof(tail));
            _tail = new OcpSolver(tail, options);
            _tailGradient = new ValueGradient(tail);
        }
        PenaltyWeight = penaltyWeight;
        var d = ocp.Definition;
        (string, SxVector)[] stageIn = [("x", d.State), ("u", d.Control), ("theta", d.Theta), ("p", d.Context)];
        (string, SxVector)[] terminalIn = [("x", d.State), ("theta", d.Theta), ("p", d.Context)];
        _stage = new Function($"{ocp.Name}_q_stage", stageIn,
        [
            ("c", SxSparseMatrix.FromScalar(d.StageCost)),
            ("c_theta", SxSparseMatrix.FromVector(Derivatives.Gradient(d.StageCost, d.Theta))),
            ("f", SxSparseMatrix.FromVector(d.Dynamics)),
            ("f_theta", Derivatives.Jacobian(d.Dynamics, d.Theta)),
            ("g", SxSparseMatrix.FromVector(d.PathConstraints)),
            ("g_theta", Derivatives.Jacobian(d.PathConstraints, d.Theta)),
        ]);
        _terminal = new Function($"{ocp.Name}_q_terminal", terminalIn,
        [
            ("c_H", SxSparseMatrix.FromScalar(d.TerminalCost)),
            ("c_H_x", SxSparseMatrix.FromVector(Derivatives.Gradient(d.TerminalCost, d.State))),
            ("c_H_theta", SxSparseMatrix.FromVector(Derivatives.Gradient(d.TerminalCost, d.Theta))),
            ("g_H", SxSparseMatrix.FromVector(d.TerminalConstraints)),
            ("g_H_x", Derivatives.Jacobian(d.TerminalConstraints, d.State)),
            ("g_H_theta", Derivatives.Jacobian(d.TerminalConstraints, d.Theta)),
        ]);
        _n = ocp.StateCount; _m = ocp.ControlCount; _p = ocp.Layout.PathConstraintCount; _d = ocp.ParameterCount;
    }

    /// <summary>w of the exact penalty.</summary>
    public double PenaltyWeight { get; }

    /// <summary>Q_θ(s, a) and ∇θQ_θ(s, a).</summary>
    /// <exception cref="ArgumentException">A vector has the wrong length or a non-finite entry.</exception>
    public QValue Evaluate(ReadOnlySpan<double> theta, ReadOnlySpan<double> state, ReadOnlySpan<double> action, ReadOnlySpan<double> context)
    {
        Check(theta, _d, "θ"); Check(state, _n, "s"); Check(action, _m, "a"); Check(context, _ocp.ContextCount, "the context");
        var gradient = new double[_d];
        double[] x1 = new double[_n], fTheta = new double[_n * _d];
        double value, penalty = 0;
        using (var ws = _stage.CreateWorkspace())
        {
            state.CopyTo(ws.Input(0)); action.CopyTo(ws.Input(1)); theta.CopyTo(ws.Input(2)); context.CopyTo(ws.Input(3));
            // A state far outside the model's range (a diverged true system, or a θ a large step made extreme) can make the
            // first stage's cost or its derivatives overflow: Q is not defined there, so the transition fails like a failed solve.
            if (!TryEvaluate(_stage, ws)) return new QValue(double.PositiveInfinity, gradient, penalty, false);
            value = ws.Output(0)[0];
            AddVector(ws.Output(1), _stage.OutputSparsity(1), 1.0, gradient);
            ws.Output(2).CopyTo(x1);
            Dense(ws.Output(3), _stage.OutputSparsity(3), fTheta);
            var g = ws.Output(4);
            var gTheta = new double[_p * _d];
            Dense(ws.Output(5), _stage.OutputSparsity(5), gTheta);
            for (int j = 0; j < _p; j++)
            {
                if (g[j] <= 0) continue;
                penalty += PenaltyWeight * g[j];
                for (int i = 0; i < _d; i++) gradient[i] += PenaltyWeight * gTheta[j * _d + i];
            }
        }
        // x₁'s state bounds: fixed by (s, a), so evaluated as an exact penalty (their bounds do not depend on θ; x₁ does).
        var xGradient = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            double over = x1[i] - _ocp.StateUpper[i], under = _ocp.StateLower[i] - x1[i];
            if (over > 0) { penalty += PenaltyWeight * over; xGradient[i] += PenaltyWeight; }
            if (under > 0) { penalty += PenaltyWeight * under; xGradient[i] -= PenaltyWeight; }
        }

        if (_tail is null)
        {
            using var ws = _terminal.CreateWorkspace();
            x1.CopyTo(ws.Input(0)); theta.CopyTo(ws.Input(1)); context.CopyTo(ws.Input(2));
            if (!TryEvaluate(_terminal, ws)) return new QValue(double.PositiveInfinity, gradient, penalty, false);
            value += ws.Output(0)[0];
            var cx = new double[_n];
            AddVector(ws.Output(1), _terminal.OutputSparsity(1), 1.0, cx);
            for (int i = 0; i < _n; i++) xGradient[i] += cx[i];
            AddVector(ws.Output(2), _terminal.OutputSparsity(2), 1.0, gradient);
            // With H = 1 the terminal rows g_H(x₁) ≤ 0 are fixed by (s, a) too: an exact penalty like the others.
            int q = _ocp.Layout.TerminalConstraintCount;
            if (q > 0)
            {
                var gH = ws.Output(3);
                var gx = new double[q * _n]; var gt = new double[q * _d];
                Dense(ws.Output(4), _terminal.OutputSparsity(4), gx);
                Dense(ws.Output(5), _terminal.OutputSparsity(5), gt);
                for (int j = 0; j < q; j++)
                {
                    if (gH[j] <= 0) continue;
                    penalty += PenaltyWeight * gH[j];
                    for (int i = 0; i < _n; i++) xGradient[i] += PenaltyWeight * gx[j * _n + i];
                    for (int i = 0; i < _d; i++) gradient[i] += PenaltyWeight * gt[j * _d + i];
                }
            }
        }
        else
        {
            var tail = _tail.Solve(theta, x1, context);
            if (!tail.IsSuccess) return new QValue(double.PositiveInfinity, gradient, penalty, false);
            value += tail.Objective;
            var tailGradient = _tailGradient!.Compute(tail);
            for (int i = 0; i < _d; i++) gradient[i] += tailGradient[i];
            var dVdx = tail.InitialStateMultipliers;   // ∂V^{H−1}/∂x_init = λ₋₁
            for (int i = 0; i < _n; i++) xGradient[i] += dVdx[i];
        }
        // Chain rule through x₁ = f(s, a; θ): + (∂f/∂θ)ᵀ ∂(tail + penalty)/∂x₁.
        for (int r = 0; r < _n; r++)
        {
            if (xGradient[r] == 0) continue;
            for (int i = 0; i < _d; i++) gradient[i] += fTheta[r * _d + i] * xGradient[r];
        }
        return new QValue(value + penalty, gradient, penalty, true);
    }

    private static bool TryEvaluate(Function function, FunctionWorkspace workspace)
    {
        try
        {
            function.Evaluate(workspace);
            return true;
        }
        catch (SymbolicException)
        {
            return false;   // a non-finite output (the workspace checks every output)
        }
    }

    private static void AddVector(ReadOnlySpan<double> values, Sparsity s, double sign, Span<double> destination)
    {
        var rows = s.Rows;
        for (int e = 0; e < values.Length; e++) destination[rows[e]] += sign * values[e];
    }

    private static void Dense(ReadOnlySpan<double> values, Sparsity s, double[] dense)
    {
        Array.Clear(dense);
        var rows = s.Rows; var cols = s.Columns;
        int columns = s.ColumnCount;
        for (int e = 0; e < values.Length; e++) dense[rows[e] * columns + cols[e]] = values[e];
    }

    private static void Check(ReadOnlySpan<double> v, int length, string what)
    {
        if (v.Length != length) throw new ArgumentException($"{what} has {v.Length} entries; the OCP needs {length}.");
        foreach (double x in v)
            if (!double.IsFinite(x)) throw new ArgumentException($"{what} has a non-finite entry.");
    }

    /// <summary>Frees the tail problem's solver.</summary>
    public void Dispose() => _tail?.Dispose();
}
