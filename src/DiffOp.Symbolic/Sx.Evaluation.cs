using System.Text;

namespace DiffOp.Symbolic;

public sealed partial class Sx
{
    private const int MaxPrintLength = 20_000;

    /// <summary>
    /// Slow interpreted evaluation: walks the graph once (shared nodes evaluated once). A reference for tests and
    /// one-off values; use a compiled <see cref="Function"/> in hot paths.
    /// </summary>
    /// <param name="values">A value for every symbol this expression depends on.</param>
    /// <returns>The value of the expression.</returns>
    /// <exception cref="SymbolicException">A symbol of the expression has no value.</exception>
    public double Evaluate(IReadOnlyDictionary<Sx, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = GraphOrder.Topological([this]);
        var memo = new Dictionary<Sx, double>(order.Count);
        foreach (var node in order)
        {
            double v;
            switch (node.Op)
            {
                case SxOp.Constant:
                    v = node.Value;
                    break;
                case SxOp.Symbol:
                    if (!values.TryGetValue(node, out v))
                    {
                        throw new SymbolicException(
                            $"Evaluate: symbol '{node.Name}' has no value; add it to the dictionary of values.");
                    }

                    break;
                default:
                    double a = memo[node.A!];
                    double b = node.B is null ? a : memo[node.B];
                    v = Apply(node.Op, a, b);
                    break;
            }

            memo[node] = v;
        }

        return memo[this];
    }

    private static void Print(Sx x, StringBuilder sb)
    {
        if (sb.Length > MaxPrintLength)
        {
            sb.Append("...");
            return;
        }

        switch (x.Op)
        {
            case SxOp.Constant:
                sb.Append(FormatConstant(x.Value));
                return;
            case SxOp.Symbol:
                sb.Append(x._name);
                return;
            case SxOp.Neg:
                sb.Append("(-");
                Print(x.A!, sb);
                sb.Append(')');
                return;
            case SxOp.Add or SxOp.Sub or SxOp.Mul or SxOp.Div:
                sb.Append('(');
                Print(x.A!, sb);
                sb.Append(x.Op switch { SxOp.Add => " + ", SxOp.Sub => " - ", SxOp.Mul => "*", _ => "/" });
                Print(x.B!, sb);
                sb.Append(')');
                return;
            default:
                sb.Append(x.Op.ToString().ToLowerInvariant()).Append('(');
                Print(x.A!, sb);
                if (x.B is not null)
                {
                    sb.Append(", ");
                    Print(x.B, sb);
                }

                sb.Append(')');
                return;
        }
    }
}
