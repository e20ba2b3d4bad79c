using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>Hash-consing, simplification, folding and printing of <see cref="Sx"/>.</summary>
public class SxTests
{
    [Test]
    public void Symbol_SameNameTwice_CreatesDistinctSymbols()
    {
        var a = Sx.Symbol("a");
        var b = Sx.Symbol("a");
        Assert.That(a, Is.Not.SameAs(b));
        Assert.That(a.IsSymbol && b.IsSymbol);
        Assert.That(a.Name, Is.EqualTo("a"));
        Assert.That((a - b).IsZero, Is.False);
    }

    [Test]
    public void IdenticalSubexpressions_AreTheSameObject()
    {
        var x = Sx.Symbol("x");
        var y = Sx.Symbol("y");
        Assert.That(Sx.Sin(x * y + 3), Is.SameAs(Sx.Sin(x * y + 3)));
        Assert.That(x + y, Is.SameAs(y + x));
        Assert.That(x * y, Is.SameAs(y * x));
        Assert.That(Sx.Min(x, y), Is.SameAs(Sx.Min(y, x)));
        Assert.That(x - y, Is.Not.SameAs(y - x));
        Assert.That(Sx.Constant(2.5), Is.SameAs((Sx)2.5));
    }

    [Test]
    public void Building_FromEightThreads_SharesNodes()
    {
        var x = Sx.Symbol("x");
        var y = Sx.Symbol("y");
        var results = new Sx[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            Sx acc = x;
            for (int k = 0; k < 2000; k++)
            {
                acc = Sx.Cos(acc * y + k);
            }

            results[t] = acc;
        });
        Assert.That(results, Has.All.SameAs(results[0]));
    }

    [Test]
    public void Simplifications_ApplyAsDocumented()
    {
        var x = Sx.Symbol("x");
        Assert.Multiple(() =>
        {
            Assert.That((x * 0).IsZero);
            Assert.That(0.0 * x, Is.SameAs(Sx.Zero));
            Assert.That(x * 1, Is.SameAs(x));
            Assert.That(x + 0, Is.SameAs(x));
            Assert.That(0.0 + x, Is.SameAs(x));
            Assert.That((x - x).IsZero);
            Assert.That(0 - x, Is.SameAs(-x));
            Assert.That(x / 1, Is.SameAs(x));
            Assert.That(-(-x), Is.SameAs(x));
            Assert.That(x * x, Is.SameAs(Sx.Sqr(x)));
            Assert.That(Sx.Pow(x, 1.0), Is.SameAs(x));
            Assert.That(Sx.Pow(x, 0.0).IsOne);
        });
    }

    [Test]
    public void Constants_AreFolded()
    {
        Sx c = Sx.Sin(Sx.Constant(0.5)) * 2 + Sx.Pow(3.0, 2.0) - Sx.Atan2(1.0, 2.0);
        Assert.That(c.IsConstant);
        Assert.That(c.ConstantValue, Is.EqualTo(Math.Sin(0.5) * 2 + 9.0 - Math.Atan2(1.0, 2.0)));
    }

    [Test]
    public void ConstantValue_OfNonConstant_Throws()
    {
        var x = Sx.Symbol("x");
        Assert.Throws<InvalidOperationException>(() => _ = (x + 1).ConstantValue);
    }

    [Test]
    public void ToString_IsReadableInfix()
    {
        var x = Sx.Symbol("x");
        var y = Sx.Symbol("y");
        // Commutative operands are ordered by node id (creation order), which depends on what other tests interned first.
        Assert.That((x + 2 * y).ToString(), Is.AnyOf("(x + (2*y))", "(x + (y*2))", "((2*y) + x)", "((y*2) + x)"));
        Assert.That(Sx.Sin(x).ToString(), Is.EqualTo("sin(x)"));
        Assert.That((x / y - 1).ToString(), Is.EqualTo("((x/y) - 1)"));
    }

    [Test]
    public void Evaluate_MissingSymbol_ThrowsNamingIt()
    {
        var x = Sx.Symbol("x");
        var speed = Sx.Symbol("speed");
        var ex = Assert.Throws<SymbolicException>(() => (x * speed).Evaluate(new Dictionary<Sx, double> { [x] = 1 }));
        Assert.That(ex!.Message, Does.Contain("'speed'"));
    }

    [Test]
    public void Evaluate_DeepChain_DoesNotOverflowTheStack()
    {
        var x = Sx.Symbol("x");
        Sx acc = x;
        for (int k = 0; k < 200_000; k++)
        {
            acc = acc * 0.5 + x;
        }

        double value = acc.Evaluate(new Dictionary<Sx, double> { [x] = 1.0 });
        Assert.That(value, Is.EqualTo(2.0).Within(1e-12));
        Assert.That(Derivatives.Gradient(acc, new SxVector(x))[0].Evaluate(new Dictionary<Sx, double> { [x] = 1.0 }), Is.EqualTo(2.0).Within(1e-9));
    }
}
