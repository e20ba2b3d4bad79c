using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// Compiled parameter derivatives of an OCP's stage and terminal pieces, built once per <see cref="Ocp"/>
/// (lazily, on the first differentiation). With ℓ_t = c + λᵀf + νᵀg (λ: paper-sign dynamics multiplier,
/// ν ≥ 0: multiplier of g ≤ 0) and ℓ_H = c_H + ν_Hᵀg_H, these give B_t = ∂²ℓ_t/∂z∂θ, B_H = ∂²ℓ_H/∂x∂θ,
/// and ∂f/∂θ, ∂g/∂θ, ∂g_H/∂θ for the C blocks (docs/sensitivity.md).
/// </summary>
internal sealed class SensitivityFunctions
{
    public required Function StageMixed { get; init; }        // in: x,u,θ,p,λ(n),ν(p) → B_t (n+m)×d (sparse)
    public required Function StageParameterJacobians { get; init; } // in: x,u,θ,p → ∂f/∂θ (n×d), ∂g/∂θ (p×d)
    public required Function TerminalMixed { get; init; }     // in: x,θ,p,ν_H(q) → B_H n×d
    public required Function TerminalParameterJacobian { get; init; } // in: x,θ,p → ∂g_H/∂θ (q×d)

    public static SensitivityFunctions Compile(string name, OcpDefinition d)
    {
        var z = SxVector.Concat(d.State, d.Control);
        var lambda = SxVector.Symbols("lambda", d.State.Length);
        var nu = SxVector.Symbols("nu", d.PathConstraints.Length);
        var nuH = SxVector.Symbols("nu_H", d.TerminalConstraints.Length);
        Sx stage = d.StageCost + lambda.Dot(d.Dynamics) + nu.Dot(d.PathConstraints);
        Sx terminal = d.TerminalCost + nuH.Dot(d.TerminalConstraints);
        (string, SxVector)[] stageIn = [("x", d.State), ("u", d.Control), ("theta", d.Theta), ("p", d.Context)];
        (string, SxVector)[] terminalIn = [("x", d.State), ("theta", d.Theta), ("p", d.Context)];
        return new SensitivityFunctions
        {
            StageMixed = new Function($"{name}_stage_mixed", [.. stageIn, ("lambda", lambda), ("nu", nu)],
                [("B", Derivatives.Hessian(stage, z, d.Theta))]),
            StageParameterJacobians = new Function($"{name}_stage_param_jac", stageIn,
                [("f_theta", Derivatives.Jacobian(d.Dynamics, d.Theta)), ("g_theta", Derivatives.Jacobian(d.PathConstraints, d.Theta))]),
            TerminalMixed = new Function($"{name}_terminal_mixed", [.. terminalIn, ("nu_H", nuH)],
                [("B_H", Derivatives.Hessian(terminal, d.State, d.Theta))]),
            TerminalParameterJacobian = new Function($"{name}_terminal_param_jac", terminalIn,
                [("g_H_theta", Derivatives.Jacobian(d.TerminalConstraints, d.Theta))]),
        };
    }
}
