using DiffOp.Control.OptimalControl;

namespace DiffOp.Control.Sensitivity;

/// <summary>
/// Implicit derivative of an OCP solution with respect to θ and x_init (paper Prop. 1), from the KKT system
/// [[D, Aᵀ], [A, 0]]·[dζ; −dλ] = −[B; C] (docs/design.md). Columns are θ (d) then x_init (n).
/// Failures (LICQ violated, singular reduced Hessian) raise <see cref="SensitivityException"/> naming the stage;
/// a failed solve raises <see cref="Nlp.SolverException"/>. Never NaN.
/// </summary>
public interface ISensitivitySolver
{
    /// <summary>The full Jacobian ∂ζ*/∂(θ, x_init).</summary>
    SensitivityResult Jacobian(OcpSolution solution);

    /// <summary>vᵀ·∂ζ*/∂(θ, x_init) for v over ζ (length H(n+m)+n); returns d + n entries. One KKT solve.</summary>
    double[] VectorJacobianProduct(OcpSolution solution, ReadOnlySpan<double> v);

    /// <summary>∂ζ*/∂(θ, x_init)·p for p of length d + n; returns H(n+m)+n entries. One KKT solve.</summary>
    double[] JacobianVectorProduct(OcpSolution solution, ReadOnlySpan<double> direction);
}
