using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Tests.Common;

/// <summary>The generic scalar interface: <see cref="Real"/> is plain double arithmetic and agrees with <see cref="Sx"/>.</summary>
public class ScalarTests
{
    // A generic expression touching every member of IScalar.
    private static T Everything<T>(T x, T y)
        where T : IScalar<T>
        => T.Sin(x) * T.Cos(y) + T.Tan(x) / (2.0 + T.Sqr(y)) - T.Sqrt(T.Exp(x)) + T.Log(1.5 + x * x)
           + T.Tanh(y) - (-T.Abs(y)) + T.Pow(1.0 + x * x, 1.5) + T.One - T.Zero;

    [Test]
    public void Real_EqualsTheSameDoubleFormula()
    {
        double x = 0.3, y = -0.7;
        double expected = Math.Sin(x) * Math.Cos(y) + Math.Tan(x) / (2.0 + y * y) - Math.Sqrt(Math.Exp(x)) + Math.Log(1.5 + x * x)
            + Math.Tanh(y) - (-Math.Abs(y)) + Math.Pow(1.0 + x * x, 1.5) + 1.0 - 0.0;
        Assert.That(Everything<Real>(x, y).Value, Is.EqualTo(expected));
    }

    [Test]
    public void Sx_EvaluatesToTheRealValue()
    {
        var x = Sx.Symbol("x");
        var y = Sx.Symbol("y");
        Sx expression = Everything(x, y);
        double value = expression.Evaluate(new Dictionary<Sx, double> { [x] = 0.3, [y] = -0.7 });
        Assert.That(value, Is.EqualTo(Everything<Real>(0.3, -0.7).Value).Within(1e-14));
    }

    [Test]
    public void Real_SpanViews_ShareMemory()
    {
        double[] values = [1, 2, 3];
        Span<Real> reals = Real.AsReals(values.AsSpan());
        reals[1] = reals[1] * 10.0;
        Assert.That(values, Is.EqualTo(new double[] { 1, 20, 3 }).AsCollection);
        Assert.That(Real.AsDoubles(reals)[2], Is.EqualTo(3));
    }

    [Test]
    public void ScalarSpan_AndVector3_ComputeTheTextbookValues()
    {
        Real[] a = [1, 2, 3], b = [4, 5, 6];
        Assert.That(ScalarSpan.Dot<Real>(a, b).Value, Is.EqualTo(32));
        Assert.That(ScalarSpan.SquaredNorm<Real>(a).Value, Is.EqualTo(14));
        Real[] cross = new Real[3];
        ScalarSpan.Cross<Real>(a, b, cross);
        Assert.That(cross.Select(r => r.Value), Is.EqualTo(new double[] { -3, 6, -3 }).AsCollection);
        var v = Vector3<Real>.Cross(new(1, 2, 3), new(4, 5, 6));
        Assert.That((v.X.Value, v.Y.Value, v.Z.Value), Is.EqualTo((-3.0, 6.0, -3.0)));
        Assert.That(ScalarSpan.WeightedSquaredDistance<Real>(a, [1, 0, 0], b).Value, Is.EqualTo(0 + 5 * 4 + 6 * 9));
        Assert.Throws<ArgumentException>(() => ScalarSpan.Dot<Real>(a, b.AsSpan(0, 2)));
    }

    [Test]
    public void RotateBodyToInertial_IsTheRotationMatrixOfAUnitQuaternion()
    {
        // 90° about z: body x → inertial y.
        double half = Math.PI / 4;
        Real[] q = [Math.Cos(half), 0, 0, Math.Sin(half)];
        var rotated = RigidBodyEquations.RotateBodyToInertial<Real>(q, new(1, 0, 0));
        Assert.That(rotated.X.Value, Is.EqualTo(0).Within(1e-15));
        Assert.That(rotated.Y.Value, Is.EqualTo(1).Within(1e-15));
        Assert.That(rotated.Z.Value, Is.EqualTo(0).Within(1e-15));
    }
}
