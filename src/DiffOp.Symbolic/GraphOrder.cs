namespace DiffOp.Symbolic;

/// <summary>Graph traversals over <see cref="Sx"/> nodes (iterative, so deep graphs cannot overflow the stack).</summary>
internal static class GraphOrder
{
    /// <summary>All nodes reachable from <paramref name="roots"/>, each once, operands before their users.</summary>
    public static List<Sx> Topological(IEnumerable<Sx> roots)
    {
        var order = new List<Sx>();
        var visited = new HashSet<Sx>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Sx Node, bool Expanded)>();
        foreach (var root in roots)
        {
            if (visited.Contains(root))
            {
                continue;
            }

            stack.Push((root, false));
            while (stack.Count > 0)
            {
                var (node, expanded) = stack.Pop();
                if (expanded)
                {
                    order.Add(node);
                    continue;
                }

                if (!visited.Add(node))
                {
                    continue;
                }

                stack.Push((node, true));
                if (node.B is not null && !visited.Contains(node.B))
                {
                    stack.Push((node.B, false));
                }

                if (node.A is not null && !visited.Contains(node.A))
                {
                    stack.Push((node.A, false));
                }
            }
        }

        return order;
    }
}
