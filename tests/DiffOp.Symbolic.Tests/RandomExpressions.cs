using DiffOp.Symbolic;

namespace DiffOp.Symbolic.Tests;

/// <summary>
/// Seeded random expression graphs for property tests. Every operation appears; arguments of log, sqrt, division,
/// real powers and tan are wrapped so they stay inside the domain (and away from poles) for any real inputs, and
/// values stay moderate so finite differences are accurate.
/// </summary>
internal static class RandomExpressions
{
    public const int OperationKinds = 22;

    /// <summary>A random scalar over <paramref name="symbols"/> built from <paramref name="operations"/> random operations.</summary>
    public static Sx Build(Random rng, SxVector symbols, int operations)
    {
        var pool = new List<Sx>(symbols);
        for (int k = 0; k < operations; k++)
        {
            Sx a = Pick(rng, pool);
            Sx b = Pick(rng, pool);
            pool.Add(Apply(rng.Next(OperationKinds), a, b, rng));
        }

        // Combine the last few nodes so most of the graph matters.
        Sx f = pool[^1];
        for (int k = 2; k <= Math.Min(4, pool.Count); k++)
        {
            f += pool[^k] * (0.5 + rng.NextDouble());
        }

        return f;
    }

    /// <summary>Applies operation <paramref name="kind"/> (0 … <see cref="OperationKinds"/> − 1) to domain-safe arguments.</summary>
    public static Sx Apply(int kind, Sx a, Sx b, Random rng)
    {
        Sx positive = 1 + Sx.Sqr(b);        // ≥ 1
        Sx bounded = Sx.Tanh(a);            // (−1, 1)
        return kind switch
        {
            0 => a + b,
            1 => a - b,
            2 => a * b,
            3 => a / positive,
            4 => -a,
            5 => Sx.Pow(1 + Sx.Sqr(a), rng.Next(2) == 0 ? 1.5 : -0.5),
            6 => Sx.Pow(positive, Sx.Tanh(a)),
            7 => Sx.Sqr(a),
            8 => Sx.Sqrt(1 + Sx.Sqr(a)),
            9 => Sx.Exp(bounded),
            10 => Sx.Log(positive),
            11 => Sx.Sin(a),
            12 => Sx.Cos(a),
            13 => Sx.Tan(bounded),
            14 => Sx.Tanh(a),
            15 => Sx.Abs(a) + b,
            16 => Sx.Atan2(a, positive),
            17 => Sx.Min(a, b),
            18 => Sx.Max(a, b),
            19 => Sx.Pow(a, 3.0),
            20 => a * (2.0 + rng.Next(3)) - b,
            _ => Sx.Atan2(a, b - 5 - Sx.Sqr(a)),
        };
    }

    /// <summary>Random point with entries uniform in [−1.5, 1.5].</summary>
    public static double[] Point(Random rng, int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = -1.5 + 3.0 * rng.NextDouble();
        }

        return x;
    }

    private static Sx Pick(Random rng, List<Sx> pool) =>
        rng.Next(3) == 0 ? pool[rng.Next(pool.Count)] : pool[Math.Max(0, pool.Count - 1 - rng.Next(Math.Min(pool.Count, 5)))];
}
