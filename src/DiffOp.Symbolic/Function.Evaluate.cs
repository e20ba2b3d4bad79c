using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DiffOp.Symbolic;

public sealed partial class Function
{
    /// <summary>
    /// Evaluates the function: reads <see cref="FunctionWorkspace.Input"/>, writes <see cref="FunctionWorkspace.Output"/>
    /// (nonzeros in <see cref="OutputSparsity"/> order). Allocates nothing.
    /// </summary>
    /// <param name="workspace">A workspace created by this function's <see cref="CreateWorkspace"/>.</param>
    /// <exception cref="SymbolicException">An output value is NaN or ±∞ and <see cref="FunctionWorkspace.CheckFinite"/> is true.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(FunctionWorkspace workspace)
    {
        CheckWorkspace(workspace);
        double[] registers = workspace.Registers;
        ref double r = ref MemoryMarshal.GetArrayDataReference(registers);
        foreach (ref readonly var ins in _tape.Instructions.AsSpan())
        {
            Unsafe.Add(ref r, ins.Dst) = Sx.Apply(ins.Op, Unsafe.Add(ref r, ins.A), Unsafe.Add(ref r, ins.B));
        }

        var outputs = workspace.Outputs.AsSpan();
        var outputRegisters = _tape.OutputRegisters.AsSpan();
        for (int k = 0; k < outputs.Length; k++)
        {
            outputs[k] = Unsafe.Add(ref r, outputRegisters[k]);
        }

        if (workspace.CheckFinite)
        {
            for (int k = 0; k < outputs.Length; k++)
            {
                if (!double.IsFinite(outputs[k]))
                {
                    ThrowNonFinite(workspace, k);
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="input0"/> into input 0 and evaluates (convenience for single-input functions; other inputs
    /// keep their current workspace values). Allocates nothing.
    /// </summary>
    /// <param name="workspace">A workspace created by this function.</param>
    /// <param name="input0">Values of input 0 (length <see cref="InputLength"/>(0)).</param>
    /// <exception cref="SymbolicException">The length of <paramref name="input0"/> is wrong, or an output is non-finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(FunctionWorkspace workspace, ReadOnlySpan<double> input0)
    {
        CheckWorkspace(workspace);
        if (InputCount == 0)
        {
            throw new SymbolicException($"Function '{Name}' has no inputs; call Evaluate(workspace).");
        }

        if (input0.Length != _inputs[0].Length)
        {
            ThrowInputLength(0, input0.Length);
        }

        input0.CopyTo(workspace.Input(0));
        Evaluate(workspace);
    }

    /// <summary>Allocating convenience: evaluates on the given inputs and returns the nonzeros of every output.</summary>
    /// <param name="inputs">One array per input, of length <see cref="InputLength"/>(i).</param>
    /// <returns>One array of nonzeros per output, in <see cref="OutputSparsity"/> order.</returns>
    /// <exception cref="SymbolicException">Wrong number or length of inputs, or a non-finite output.</exception>
    public double[][] Evaluate(params double[][] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != InputCount)
        {
            throw new SymbolicException(
                $"Function '{Name}' expects {InputCount} inputs ({string.Join(", ", _inputNames)}), got {inputs.Length}.");
        }

        var workspace = CreateWorkspace();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null || inputs[i].Length != _inputs[i].Length)
            {
                ThrowInputLength(i, inputs[i]?.Length ?? 0);
            }

            inputs[i].CopyTo(workspace.Input(i));
        }

        Evaluate(workspace);
        var result = new double[OutputCount][];
        for (int j = 0; j < OutputCount; j++)
        {
            result[j] = workspace.Output(j).ToArray();
        }

        return result;
    }

    private void CheckWorkspace(FunctionWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Function, this))
        {
            throw new ArgumentException(
                $"The workspace belongs to function '{workspace.Function.Name}', not to '{Name}'; create it with {Name}.CreateWorkspace().",
                nameof(workspace));
        }
    }

    private void ThrowInputLength(int i, int got) =>
        throw new SymbolicException(
            $"Function '{Name}' input {i} ('{_inputNames[i]}') expects {_inputs[i].Length} values ({_inputs[i].Length}x1 dense), got {got}.");

    private void ThrowNonFinite(FunctionWorkspace workspace, int flat)
    {
        int j = 0;
        while (_outputOffsets[j + 1] <= flat)
        {
            j++;
        }

        int k = flat - _outputOffsets[j];
        var sparsity = _outputs[j].Sparsity;
        double value = workspace.Outputs[flat];
        throw new SymbolicException(
            $"Function '{Name}' output {j} ('{_outputNames[j]}') is not finite: nonzero {k} at ({sparsity.Rows[k]}, {sparsity.Columns[k]}) = {value}. "
            + "Check that the inputs are finite and inside the domain of every operation (log, sqrt, division), "
            + "or set CheckFinite = false on the workspace.");
    }
}
