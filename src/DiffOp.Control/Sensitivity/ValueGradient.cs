using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// ∇θV: the gradient of the optimal value V(θ) = J(ζ*(θ); θ) with respect to θ, by the envelope theorem — the partial
/// derivative of the Lagrangian L = J − λᵀκ − μᵀg at the solution, with the multipliers in the paper's sign:
/// ∇θV = Σ_t ∇θc(x*_t, u*_t) + ∇θc_H(x*_H) + Σ_t (∂f/∂θ)ᵀλ_t − Σ_t (∂g/∂θ)ᵀμ_t − (∂g_H/∂θ)ᵀμ_H (box bounds do not depend
/// on θ). No linear system is solved, so it costs one pass over the stages; it is exact while the active set stays
/// locally constant (a one-sided derivative at a change). RL-MPC methods (Q-learning, deterministic policy gradient)
/// use it for ∇θQ and ∇θV.
/// </summary>
public sealed class ValueGradient
{
    private readonly Ocp _ocp;
    private readonly Function _stage, _terminal;
    private readonly int _n, _m, _p, _q, _d;

    /// <summary>Compiles ∂c/∂θ, ∂f/∂θ, ∂g/∂θ (stage) and ∂c_H/∂θ, ∂g_H/∂θ (terminal) from the OCP's definition.</summary>
    public ValueGradient(Ocp ocp)
    {
        _ocp = ocp ?? throw new ArgumentNullException(nameof(ocp));
        var d = ocp.Definition;
        (string, SxVector)[] stageIn = [("x", d.State), ("u", d.Control), ("theta", d.Theta), ("p", d.Context)];
        (string, SxVector)[] terminalIn = [("x", d.State), ("theta", d.Theta), ("p", d.Context)];
        _stage = new Function($"{ocp.Name}_value_grad_stage", stageIn,
        [
            ("c_theta", SxSparseMatrix.FromVector(Derivatives.Gradient(d.StageCost, d.Theta))),
            ("f_theta", Derivatives.Jacobian(d.Dynamics, d.Theta)),
            ("g_theta", Derivatives.Jacobian(d.PathConstraints, d.Theta)),
        ]);
        _terminal = new Function($"{ocp.Name}_value_grad_terminal", terminalIn,
        [
            ("c_H_theta", SxSparseMatrix.FromVector(Derivatives.Gradient(d.TerminalCost, d.Theta))),
            ("g_H_theta", Derivatives.Jacobian(d.TerminalConstraints, d.Theta)),
        ]);
        _n = ocp.StateCount; _m = ocp.ControlCount; _p = ocp.Layout.PathConstraintCount; _q = ocp.Layout.TerminalConstraintCount; _d = ocp.ParameterCount;
    }

    /// <summary>∇θV at <paramref name="solution"/> (length d).</summary>
    /// <exception cref="ArgumentException">The solution is of another OCP or did not succeed.</exception>
    public double[] Compute(OcpSolution solution)
    {
        var gradient = new double[_d];
        Compute(solution, gradient);
        return gradient;
    }

    /// <summary>Writes ∇θV at <paramref name="solution"/> into <paramref name="gradient"/> (length d).</summary>
    /// <exception cref="ArgumentException">The solution is of another OCP or did not succeed, or the destination has the wrong length.</exception>
    public void Compute(OcpSolution solution, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (!ReferenceEquals(solution.Ocp, _ocp)) throw new ArgumentException($"The solution is of OCP '{solution.Ocp.Name}', not '{_ocp.Name}'.", nameof(solution));
        if (!solution.IsSuccess) throw new ArgumentException($"The solve did not succeed ({solution.Status}): the value and its gradient are not defined there.", nameof(solution));
        if (gradient.Length != _d) throw new ArgumentException($"The gradient needs {_d} entries, got {gradient.Length}.", nameof(gradient));
        gradient.Clear();
        double[] theta = [.. solution.Theta], context = [.. solution.Context];
        using (var ws = _stage.CreateWorkspace())
        {
            for (int t = 0; t < _ocp.Horizon; t++)
            {
                solution.State(t).CopyTo(ws.Input(OcpFunctions.StageInput.State));
                solution.Control(t).CopyTo(ws.Input(OcpFunctions.StageInput.Control));
                theta.CopyTo(ws.Input(OcpFunctions.StageInput.Theta));
                context.CopyTo(ws.Input(OcpFunctions.StageInput.Context));
                _stage.Evaluate(ws);
                Scatter(ws.Output(0), _stage.OutputSparsity(0), null, 1.0, gradient, transposedVector: true);
                Scatter(ws.Output(1), _stage.OutputSparsity(1), solution.DynamicsMultipliers(t), 1.0, gradient);    // + f_θᵀλ_t
                if (_p > 0) Scatter(ws.Output(2), _stage.OutputSparsity(2), solution.PathMultipliers(t), -1.0, gradient);   // − g_θᵀμ_t
            }
        }
        using (var ws = _terminal.CreateWorkspace())
        {
            solution.State(_ocp.Horizon).CopyTo(ws.Input(OcpFunctions.TerminalInput.State));
            theta.CopyTo(ws.Input(OcpFunctions.TerminalInput.Theta));
            context.CopyTo(ws.Input(OcpFunctions.TerminalInput.Context));
            _terminal.Evaluate(ws);
            Scatter(ws.Output(0), _terminal.OutputSparsity(0), null, 1.0, gradient, transposedVector: true);
            if (_q > 0) Scatter(ws.Output(1), _terminal.OutputSparsity(1), solution.TerminalMultipliers, -1.0, gradient);
        }
    }

    /// <summary>gradient += sign·Mᵀw for a sparse M (rows × d); a gradient vector (d × 1, <paramref name="transposedVector"/>) is added as is.</summary>
    private static void Scatter(ReadOnlySpan<double> values, Sparsity s, ReadOnlySpan<double> weights, double sign, Span<double> gradient, bool transposedVector = false)
    {
        var rows = s.Rows; var cols = s.Columns;
        for (int e = 0; e < values.Length; e++)
        {
            if (transposedVector) gradient[rows[e]] += sign * values[e];   // a column vector: its row index is the θ entry
            else gradient[cols[e]] += sign * values[e] * weights[rows[e]];
        }
    }
}
