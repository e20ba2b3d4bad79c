using System.Collections;

namespace DiffOp.Symbolic;

/// <summary>Immutable column vector of <see cref="Sx"/> expressions.</summary>
/// <remarks>
/// Elementwise + and −, scaling by a scalar on either side (doubles convert implicitly), so
/// <c>x + dt * f</c> and <c>(x - xRef).WeightedSquaredNorm(w)</c> (= Σ wᵢ (xᵢ − x*ᵢ)²) read naturally.
/// </remarks>
public sealed class SxVector : IReadOnlyList<Sx>
{
    private readonly Sx[] _elements;

    /// <summary>Creates a vector from the given elements (copied).</summary>
    /// <param name="elements">The elements; none may be null.</param>
    public SxVector(params Sx[] elements)
        : this(Validate(elements), copy: true)
    {
    }

    /// <summary>Creates a vector from a sequence of elements.</summary>
    /// <param name="elements">The elements; none may be null.</param>
    public SxVector(IEnumerable<Sx> elements)
        : this(Validate(elements?.ToArray()!), copy: false)
    {
    }

    private SxVector(Sx[] elements, bool copy)
    {
        _elements = copy ? (Sx[])elements.Clone() : elements;
    }

    /// <summary>Number of elements n.</summary>
    public int Length => _elements.Length;

    /// <summary>Number of elements (same as <see cref="Length"/>).</summary>
    public int Count => _elements.Length;

    /// <summary>Element i (0-based).</summary>
    /// <param name="i">Index in [0, n).</param>
    public Sx this[int i] => _elements[i];

    /// <summary>A vector of <paramref name="length"/> new symbols named <c>name_0 … name_{n−1}</c>.</summary>
    /// <param name="name">Base name.</param>
    /// <param name="length">Number of symbols (≥ 0).</param>
    public static SxVector Symbols(string name, int length)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var e = new Sx[length];
        for (int i = 0; i < length; i++)
        {
            e[i] = Sx.Symbol($"{name}_{i}");
        }

        return new SxVector(e, copy: false);
    }

    /// <summary>The zero vector of length n.</summary>
    /// <param name="n">Length (≥ 0).</param>
    public static SxVector Zeros(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var e = new Sx[n];
        Array.Fill(e, Sx.Zero);
        return new SxVector(e, copy: false);
    }

    /// <summary>A vector of constants.</summary>
    /// <param name="values">The values.</param>
    public static SxVector Constant(ReadOnlySpan<double> values)
    {
        var e = new Sx[values.Length];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = Sx.Constant(values[i]);
        }

        return new SxVector(e, copy: false);
    }

    /// <summary>The elements [start, start + length).</summary>
    /// <param name="start">First index.</param>
    /// <param name="length">Number of elements.</param>
    public SxVector Slice(int start, int length)
    {
        if (start < 0 || length < 0 || start + length > Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start), $"Slice [{start}, {start + length}) is outside a vector of length {Length}.");
        }

        return new SxVector(_elements.AsSpan(start, length).ToArray(), copy: false);
    }

    /// <summary>Concatenation of the parts, in order.</summary>
    /// <param name="parts">Vectors to concatenate.</param>
    public static SxVector Concat(params SxVector[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = new List<Sx>();
        foreach (var p in parts)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parts));
            list.AddRange(p._elements);
        }

        return new SxVector(list.ToArray(), copy: false);
    }

    /// <summary>Elementwise sum.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand (same length).</param>
    public static SxVector operator +(SxVector a, SxVector b) => Zip(a, b, "+", static (x, y) => x + y);

    /// <summary>Elementwise difference.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand (same length).</param>
    public static SxVector operator -(SxVector a, SxVector b) => Zip(a, b, "-", static (x, y) => x - y);

    /// <summary>Elementwise negation.</summary>
    /// <param name="v">Operand.</param>
    public static SxVector operator -(SxVector v) => Map(v, static x => -x);

    /// <summary>Scaling v·s.</summary>
    /// <param name="v">Vector.</param>
    /// <param name="s">Scalar.</param>
    public static SxVector operator *(SxVector v, Sx s) => Map(v, x => x * s);

    /// <summary>Scaling s·v.</summary>
    /// <param name="s">Scalar.</param>
    /// <param name="v">Vector.</param>
    public static SxVector operator *(Sx s, SxVector v) => Map(v, x => s * x);

    /// <summary>Division by a scalar v/s.</summary>
    /// <param name="v">Vector.</param>
    /// <param name="s">Scalar.</param>
    public static SxVector operator /(SxVector v, Sx s) => Map(v, x => x / s);

    /// <summary>Elementwise (Hadamard) product.</summary>
    /// <param name="other">Other vector (same length).</param>
    public SxVector ElementwiseMultiply(SxVector other) => Zip(this, other, "ElementwiseMultiply", static (x, y) => x * y);

    /// <summary>Applies <paramref name="f"/> to every element.</summary>
    /// <param name="f">Scalar map, e.g. <c>Sx.Sin</c>.</param>
    public SxVector Select(Func<Sx, Sx> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Map(this, f);
    }

    /// <summary>Dot product Σ aᵢ bᵢ.</summary>
    /// <param name="other">Other vector (same length).</param>
    public Sx Dot(SxVector other)
    {
        CheckSameLength(this, other, nameof(Dot));
        Sx acc = Sx.Zero;
        for (int i = 0; i < Length; i++)
        {
            acc += _elements[i] * other._elements[i];
        }

        return acc;
    }

    /// <summary>Sum Σ vᵢ.</summary>
    public Sx Sum()
    {
        Sx acc = Sx.Zero;
        foreach (var e in _elements)
        {
            acc += e;
        }

        return acc;
    }

    /// <summary>Squared Euclidean norm Σ vᵢ².</summary>
    public Sx SquaredNorm()
    {
        Sx acc = Sx.Zero;
        foreach (var e in _elements)
        {
            acc += Sx.Sqr(e);
        }

        return acc;
    }

    /// <summary>Weighted squared norm Σ wᵢ vᵢ².</summary>
    /// <param name="weights">Weights w (same length).</param>
    public Sx WeightedSquaredNorm(SxVector weights)
    {
        CheckSameLength(this, weights, nameof(WeightedSquaredNorm));
        Sx acc = Sx.Zero;
        for (int i = 0; i < Length; i++)
        {
            acc += weights._elements[i] * Sx.Sqr(_elements[i]);
        }

        return acc;
    }

    /// <summary>Quadratic form vᵀ Q v = Σᵢ Σⱼ vᵢ Qᵢⱼ vⱼ (structurally zero Qᵢⱼ are skipped).</summary>
    /// <param name="q">Square matrix of size n.</param>
    public Sx QuadraticForm(SxMatrix q)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (q.RowCount != Length || q.ColumnCount != Length)
        {
            throw new ArgumentException(
                $"QuadraticForm: vector has length {Length}, so Q must be {Length}x{Length}; got {q.RowCount}x{q.ColumnCount}.", nameof(q));
        }

        Sx acc = Sx.Zero;
        for (int i = 0; i < Length; i++)
        {
            for (int j = 0; j < Length; j++)
            {
                acc += _elements[i] * q[i, j] * _elements[j];
            }
        }

        return acc;
    }

    /// <summary>Cross product a × b of 3-vectors.</summary>
    /// <param name="a">Left 3-vector.</param>
    /// <param name="b">Right 3-vector.</param>
    public static SxVector Cross(SxVector a, SxVector b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != 3 || b.Length != 3)
        {
            throw new ArgumentException($"Cross: both operands must be 3-vectors; got lengths {a.Length} and {b.Length}.");
        }

        return new SxVector(
            [
                a[1] * b[2] - a[2] * b[1],
                a[2] * b[0] - a[0] * b[2],
                a[0] * b[1] - a[1] * b[0],
            ],
            copy: false);
    }

    /// <summary>The elements as a new array.</summary>
    public Sx[] ToArray() => (Sx[])_elements.Clone();

    /// <inheritdoc/>
    public IEnumerator<Sx> GetEnumerator() => ((IEnumerable<Sx>)_elements).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Text "[e0, e1, …]".</summary>
    public override string ToString() => "[" + string.Join(", ", _elements.Select(e => e.ToString())) + "]";

    internal static SxVector Wrap(Sx[] elements) => new(elements, copy: false);

    private static Sx[] Validate(Sx[] elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        for (int i = 0; i < elements.Length; i++)
        {
            if (elements[i] is null)
            {
                throw new ArgumentNullException(nameof(elements), $"Element {i} of the vector is null.");
            }
        }

        return elements;
    }

    private static void CheckSameLength(SxVector a, SxVector b, string operation)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"{operation}: vector lengths differ ({a.Length} and {b.Length}).");
        }
    }

    private static SxVector Zip(SxVector a, SxVector b, string operation, Func<Sx, Sx, Sx> f)
    {
        CheckSameLength(a, b, operation);
        var e = new Sx[a.Length];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = f(a._elements[i], b._elements[i]);
        }

        return new SxVector(e, copy: false);
    }

    private static SxVector Map(SxVector v, Func<Sx, Sx> f)
    {
        ArgumentNullException.ThrowIfNull(v);
        var e = new Sx[v.Length];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = f(v._elements[i]);
        }

        return new SxVector(e, copy: false);
    }
}
