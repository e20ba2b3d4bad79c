using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>Compiled evaluation: exactness against the interpreter, threads, allocation and errors.</summary>
public class FunctionTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(0, 50);

    /// <summary>A function of a random graph: outputs f, ∇f and the lower Hessian (so second-order nodes are covered too).</summary>
    private static (Function Fn, SxVector X, Sx[] Flat) RandomFunction(int seed)
    {
        var rng = new Random(seed);
        var x = SxVector.Symbols("x", 4 + seed % 3);
        var f = RandomExpressions.Build(rng, x, 10 + rng.Next(10));
        var g = Derivatives.Gradient(f, x);
        var h = Derivatives.Hessian(f, x);
        var fn = new Function(
            $"random{seed}",
            [("x", x)],
            [("f", SxSparseMatrix.FromScalar(f)), ("g", SxSparseMatrix.FromVector(g)), ("h", h)]);
        return (fn, x, [f, .. g, .. h.NonZeros]);
    }

    [TestCaseSource(nameof(Seeds))]
    public void Evaluate_RandomGraph_EqualsInterpreterBitForBit(int seed)
    {
        var (fn, x, flat) = RandomFunction(seed);
        var rng = new Random(seed + 77);
        using var ws = fn.CreateWorkspace();
        ws.CheckFinite = false;
        for (int trial = 0; trial < 5; trial++)
        {
            var p = RandomExpressions.Point(rng, x.Length);
            fn.Evaluate(ws, p);
            var compiled = Enumerable.Range(0, fn.OutputCount).SelectMany(j => ws.Output(j).ToArray()).ToArray();
            Assert.That(compiled.Length, Is.EqualTo(flat.Length));
            for (int k = 0; k < flat.Length; k++)
            {
                double interpreted = Numeric.Interpret(flat[k], x, p);
                Assert.That(
                    BitConverter.DoubleToInt64Bits(compiled[k]),
                    Is.EqualTo(BitConverter.DoubleToInt64Bits(interpreted)),
                    $"seed {seed}, value {k}: compiled {compiled[k]:R}, interpreted {interpreted:R}");
            }
        }
    }

    [Test]
    public void Evaluate_EightThreadsOneFunction_MatchSerialResults()
    {
        var (fn, x, _) = RandomFunction(4242);
        var rng = new Random(5);
        var points = Enumerable.Range(0, 400).Select(_ => RandomExpressions.Point(rng, x.Length)).ToArray();
        var serial = points.Select(p => fn.Evaluate(p)).ToArray();
        var parallel = new double[points.Length][][];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var ws = fn.CreateWorkspace();
            for (int rep = 0; rep < 5; rep++)
            {
                for (int i = t; i < points.Length; i += 8)
                {
                    fn.Evaluate(ws, points[i]);
                    var result = Enumerable.Range(0, fn.OutputCount).Select(j => ws.Output(j).ToArray()).ToArray();
                    if (rep == 0)
                    {
                        parallel[i] = result;
                    }
                    else if (!result.Zip(parallel[i]).All(pair => pair.First.SequenceEqual(pair.Second)))
                    {
                        parallel[i] = [];
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (int i = 0; i < points.Length; i++)
        {
            Assert.That(parallel[i], Is.EqualTo(serial[i]), $"point {i}");
        }
    }

    [Test]
    public void Evaluate_TenThousandCalls_AllocateNothing()
    {
        var (fn, x, _) = RandomFunction(7);
        var ws = fn.CreateWorkspace();
        var p = RandomExpressions.Point(new Random(1), x.Length);
        EvaluateMany(fn, ws, p, 1); // warm-up call
        long before = GC.GetAllocatedBytesForCurrentThread();
        EvaluateMany(fn, ws, p, 10_000);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(after - before, Is.EqualTo(0), "bytes allocated by 10,000 Evaluate calls");
    }

    // Fully optimised from the first call, so no JIT tier-up machinery runs (and allocates) on this thread while measuring.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void EvaluateMany(Function fn, FunctionWorkspace ws, double[] p, int count)
    {
        for (int k = 0; k < count; k++)
        {
            ws.Input(0)[0] = p[0] + 1e-6 * (k % 7);
            fn.Evaluate(ws);
            fn.Evaluate(ws, p);
        }
    }

    [Test]
    public void Evaluate_MultipleInputsAndSparseOutputs_WritesNonZerosInSparsityOrder()
    {
        var x = SxVector.Symbols("x", 2);
        var u = SxVector.Symbols("u", 1);
        var out0 = SxSparseMatrix.FromTriplets(3, 2, [(2, 1, x[0] * u[0]), (0, 0, x[1] + 1), (1, 1, Sx.Constant(7))]);
        var fn = new Function("sparse", [("x", x), ("u", u)], [("m", out0), ("copy", SxSparseMatrix.FromVector(x))]);
        Assert.That(fn.InputCount, Is.EqualTo(2));
        Assert.That(fn.InputLength(1), Is.EqualTo(1));
        Assert.That(fn.InputName(1), Is.EqualTo("u"));
        Assert.That(fn.OutputName(0), Is.EqualTo("m"));
        Assert.That(fn.OutputSparsity(0).Rows.ToArray(), Is.EqualTo(new[] { 0, 1, 2 }));
        var result = fn.Evaluate([3.0, 4.0], [5.0]);
        Assert.That(result[0], Is.EqualTo(new[] { 5.0, 7.0, 15.0 }));
        Assert.That(result[1], Is.EqualTo(new[] { 3.0, 4.0 }));
    }

    [Test]
    public void Evaluate_WrongInputLength_ThrowsNamingFunctionInputExpectedAndGot()
    {
        var x = SxVector.Symbols("x", 3);
        var fn = new Function("dyn", [("state", x)], [("y", SxSparseMatrix.FromVector(x))]);
        var ws = fn.CreateWorkspace();
        var ex = Assert.Throws<SymbolicException>(() => fn.Evaluate(ws, new double[2]));
        Assert.That(ex!.Message, Does.Contain("'dyn'").And.Contain("'state'").And.Contain("expects 3").And.Contain("got 2"));
        ex = Assert.Throws<SymbolicException>(() => fn.Evaluate(new double[4]));
        Assert.That(ex!.Message, Does.Contain("'dyn'").And.Contain("got 4"));
        ex = Assert.Throws<SymbolicException>(() => fn.Evaluate(new double[3], new double[1]));
        Assert.That(ex!.Message, Does.Contain("expects 1 inputs"));
    }

    [Test]
    public void Constructor_FreeSymbol_ThrowsNamingSymbolsAndFunction()
    {
        var x = SxVector.Symbols("x", 2);
        var mass = Sx.Symbol("mass");
        var ex = Assert.Throws<SymbolicException>(() =>
            new Function("quad", [("x", x)], [("y", SxSparseMatrix.FromVector(x * mass))]));
        Assert.That(ex!.Message, Does.Contain("'quad'").And.Contain("[mass]").And.Contain("declare them as inputs"));
    }

    [Test]
    public void Constructor_NonSymbolOrRepeatedInput_Throws()
    {
        var x = Sx.Symbol("x");
        var y = SxSparseMatrix.FromScalar(x);
        Assert.Throws<SymbolicException>(() => new Function("f", [("x", new SxVector(x + 1))], [("y", y)]));
        var ex = Assert.Throws<SymbolicException>(() => new Function("f", [("a", new SxVector(x)), ("b", new SxVector(x))], [("y", y)]));
        Assert.That(ex!.Message, Does.Contain("'x'"));
    }

    [Test]
    public void Evaluate_NonFiniteOutput_ThrowsNamingFunctionAndOutputUnlessDisabled()
    {
        var x = SxVector.Symbols("x", 2);
        var fn = new Function("cost", [("x", x)], [("grad", SxSparseMatrix.FromVector(new SxVector(x[0], Sx.Log(x[1]))))]);
        var ws = fn.CreateWorkspace();
        var ex = Assert.Throws<SymbolicException>(() => fn.Evaluate(ws, [1.0, -1.0]));
        Assert.That(ex!.Message, Does.Contain("'cost'").And.Contain("'grad'").And.Contain("(1, 0)"));
        ws.CheckFinite = false;
        fn.Evaluate(ws, [1.0, -1.0]);
        Assert.That(double.IsNaN(ws.Output(0)[1]));
    }

    [Test]
    public void Evaluate_WorkspaceOfAnotherFunction_Throws()
    {
        var x = SxVector.Symbols("x", 1);
        var f1 = new Function("f1", [("x", x)], [("y", SxSparseMatrix.FromVector(x))]);
        var f2 = new Function("f2", [("x", x)], [("y", SxSparseMatrix.FromVector(x))]);
        Assert.Throws<ArgumentException>(() => f1.Evaluate(f2.CreateWorkspace()));
    }

    [Test]
    public void Compile_ReusesTemporaryRegisters()
    {
        var x = Sx.Symbol("x");
        Sx acc = x;
        for (int k = 0; k < 1000; k++)
        {
            acc = Sx.Sin(acc) + (k + 1);
        }

        var fn = new Function("chain", [("x", new SxVector(x))], [("y", SxSparseMatrix.FromScalar(acc))]);
        Assert.That(fn.InstructionCount, Is.EqualTo(2000));
        Assert.That(fn.RegisterCount, Is.LessThan(1100), "1 input + ~1000 constants + a few temporaries");
        Assert.That(fn.Evaluate([0.3])[0][0], Is.EqualTo(acc.Evaluate(new Dictionary<Sx, double> { [x] = 0.3 })));
    }
}
