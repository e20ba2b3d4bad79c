namespace DiffOp.Control.Nlp;

/// <summary>
/// A smooth nonlinear program in Ipopt's form:
/// min f(x) s.t. g_L ≤ g(x) ≤ g_U, x_L ≤ x ≤ x_U, with x ∈ ℝⁿ (n = <see cref="VariableCount"/>)
/// and g: ℝⁿ → ℝᵐ (m = <see cref="ConstraintCount"/>).
/// </summary>
/// <remarks>
/// Sparse matrices are given as triplets (row, column) whose order is fixed by the structure methods;
/// the value methods fill values in that same order. The Hessian is the lower triangle (row ≥ column)
/// of ∇²(σ f + Σᵢ λᵢ gᵢ) with Ipopt's multiplier sign (L_ipopt = f + λᵀg). Infinite bounds are
/// <see cref="double.PositiveInfinity"/> / <see cref="double.NegativeInfinity"/>.
/// Evaluation methods are called from Ipopt's callbacks: they must not allocate, and any exception
/// they throw is captured, stops the solve and is rethrown by the solver after Ipopt returns.
/// </remarks>
public interface INlpProblem
{
    /// <summary>Number of variables n.</summary>
    int VariableCount { get; }

    /// <summary>Number of constraints m.</summary>
    int ConstraintCount { get; }

    /// <summary>Number of structural nonzeros of the constraint Jacobian ∂g/∂x.</summary>
    int JacobianNonZeroCount { get; }

    /// <summary>Number of structural nonzeros of the lower triangle of the Lagrangian Hessian.</summary>
    int HessianNonZeroCount { get; }

    /// <summary>Writes x_L, x_U (length n) and g_L, g_U (length m).</summary>
    void GetBounds(Span<double> variableLower, Span<double> variableUpper, Span<double> constraintLower, Span<double> constraintUpper);

    /// <summary>Writes the zero-based (row, column) of each Jacobian nonzero.</summary>
    void GetJacobianStructure(Span<int> rows, Span<int> columns);

    /// <summary>Writes the zero-based (row, column) of each lower-triangle Hessian nonzero.</summary>
    void GetHessianStructure(Span<int> rows, Span<int> columns);

    /// <summary>f(x).</summary>
    double Objective(ReadOnlySpan<double> x);

    /// <summary>∇f(x) into <paramref name="gradient"/> (length n).</summary>
    void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>g(x) into <paramref name="values"/> (length m).</summary>
    void Constraints(ReadOnlySpan<double> x, Span<double> values);

    /// <summary>The Jacobian nonzeros at x, in structure order.</summary>
    void JacobianValues(ReadOnlySpan<double> x, Span<double> values);

    /// <summary>The nonzeros of the lower triangle of σ∇²f + Σᵢ λᵢ∇²gᵢ at x, in structure order.</summary>
    void HessianValues(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values);
}
