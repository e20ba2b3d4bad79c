using DiffOp.Symbolic;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// The compiled per-stage functions of an OCP, built once per <see cref="Ocp"/>. Every stage function
/// takes the inputs (x, u, θ, p) in that order; terminal functions take (x, θ, p); the Hessian
/// functions take extra multiplier inputs. Derivatives are with respect to z = (x, u) (stage) or x (terminal).
/// </summary>
internal sealed class OcpFunctions
{
    public required Function StageCost { get; init; }          // c
    public required Function StageCostGradient { get; init; }  // ∇_z c
    public required Function StageConstraints { get; init; }   // f, g
    public required Function StageJacobians { get; init; }     // ∂f/∂z, ∂g/∂z (sparse)
    public required Function StageHessian { get; init; }       // lower ∇²_z (σ c + λᵀ f + μᵀ g); extra inputs σ, λ (n), μ (p)
    public required Function TerminalCost { get; init; }
    public required Function TerminalCostGradient { get; init; }
    public required Function TerminalConstraints { get; init; }  // g_H
    public required Function TerminalJacobian { get; init; }     // ∂g_H/∂x
    public required Function TerminalHessian { get; init; }      // lower ∇²_x (σ c_H + μᵀ g_H); extra inputs σ, μ (q)

    /// <summary>Input slots of every stage function: (x, u, θ, p), then the Hessian's σ, λ, μ (and the mixed Jacobian's λ, μ at σ's slot).</summary>
    public static class StageInput
    {
        public const int State = 0, Control = 1, Theta = 2, Context = 3, Sigma = 4, Lambda = 5, Mu = 6;
    }

    /// <summary>Input slots of every terminal function: (x, θ, p), then the Hessian's σ, μ_H.</summary>
    public static class TerminalInput
    {
        public const int State = 0, Theta = 1, Context = 2, Sigma = 3, Mu = 4;
    }

    /// <summary>Writes θ and p into the slots of stage and terminal workspaces (the inputs that stay fixed during a solve).</summary>
    public static void SetParameters(FunctionWorkspace[] stage, FunctionWorkspace[] terminal, ReadOnlySpan<double> theta, ReadOnlySpan<double> context)
    {
        foreach (var ws in stage)
        {
            theta.CopyTo(ws.Input(StageInput.Theta));
            context.CopyTo(ws.Input(StageInput.Context));
        }
        foreach (var ws in terminal)
        {
            theta.CopyTo(ws.Input(TerminalInput.Theta));
            context.CopyTo(ws.Input(TerminalInput.Context));
        }
    }

    public static OcpFunctions Compile(string name, OcpDefinition d)
    {
        var terminalExpressions = SxVector.Concat(new SxVector(d.TerminalCost), d.TerminalConstraints);
        if (Derivatives.Jacobian(terminalExpressions, d.Control).Sparsity.NonZeroCount > 0)
            throw new InvalidOperationException($"OCP '{name}': the terminal cost and constraints must not depend on the control u.");
        var z = SxVector.Concat(d.State, d.Control);
        // In the order of StageInput and TerminalInput (the workspaces are filled by those slot numbers).
        (string, SxVector)[] stageIn = [("x", d.State), ("u", d.Control), ("theta", d.Theta), ("p", d.Context)];
        (string, SxVector)[] terminalIn = [("x", d.State), ("theta", d.Theta), ("p", d.Context)];

        var sigma = Sx.Symbol("sigma");
        var lambda = SxVector.Symbols("lambda", d.State.Length);
        var mu = SxVector.Symbols("mu", d.PathConstraints.Length);
        var muH = SxVector.Symbols("mu_H", d.TerminalConstraints.Length);
        Sx stageLagrangian = sigma * d.StageCost + lambda.Dot(d.Dynamics) + mu.Dot(d.PathConstraints);
        Sx terminalLagrangian = sigma * d.TerminalCost + muH.Dot(d.TerminalConstraints);

        return new OcpFunctions
        {
            StageCost = new Function($"{name}_stage_cost", stageIn, [("c", SxSparseMatrix.FromScalar(d.StageCost))]),
            StageCostGradient = new Function($"{name}_stage_cost_grad", stageIn,
                [("grad_c", SxSparseMatrix.FromVector(Derivatives.Gradient(d.StageCost, z)))]),
            StageConstraints = new Function($"{name}_stage_constraints", stageIn,
                [("f", SxSparseMatrix.FromVector(d.Dynamics)), ("g", SxSparseMatrix.FromVector(d.PathConstraints))]),
            StageJacobians = new Function($"{name}_stage_jacobians", stageIn,
                [("jac_f", Derivatives.Jacobian(d.Dynamics, z)), ("jac_g", Derivatives.Jacobian(d.PathConstraints, z))]),
            StageHessian = new Function($"{name}_stage_hessian",
                [.. stageIn, ("sigma", new SxVector(sigma)), ("lambda", lambda), ("mu", mu)],
                [("hess_L", Derivatives.Hessian(stageLagrangian, z))]),
            TerminalCost = new Function($"{name}_terminal_cost", terminalIn, [("c_H", SxSparseMatrix.FromScalar(d.TerminalCost))]),
            TerminalCostGradient = new Function($"{name}_terminal_cost_grad", terminalIn,
                [("grad_c_H", SxSparseMatrix.FromVector(Derivatives.Gradient(d.TerminalCost, d.State)))]),
            TerminalConstraints = new Function($"{name}_terminal_constraints", terminalIn,
                [("g_H", SxSparseMatrix.FromVector(d.TerminalConstraints))]),
            TerminalJacobian = new Function($"{name}_terminal_jacobian", terminalIn,
                [("jac_g_H", Derivatives.Jacobian(d.TerminalConstraints, d.State))]),
            TerminalHessian = new Function($"{name}_terminal_hessian",
                [.. terminalIn, ("sigma", new SxVector(sigma)), ("mu_H", muH)],
                [("hess_L_H", Derivatives.Hessian(terminalLagrangian, d.State))]),
        };
    }
}
