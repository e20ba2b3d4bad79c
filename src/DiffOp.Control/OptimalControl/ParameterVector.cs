using System.Globalization;
using System.Text;

namespace DiffOp.Control.OptimalControl;

/// <summary>
/// θ with names: a flat vector (what solvers and trainers take) read and written by block, <c>theta["damping"][0] = 0.3</c>.
/// The blocks are an OCP's <see cref="Ocp.Parameters"/>; <see cref="Values"/> is the flat array itself (not a copy), so a
/// write through a block is seen by everything that holds <see cref="Values"/>.
/// </summary>
public sealed class ParameterVector
{
    private readonly double[] _values;

    /// <summary>Wraps <paramref name="values"/> (not copied) with the layout of <paramref name="blocks"/>.</summary>
    /// <exception cref="ArgumentException">The blocks do not tile [0, values.Length) in order.</exception>
    public ParameterVector(IReadOnlyList<ParameterBlock> blocks, double[] values)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(values);
        int offset = 0;
        foreach (var b in blocks)
        {
            if (b.Offset != offset)
                throw new ArgumentException($"Parameter block '{b.Name}' starts at {b.Offset}; the blocks must follow each other from 0 (expected {offset}).", nameof(blocks));
            offset += b.Length;
        }
        if (offset != values.Length)
            throw new ArgumentException($"The parameter blocks cover {offset} entries but θ has {values.Length}: use the blocks of the OCP θ belongs to.", nameof(values));
        Blocks = blocks;
        _values = values;
    }

    /// <summary>The blocks, in the order of the flat vector.</summary>
    public IReadOnlyList<ParameterBlock> Blocks { get; }

    /// <summary>The flat θ (the same array, not a copy).</summary>
    public double[] Values => _values;

    /// <summary>d, the number of entries.</summary>
    public int Count => _values.Length;

    /// <summary>The entries of the block <paramref name="name"/>, writable.</summary>
    /// <exception cref="ArgumentException">There is no such block (the message lists the names).</exception>
    public Span<double> this[string name]
    {
        get
        {
            var b = Block(name);
            return _values.AsSpan(b.Offset, b.Length);
        }
    }

    /// <summary>The block called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is no such block (the message lists the names).</exception>
    public ParameterBlock Block(string name)
    {
        foreach (var b in Blocks)
            if (b.Name == name) return b;
        throw new ArgumentException($"θ has no parameter block '{name}'; it has: {string.Join(", ", Blocks.Select(b => b.Name))}.", nameof(name));
    }

    /// <summary>A copy with its own array.</summary>
    public ParameterVector Clone() => new(Blocks, (double[])_values.Clone());

    /// <summary>One line per block: <c>name = [v0, v1, …]</c> (round-trip precision).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var b in Blocks)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(b.Name).Append(" = [");
            for (int i = 0; i < b.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(_values[b.Offset + i].ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append(']');
        }
        return text.ToString();
    }
}
