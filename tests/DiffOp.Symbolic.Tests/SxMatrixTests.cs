using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>Vector, matrix and quaternion helpers, checked numerically against plain double arithmetic.</summary>
public class SxMatrixTests
{
    private static double Eval(Sx e) => e.Evaluate(new Dictionary<Sx, double>());

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Solve_FullSmallMatrix_SatisfiesTheSystem(int n)
    {
        var a = SxMatrix.FromRows(
            Enumerable.Range(0, n).Select(r => new SxVector(Enumerable.Range(0, n).Select(c => Sx.Constant(r == c ? 4.0 + r : 0.3 * (r - 2 * c + 1))))).ToArray());
        var s = SxVector.Symbols("b", n);
        var x = a.Solve(s);
        var residual = a * x - s;
        var values = Enumerable.Range(0, n).ToDictionary(i => s[i], i => 1.0 + i);
        for (int i = 0; i < n; i++)
        {
            Assert.That(residual[i].Evaluate(values), Is.EqualTo(0.0).Within(1e-12));
        }
    }

    [Test]
    public void Solve_Diagonal_AnySize_DividesEntrywise()
    {
        var d = SxVector.Symbols("d", 5);
        var b = SxVector.Symbols("b", 5);
        var x = SxMatrix.Diagonal(d).Solve(b);
        for (int i = 0; i < 5; i++)
        {
            Assert.That(x[i], Is.SameAs(b[i] / d[i]));
        }
    }

    [Test]
    public void Solve_FullFourByFour_ThrowsNotSupported()
    {
        var a = new SxMatrix(4, 4, (r, c) => Sx.Constant(r + c + 1));
        var ex = Assert.Throws<NotSupportedException>(() => a.Solve(SxVector.Zeros(4)));
        Assert.That(ex!.Message, Does.Contain("4x4"));
        Assert.Throws<ArgumentException>(() => SxMatrix.Identity(2).Solve(SxVector.Zeros(3)));
    }

    [Test]
    public void Products_Transpose_AndRowsColumns_MatchPlainArithmetic()
    {
        var a = new SxMatrix(2, 3, (r, c) => Sx.Constant(r * 3 + c + 1));  // [[1,2,3],[4,5,6]]
        var b = a.Transpose();
        var ab = a * b;                                                     // [[14,32],[32,77]]
        Assert.That(Eval(ab[0, 0]), Is.EqualTo(14));
        Assert.That(Eval(ab[0, 1]), Is.EqualTo(32));
        Assert.That(Eval(ab[1, 1]), Is.EqualTo(77));
        var av = a * SxVector.Constant([1.0, 0.0, -1.0]);
        Assert.That(Eval(av[0]), Is.EqualTo(-2));
        Assert.That(Eval(av[1]), Is.EqualTo(-2));
        Assert.That(Eval(a.Row(1)[2]), Is.EqualTo(6));
        Assert.That(Eval(a.Column(1)[1]), Is.EqualTo(5));
        Assert.Throws<ArgumentException>(() => _ = a * a);
    }

    [Test]
    public void VectorHelpers_MatchPlainArithmetic()
    {
        var v = SxVector.Constant([1.0, -2.0, 3.0]);
        var w = SxVector.Constant([0.5, 2.0, -1.0]);
        Assert.Multiple(() =>
        {
            Assert.That(Eval(v.Dot(w)), Is.EqualTo(0.5 - 4 - 3));
            Assert.That(Eval(v.Sum()), Is.EqualTo(2));
            Assert.That(Eval(v.SquaredNorm()), Is.EqualTo(14));
            Assert.That(Eval(v.WeightedSquaredNorm(w)), Is.EqualTo(0.5 + 8 - 9));
            Assert.That(Eval(v.QuadraticForm(SxMatrix.Diagonal(w))), Is.EqualTo(0.5 + 8 - 9));
            var cross = SxVector.Cross(v, w);
            Assert.That(new[] { Eval(cross[0]), Eval(cross[1]), Eval(cross[2]) }, Is.EqualTo(new[] { -4.0, 2.5, 3.0 }));
            var combo = v + 0.1 * w - v / 2.0;
            Assert.That(Eval(combo[1]), Is.EqualTo(-2 + 0.2 + 1).Within(1e-15));
            Assert.That(Eval((-v)[2]), Is.EqualTo(-3));
            Assert.That(SxVector.Concat(v, w).Slice(2, 2).Select(Eval), Is.EqualTo(new[] { 3.0, 0.5 }));
            Assert.That(SxVector.Symbols("s", 3)[2].Name, Is.EqualTo("s_2"));
        });
        Assert.Throws<ArgumentException>(() => _ = v + SxVector.Zeros(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Slice(2, 2));
    }

    [Test]
    public void Quaternion_ProductKinematicsAndDcm_AreConsistent()
    {
        double[] qv = [0.9, 0.1, -0.2, 0.3];   // deliberately not unit
        double[] wv = [0.7, -0.8, 0.9];
        var q = SxVector.Constant(qv);
        var w = SxVector.Constant(wv);

        // q̇ = ½ Ω(ω) q equals ½ q ⊗ (0, ω).
        var viaOmega = 0.5 * (Quaternion.Omega(w) * q);
        var viaProduct = 0.5 * Quaternion.Multiply(q, new SxVector(0.0, wv[0], wv[1], wv[2]));
        for (int i = 0; i < 4; i++)
        {
            Assert.That(Eval(viaOmega[i]), Is.EqualTo(Eval(viaProduct[i])).Within(1e-15), $"q̇[{i}]");
        }

        // 3 − trace C_B_I(q) = 4 (q1² + q2² + q3²), even for non-unit q.
        var dcm = Quaternion.DirectionCosineBodyFromInertial(q);
        Assert.That(3 - Eval(dcm.Trace()), Is.EqualTo(4 * (0.01 + 0.04 + 0.09)).Within(1e-15));

        // A rotation by 90° about z maps the inertial x-axis to body −y (C_B_I) and body x to inertial y (C_I_B).
        var qz = Quaternion.FromAngleAxis(Math.PI / 2, SxVector.Constant([0.0, 0.0, 2.0]));
        var ex = SxVector.Constant([1.0, 0.0, 0.0]);
        var body = Quaternion.DirectionCosineBodyFromInertial(qz) * ex;
        var inertial = Quaternion.DirectionCosineInertialFromBody(qz) * ex;
        Assert.That(new[] { Eval(body[0]), Eval(body[1]), Eval(body[2]) }, Is.EqualTo(new[] { 0.0, -1.0, 0.0 }).Within(1e-15));
        Assert.That(new[] { Eval(inertial[0]), Eval(inertial[1]), Eval(inertial[2]) }, Is.EqualTo(new[] { 0.0, 1.0, 0.0 }).Within(1e-15));

        // Hamilton product: i ⊗ j = k.
        var k = Quaternion.Multiply(SxVector.Constant([0.0, 1.0, 0.0, 0.0]), SxVector.Constant([0.0, 0.0, 1.0, 0.0]));
        Assert.That(k.Select(Eval), Is.EqualTo(new[] { 0.0, 0.0, 0.0, 1.0 }));
    }
}
