namespace DiffOp.Symbolic;

public sealed partial class Sx
{
    /// <summary>
    /// Returns the unique node for (op, a, b, value), creating it if needed. Thread-safe; the table holds
    /// nodes weakly and sweeps dead entries when it has grown to twice its live size.
    /// </summary>
    private static Sx Intern(SxOp op, Sx? a, Sx? b, double value)
    {
        var key = new NodeKey(op, a?.Id ?? 0, b?.Id ?? 0, BitConverter.DoubleToInt64Bits(value));
        return NodeTable.GetOrAdd(key, op, a, b, value);
    }

    /// <summary>Creates a (possibly shared) binary node, ordering commutative operands by id.</summary>
    private static Sx Binary(SxOp op, Sx a, Sx b)
    {
        if (SxOpInfo.IsCommutative(op) && a.Id > b.Id)
        {
            (a, b) = (b, a);
        }

        return Intern(op, a, b, 0.0);
    }

    private static Sx Unary(SxOp op, Sx a) => Intern(op, a, null, 0.0);

    private readonly record struct NodeKey(SxOp Op, long A, long B, long Bits);

    /// <summary>The weak hash-consing table (a nested class so its initialisation precedes any node).</summary>
    private static class NodeTable
    {
        private static readonly Dictionary<NodeKey, WeakReference<Sx>> s_nodes = new();
        private static readonly Lock s_lock = new();
        private static int s_sweepAt = 1 << 14;

        public static Sx GetOrAdd(NodeKey key, SxOp op, Sx? a, Sx? b, double value)
        {
            lock (s_lock)
            {
                if (s_nodes.TryGetValue(key, out var weak))
                {
                    if (weak.TryGetTarget(out var existing))
                    {
                        return existing;
                    }

                    var revived = new Sx(op, a, b, value, null);
                    weak.SetTarget(revived);
                    return revived;
                }

                var node = new Sx(op, a, b, value, null);
                s_nodes.Add(key, new WeakReference<Sx>(node));
                if (s_nodes.Count >= s_sweepAt)
                {
                    Sweep();
                }

                return node;
            }
        }

        private static void Sweep()
        {
            var dead = new List<NodeKey>();
            foreach (var (key, weak) in s_nodes)
            {
                if (!weak.TryGetTarget(out _))
                {
                    dead.Add(key);
                }
            }

            foreach (var key in dead)
            {
                s_nodes.Remove(key);
            }

            s_sweepAt = Math.Max(1 << 14, 2 * s_nodes.Count);
        }
    }
}
