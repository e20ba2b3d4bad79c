namespace DiffOp.Symbolic;

public sealed partial class Function
{
    /// <summary>Compiles the outputs into a register tape (see the class remarks).</summary>
    private Tape Compile()
    {
        var register = new Dictionary<Sx, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _inputs.Length; i++)
        {
            var symbols = _inputs[i];
            for (int k = 0; k < symbols.Length; k++)
            {
                var s = symbols[k];
                if (!s.IsSymbol)
                {
                    throw new SymbolicException(
                        $"Function '{Name}' input {i} ('{_inputNames[i]}') element {k} is not a symbol but '{Sx.Truncate(s.ToString())}'; "
                        + "inputs must be vectors of symbols.");
                }

                if (!register.TryAdd(s, _inputOffsets[i] + k))
                {
                    throw new SymbolicException(
                        $"Function '{Name}': symbol '{s.Name}' appears more than once among the inputs (again at input {i} ('{_inputNames[i]}') element {k}); "
                        + "every input symbol must be distinct.");
                }
            }
        }

        var roots = new List<Sx>();
        foreach (var output in _outputs)
        {
            roots.AddRange(output.NonZeros);
        }

        var order = GraphOrder.Topological(roots);
        int next = _inputOffsets[^1];
        var constantRegisters = new List<int>();
        var constantValues = new List<double>();
        var freeSymbols = new List<Sx>();
        var lastUse = new Dictionary<Sx, int>(ReferenceEqualityComparer.Instance);
        int operationCount = 0;
        foreach (var node in order)
        {
            switch (node.Op)
            {
                case SxOp.Constant:
                    register[node] = next;
                    constantRegisters.Add(next++);
                    constantValues.Add(node.Value);
                    break;
                case SxOp.Symbol:
                    if (!register.ContainsKey(node))
                    {
                        freeSymbols.Add(node);
                    }

                    break;
                default:
                    lastUse[node.A!] = operationCount;
                    if (node.B is not null)
                    {
                        lastUse[node.B] = operationCount;
                    }

                    operationCount++;
                    break;
            }
        }

        if (freeSymbols.Count > 0)
        {
            throw new SymbolicException(
                $"Function '{Name}' has free symbols [{string.Join(", ", freeSymbols.Select(s => s.Name))}] in its outputs that are not among its inputs "
                + $"({string.Join(", ", _inputNames)}); declare them as inputs.");
        }

        int firstTemporary = next;
        var pinned = new HashSet<Sx>(roots, ReferenceEqualityComparer.Instance);
        var free = new Stack<int>();
        var instructions = new Instruction[operationCount];
        int t = 0;
        foreach (var node in order)
        {
            if (node.A is null)
            {
                continue;
            }

            int a = register[node.A];
            int b = node.B is null ? a : register[node.B];
            Release(node.A, a);
            if (node.B is not null && !ReferenceEquals(node.B, node.A))
            {
                Release(node.B, b);
            }

            int dst = free.Count > 0 ? free.Pop() : next++;
            register[node] = dst;
            instructions[t++] = new Instruction(node.Op, dst, a, b);
        }

        var outputRegisters = new int[_outputOffsets[^1]];
        int o = 0;
        foreach (var root in roots)
        {
            outputRegisters[o++] = register[root];
        }

        return new Tape(instructions, next, [.. constantRegisters], [.. constantValues], outputRegisters);

        void Release(Sx operand, int reg)
        {
            if (reg >= firstTemporary && lastUse[operand] == t && !pinned.Contains(operand))
            {
                free.Push(reg);
            }
        }
    }

    /// <summary>One tape instruction: registers[Dst] = Apply(Op, registers[A], registers[B]) (B = A for unary operations).</summary>
    internal readonly record struct Instruction(SxOp Op, int Dst, int A, int B);

    /// <summary>The compiled program.</summary>
    internal sealed record Tape(
        Instruction[] Instructions, int RegisterCount, int[] ConstantRegisters, double[] ConstantValues, int[] OutputRegisters);
}
