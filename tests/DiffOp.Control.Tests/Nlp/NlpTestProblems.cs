using DiffOp.Control.Nlp;

namespace DiffOp.Control.Tests.Nlp;

/// <summary>min (x₀−1)² + (x₁−2)² s.t. x₀² + x₁² ≤ −1: infeasible by construction.</summary>
internal sealed class InfeasibleProblem : INlpProblem
{
    public int VariableCount => 2;
    public int ConstraintCount => 1;
    public int JacobianNonZeroCount => 2;
    public int HessianNonZeroCount => 2;

    public void GetBounds(Span<double> xL, Span<double> xU, Span<double> gL, Span<double> gU)
    {
        xL.Fill(double.NegativeInfinity); xU.Fill(double.PositiveInfinity);
        gL[0] = double.NegativeInfinity; gU[0] = -1.0;
    }

    public void GetJacobianStructure(Span<int> rows, Span<int> columns) { rows[0] = 0; columns[0] = 0; rows[1] = 0; columns[1] = 1; }
    public void GetHessianStructure(Span<int> rows, Span<int> columns) { rows[0] = 0; columns[0] = 0; rows[1] = 1; columns[1] = 1; }
    public double Objective(ReadOnlySpan<double> x) => (x[0] - 1) * (x[0] - 1) + (x[1] - 2) * (x[1] - 2);
    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> g) { g[0] = 2 * (x[0] - 1); g[1] = 2 * (x[1] - 2); }
    public void Constraints(ReadOnlySpan<double> x, Span<double> g) => g[0] = x[0] * x[0] + x[1] * x[1];
    public void JacobianValues(ReadOnlySpan<double> x, Span<double> v) { v[0] = 2 * x[0]; v[1] = 2 * x[1]; }
    public void HessianValues(ReadOnlySpan<double> x, double s, ReadOnlySpan<double> l, Span<double> v) { v[0] = 2 * s + 2 * l[0]; v[1] = 2 * s + 2 * l[0]; }
}

/// <summary>HS071 whose objective throws on the given call, to test that exceptions never cross into native code.</summary>
internal sealed class ThrowingProblem(int throwOnCall) : INlpProblem
{
    private readonly DiffOp.Control.Nlp.Samples.Hs071Problem _inner = new();
    private int _calls;

    public int VariableCount => _inner.VariableCount;
    public int ConstraintCount => _inner.ConstraintCount;
    public int JacobianNonZeroCount => _inner.JacobianNonZeroCount;
    public int HessianNonZeroCount => _inner.HessianNonZeroCount;
    public void GetBounds(Span<double> a, Span<double> b, Span<double> c, Span<double> d) => _inner.GetBounds(a, b, c, d);
    public void GetJacobianStructure(Span<int> r, Span<int> c) => _inner.GetJacobianStructure(r, c);
    public void GetHessianStructure(Span<int> r, Span<int> c) => _inner.GetHessianStructure(r, c);

    public double Objective(ReadOnlySpan<double> x)
    {
        if (++_calls == throwOnCall) throw new InvalidOperationException("boom from the objective callback");
        return _inner.Objective(x);
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> g) => _inner.ObjectiveGradient(x, g);
    public void Constraints(ReadOnlySpan<double> x, Span<double> g) => _inner.Constraints(x, g);
    public void JacobianValues(ReadOnlySpan<double> x, Span<double> v) => _inner.JacobianValues(x, v);
    public void HessianValues(ReadOnlySpan<double> x, double s, ReadOnlySpan<double> l, Span<double> v) => _inner.HessianValues(x, s, l, v);
}

/// <summary>Skips a native test when Ipopt cannot be loaded.</summary>
internal static class NativeGuard
{
    public static void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here (run ./build.sh setup).");
    }
}
