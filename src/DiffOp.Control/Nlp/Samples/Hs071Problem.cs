namespace DiffOp.Control.Nlp.Samples;

/// <summary>
/// Hock–Schittkowski problem 71, Ipopt's classic example:
/// min x₁x₄(x₁+x₂+x₃) + x₃ s.t. x₁x₂x₃x₄ ≥ 25, Σxᵢ² = 40, 1 ≤ xᵢ ≤ 5, start (1, 5, 5, 1).
/// The optimum is f* = 17.014017… at x* ≈ (1, 4.743, 3.821, 1.379). Derivatives are hand-written.
/// </summary>
public sealed class Hs071Problem : INlpProblem
{
    /// <summary>The customary start point (1, 5, 5, 1).</summary>
    public static double[] StartPoint => [1.0, 5.0, 5.0, 1.0];

    /// <summary>Right-hand side of the equality Σxᵢ² = <see cref="SumOfSquares"/> (40 in HS071; other values give variants).</summary>
    public double SumOfSquares { get; init; } = 40.0;

    /// <inheritdoc />
    public int VariableCount => 4;
    /// <inheritdoc />
    public int ConstraintCount => 2;
    /// <inheritdoc />
    public int JacobianNonZeroCount => 8;
    /// <inheritdoc />
    public int HessianNonZeroCount => 10;

    /// <inheritdoc />
    public void GetBounds(Span<double> variableLower, Span<double> variableUpper, Span<double> constraintLower, Span<double> constraintUpper)
    {
        variableLower.Fill(1.0);
        variableUpper.Fill(5.0);
        constraintLower[0] = 25.0; constraintUpper[0] = double.PositiveInfinity;
        constraintLower[1] = SumOfSquares; constraintUpper[1] = SumOfSquares;
    }

    /// <inheritdoc />
    public void GetJacobianStructure(Span<int> rows, Span<int> columns)
    {
        for (int k = 0; k < 8; k++) { rows[k] = k / 4; columns[k] = k % 4; }   // dense 2×4, row-major
    }

    /// <inheritdoc />
    public void GetHessianStructure(Span<int> rows, Span<int> columns)
    {
        int k = 0;
        for (int r = 0; r < 4; r++)
            for (int c = 0; c <= r; c++) { rows[k] = r; columns[k] = c; k++; }   // dense lower triangle
    }

    /// <inheritdoc />
    public double Objective(ReadOnlySpan<double> x) => x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2];

    /// <inheritdoc />
    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = x[3] * (2 * x[0] + x[1] + x[2]);
        gradient[1] = x[0] * x[3];
        gradient[2] = x[0] * x[3] + 1;
        gradient[3] = x[0] * (x[0] + x[1] + x[2]);
    }

    /// <inheritdoc />
    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        values[0] = x[0] * x[1] * x[2] * x[3];
        values[1] = x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3];
    }

    /// <inheritdoc />
    public void JacobianValues(ReadOnlySpan<double> x, Span<double> values)
    {
        values[0] = x[1] * x[2] * x[3]; values[1] = x[0] * x[2] * x[3];
        values[2] = x[0] * x[1] * x[3]; values[3] = x[0] * x[1] * x[2];
        for (int i = 0; i < 4; i++) values[4 + i] = 2 * x[i];
    }

    /// <inheritdoc />
    public void HessianValues(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        double s = objectiveFactor, l0 = multipliers[0], l1 = multipliers[1];
        // order: (0,0) (1,0) (1,1) (2,0) (2,1) (2,2) (3,0) (3,1) (3,2) (3,3)
        values[0] = s * 2 * x[3] + l1 * 2;
        values[1] = s * x[3] + l0 * x[2] * x[3];
        values[2] = l1 * 2;
        values[3] = s * x[3] + l0 * x[1] * x[3];
        values[4] = l0 * x[0] * x[3];
        values[5] = l1 * 2;
        values[6] = s * (2 * x[0] + x[1] + x[2]) + l0 * x[1] * x[2];
        values[7] = s * x[0] + l0 * x[0] * x[2];
        values[8] = s * x[0] + l0 * x[0] * x[1];
        values[9] = l1 * 2;
    }
}
