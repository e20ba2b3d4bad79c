namespace DiffOp.Symbolic;

/// <summary>
/// Symbolic derivatives by reverse-mode automatic differentiation on the expression graph. Results are expressions,
/// so they can be differentiated again (a Hessian is the Jacobian of the symbolic gradient).
/// </summary>
/// <remarks>
/// Structural sparsity is exact with respect to the graph: an entry is a structural nonzero iff its derivative
/// expression is not the constant 0 after simplification, i.e. iff the graph has a path through nonzero partials
/// from the output to the variable. abs, min and max use the subgradient convention (sign(x); the indicator of the
/// active argument), whose own derivative is 0.
/// </remarks>
public static class Derivatives
{
    /// <summary>Gradient ∇f with respect to the symbols <paramref name="wrt"/> (one reverse sweep).</summary>
    /// <param name="f">Scalar expression.</param>
    /// <param name="wrt">Symbols (a symbol may repeat; each occurrence gets the same partial).</param>
    /// <exception cref="SymbolicException">An element of <paramref name="wrt"/> is not a symbol.</exception>
    public static SxVector Gradient(Sx f, SxVector wrt)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireSymbols(wrt, nameof(Gradient));
        var adjoints = ReverseSweep(f, GraphOrder.Topological([f]));
        var g = new Sx[wrt.Length];
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = adjoints.GetValueOrDefault(wrt[i], Sx.Zero);
        }

        return SxVector.Wrap(g);
    }

    /// <summary>Jacobian ∂f/∂wrt: rows = elements of f, columns = <paramref name="wrt"/>, structural zeros omitted.</summary>
    /// <param name="f">Vector of expressions (m).</param>
    /// <param name="wrt">Distinct symbols (n).</param>
    /// <exception cref="SymbolicException">An element of <paramref name="wrt"/> is not a symbol, or a symbol repeats.</exception>
    public static SxSparseMatrix Jacobian(SxVector f, SxVector wrt)
    {
        ArgumentNullException.ThrowIfNull(f);
        var columns = ColumnIndex(wrt, nameof(Jacobian));
        var triplets = new List<(int Row, int Column, Sx Value)>();
        for (int r = 0; r < f.Length; r++)
        {
            AddRow(triplets, r, f[r], columns, maxColumn: int.MaxValue);
        }

        return SxSparseMatrix.FromTriplets(f.Length, wrt.Length, triplets);
    }

    /// <summary>Hessian ∇²f with respect to <paramref name="wrt"/>, structural zeros omitted.</summary>
    /// <param name="f">Scalar expression.</param>
    /// <param name="wrt">Distinct symbols (n).</param>
    /// <param name="lowerTriangleOnly">True (default): only entries with row ≥ column; false: the full symmetric pattern.</param>
    /// <exception cref="SymbolicException">An element of <paramref name="wrt"/> is not a symbol, or a symbol repeats.</exception>
    public static SxSparseMatrix Hessian(Sx f, SxVector wrt, bool lowerTriangleOnly = true)
    {
        ArgumentNullException.ThrowIfNull(f);
        var columns = ColumnIndex(wrt, nameof(Hessian));
        var gradient = Gradient(f, wrt);
        var triplets = new List<(int Row, int Column, Sx Value)>();
        for (int r = 0; r < gradient.Length; r++)
        {
            AddRow(triplets, r, gradient[r], columns, lowerTriangleOnly ? r : int.MaxValue);
        }

        return SxSparseMatrix.FromTriplets(wrt.Length, wrt.Length, triplets);
    }

    /// <summary>
    /// Mixed second derivative ∂²f/∂row∂col as a full block: entry (i, j) = ∂²f/∂rowᵢ∂colⱼ (e.g. ∂²L/∂ζ∂θ with rows ζ,
    /// columns θ), structural zeros omitted.
    /// </summary>
    /// <param name="f">Scalar expression.</param>
    /// <param name="rowVariables">Symbols indexing the rows.</param>
    /// <param name="columnVariables">Distinct symbols indexing the columns.</param>
    /// <exception cref="SymbolicException">A variable is not a symbol, or a column symbol repeats.</exception>
    public static SxSparseMatrix Hessian(Sx f, SxVector rowVariables, SxVector columnVariables)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireSymbols(rowVariables, nameof(Hessian));
        RequireSymbols(columnVariables, nameof(Hessian));
        return Jacobian(Gradient(f, rowVariables), columnVariables);
    }

    /// <summary>Adds the nonzero partials of <paramref name="fr"/> (row r) with column ≤ maxColumn.</summary>
    private static void AddRow(
        List<(int Row, int Column, Sx Value)> triplets, int r, Sx fr, Dictionary<Sx, int> columns, int maxColumn)
    {
        if (fr.IsConstant)
        {
            return;
        }

        var order = GraphOrder.Topological([fr]);
        bool any = false;
        foreach (var node in order)
        {
            if (node.IsSymbol && columns.TryGetValue(node, out int c) && c <= maxColumn)
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return;
        }

        var adjoints = ReverseSweep(fr, order);
        foreach (var node in order)
        {
            if (node.IsSymbol && columns.TryGetValue(node, out int c) && c <= maxColumn
                && adjoints.TryGetValue(node, out var d) && !d.IsZero)
            {
                triplets.Add((r, c, d));
            }
        }
    }

    /// <summary>
    /// Reverse sweep: adjoint (∂f/∂node) of every node of <paramref name="order"/> (the topological order of f's graph)
    /// that f depends on through nonzero partials.
    /// </summary>
    internal static Dictionary<Sx, Sx> ReverseSweep(Sx f, List<Sx> order)
    {
        var adj = new Dictionary<Sx, Sx>(ReferenceEqualityComparer.Instance) { [f] = Sx.One };
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var v = order[i];
            if (v.A is null || !adj.TryGetValue(v, out var w) || w.IsZero)
            {
                continue;
            }

            Sx a = v.A;
            Sx b = v.B ?? a;
            switch (v.Op)
            {
                case SxOp.Neg: Accumulate(adj, a, -w); break;
                case SxOp.Sqr: Accumulate(adj, a, w * (2 * a)); break;
                case SxOp.Sqrt: Accumulate(adj, a, w / (2 * v)); break;
                case SxOp.Exp: Accumulate(adj, a, w * v); break;
                case SxOp.Log: Accumulate(adj, a, w / a); break;
                case SxOp.Sin: Accumulate(adj, a, w * Sx.Cos(a)); break;
                case SxOp.Cos: Accumulate(adj, a, -(w * Sx.Sin(a))); break;
                case SxOp.Tan: Accumulate(adj, a, w * (1 + Sx.Sqr(v))); break;
                case SxOp.Tanh: Accumulate(adj, a, w * (1 - Sx.Sqr(v))); break;
                case SxOp.Abs: Accumulate(adj, a, w * Sx.Sign(a)); break;
                case SxOp.Sign or SxOp.Step: break;
                case SxOp.Add:
                    Accumulate(adj, a, w);
                    Accumulate(adj, b, w);
                    break;
                case SxOp.Sub:
                    Accumulate(adj, a, w);
                    Accumulate(adj, b, -w);
                    break;
                case SxOp.Mul:
                    Accumulate(adj, a, w * b);
                    Accumulate(adj, b, w * a);
                    break;
                case SxOp.Div:
                    Accumulate(adj, a, w / b);
                    Accumulate(adj, b, -(w * v / b));
                    break;
                case SxOp.Pow:
                    if (b.IsConstant)
                    {
                        Accumulate(adj, a, w * (b * Sx.Pow(a, b.Value - 1.0)));
                    }
                    else
                    {
                        Accumulate(adj, a, w * (b * Sx.Pow(a, b - 1)));
                        Accumulate(adj, b, w * (v * Sx.Log(a)));
                    }

                    break;
                case SxOp.Atan2:
                {
                    // v = atan2(y = a, x = b): ∂v/∂y = x/(x²+y²), ∂v/∂x = −y/(x²+y²).
                    Sx r2 = Sx.Sqr(a) + Sx.Sqr(b);
                    Accumulate(adj, a, w * b / r2);
                    Accumulate(adj, b, -(w * a / r2));
                    break;
                }

                case SxOp.Min or SxOp.Max:
                {
                    // Indicator of the active argument a: min → a ≤ b, max → a ≥ b.
                    Sx s = v.Op == SxOp.Min ? Sx.Step(b - a) : Sx.Step(a - b);
                    Accumulate(adj, a, w * s);
                    Accumulate(adj, b, w * (1 - s));
                    break;
                }

                default:
                    throw new InvalidOperationException($"No derivative rule for {v.Op}.");
            }
        }

        return adj;
    }

    private static void Accumulate(Dictionary<Sx, Sx> adj, Sx node, Sx contribution)
    {
        if (contribution.IsZero)
        {
            return;
        }

        adj[node] = adj.TryGetValue(node, out var existing) ? existing + contribution : contribution;
    }

    private static void RequireSymbols(SxVector wrt, string operation)
    {
        ArgumentNullException.ThrowIfNull(wrt);
        for (int i = 0; i < wrt.Length; i++)
        {
            if (!wrt[i].IsSymbol)
            {
                throw new SymbolicException(
                    $"{operation}: element {i} of the variables ('{Sx.Truncate(wrt[i].ToString())}') is not a symbol; "
                    + "differentiate with respect to symbols (Sx.Symbol / SxVector.Symbols) and substitute afterwards.");
            }
        }
    }

    private static Dictionary<Sx, int> ColumnIndex(SxVector wrt, string operation)
    {
        RequireSymbols(wrt, operation);
        var index = new Dictionary<Sx, int>(wrt.Length, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < wrt.Length; i++)
        {
            if (!index.TryAdd(wrt[i], i))
            {
                throw new SymbolicException(
                    $"{operation}: symbol '{wrt[i].Name}' appears twice among the variables (elements {index[wrt[i]]} and {i}); variables must be distinct.");
            }
        }

        return index;
    }
}
