using System.Globalization;
using DiffOp.Control.OptimalControl;

namespace DiffOp.Learning.Training;

/// <summary>
/// θ over a run, one row per iteration in theta.csv: <c>iteration,&lt;block&gt;[0],&lt;block&gt;[1],…</c> in the OCP's block
/// order (invariant culture, round-trip precision). Row 0 is the initial θ; row k is θ after iteration k.
/// </summary>
public static class ThetaCsvWriter
{
    /// <summary>The header line for these parameter blocks.</summary>
    public static string Header(IReadOnlyList<ParameterBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return "iteration," + string.Join(",", blocks.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => $"{b.Name}[{i}]")));
    }

    /// <summary>Appends θ after <paramref name="iteration"/> (0 = the initial θ), writing the header first when the file is new.</summary>
    /// <exception cref="ArgumentException">θ's length is not the blocks' total, or the file's header names other blocks.</exception>
    public static void Append(string path, IReadOnlyList<ParameterBlock> blocks, int iteration, ReadOnlySpan<double> theta)
    {
        string header = Header(blocks);
        int d = blocks.Sum(b => b.Length);
        if (theta.Length != d) throw new ArgumentException($"θ has {theta.Length} entries; the blocks have {d}.", nameof(theta));
        bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
        if (!fresh)
        {
            using var reader = new StreamReader(path);
            string? existing = reader.ReadLine();
            if (existing != header)
                throw new ArgumentException($"{path} holds θ of other parameter blocks (header '{existing}'); expected '{header}'.", nameof(path));
        }
        var fields = new string[d + 1];
        fields[0] = iteration.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < d; i++) fields[i + 1] = theta[i].ToString("R", CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(path, append: true);
        if (fresh) writer.WriteLine(header);
        writer.WriteLine(string.Join(",", fields));
    }

    /// <summary>Reads theta.csv back: the entry names (header) and one (iteration, θ) row per line.</summary>
    /// <exception cref="InvalidDataException">A row is torn or does not parse.</exception>
    public static (IReadOnlyList<string> Names, IReadOnlyList<(int Iteration, double[] Theta)> Rows) Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("iteration,", StringComparison.Ordinal))
            throw new InvalidDataException($"{path} is not a θ history: its first line should start with 'iteration,'.");
        var names = lines[0].Split(',').Skip(1).ToArray();
        var rows = new List<(int, double[])>();
        for (int l = 1; l < lines.Length; l++)
        {
            if (lines[l].Length == 0) continue;
            var fields = lines[l].Split(',');
            if (fields.Length != names.Length + 1 || !int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int iteration))
                throw new InvalidDataException($"{path}, line {l + 1}: expected an iteration and {names.Length} values.");
            var theta = new double[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                if (!double.TryParse(fields[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out theta[i]))
                    throw new InvalidDataException($"{path}, line {l + 1}: '{fields[i + 1]}' ({names[i]}) is not a number.");
            }
            rows.Add((iteration, theta));
        }
        return (names, rows);
    }
}
