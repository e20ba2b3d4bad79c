using System.Diagnostics;
using DiffOp.Control.Nlp;

namespace DiffOp.Benchmarks;

/// <summary>
/// Bench-only decorator: forwards every <see cref="INlpProblem"/> call and accumulates its wall time
/// (Stopwatch ticks) and call count per callback kind.
/// </summary>
public sealed class TimedNlpProblem(INlpProblem inner) : INlpProblem
{
    public static readonly string[] Names = ["eval_f", "eval_grad_f", "eval_g", "eval_jac_g (values)", "eval_h (values)", "structures + bounds"];

    public long[] Ticks { get; } = new long[Names.Length];
    public long[] Calls { get; } = new long[Names.Length];

    public void Reset()
    {
        Array.Clear(Ticks);
        Array.Clear(Calls);
    }

    public long TotalTicks => Ticks.Sum();

    public int VariableCount => inner.VariableCount;
    public int ConstraintCount => inner.ConstraintCount;
    public int JacobianNonZeroCount => inner.JacobianNonZeroCount;
    public int HessianNonZeroCount => inner.HessianNonZeroCount;

    public void GetBounds(Span<double> variableLower, Span<double> variableUpper, Span<double> constraintLower, Span<double> constraintUpper)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.GetBounds(variableLower, variableUpper, constraintLower, constraintUpper);
        Add(5, t0);
    }

    public void GetJacobianStructure(Span<int> rows, Span<int> columns)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.GetJacobianStructure(rows, columns);
        Add(5, t0);
    }

    public void GetHessianStructure(Span<int> rows, Span<int> columns)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.GetHessianStructure(rows, columns);
        Add(5, t0);
    }

    public double Objective(ReadOnlySpan<double> x)
    {
        long t0 = Stopwatch.GetTimestamp();
        double f = inner.Objective(x);
        Add(0, t0);
        return f;
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.ObjectiveGradient(x, gradient);
        Add(1, t0);
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.Constraints(x, values);
        Add(2, t0);
    }

    public void JacobianValues(ReadOnlySpan<double> x, Span<double> values)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.JacobianValues(x, values);
        Add(3, t0);
    }

    public void HessianValues(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.HessianValues(x, objectiveFactor, multipliers, values);
        Add(4, t0);
    }

    private void Add(int kind, long t0)
    {
        Ticks[kind] += Stopwatch.GetTimestamp() - t0;
        Calls[kind]++;
    }
}
