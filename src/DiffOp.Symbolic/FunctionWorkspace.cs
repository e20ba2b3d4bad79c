namespace DiffOp.Symbolic;

/// <summary>
/// Scratch memory for evaluating one <see cref="Function"/>: input buffers, registers and output nonzeros.
/// Not thread-safe; create one per thread with <see cref="Function.CreateWorkspace"/>.
/// </summary>
public sealed class FunctionWorkspace : IDisposable
{
    private readonly int[] _inputOffsets;
    private readonly int[] _outputOffsets;

    internal FunctionWorkspace(
        Function function, int registerCount, int[] constantRegisters, double[] constantValues, int[] inputOffsets, int[] outputOffsets)
    {
        Function = function;
        Registers = new double[registerCount];
        for (int k = 0; k < constantRegisters.Length; k++)
        {
            Registers[constantRegisters[k]] = constantValues[k];
        }

        Outputs = new double[outputOffsets[^1]];
        _inputOffsets = inputOffsets;
        _outputOffsets = outputOffsets;
    }

    /// <summary>The function this workspace belongs to.</summary>
    public Function Function { get; }

    /// <summary>
    /// When true (default), <see cref="Function.Evaluate(FunctionWorkspace)"/> throws a <see cref="SymbolicException"/> naming
    /// the function and output if any output value is NaN or ±∞.
    /// </summary>
    public bool CheckFinite { get; set; } = true;

    internal double[] Registers { get; }

    internal double[] Outputs { get; }

    /// <summary>The buffer of input i (length <see cref="Function.InputLength"/>); write input values here before evaluating.</summary>
    /// <param name="i">Input index.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Span<double> Input(int i)
    {
        if ((uint)i >= (uint)(_inputOffsets.Length - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(i), $"Function '{Function.Name}' has {_inputOffsets.Length - 1} inputs; index {i} is out of range.");
        }

        return Registers.AsSpan(_inputOffsets[i], _inputOffsets[i + 1] - _inputOffsets[i]);
    }

    /// <summary>The nonzeros of output j from the last evaluation, in <see cref="Function.OutputSparsity"/> order.</summary>
    /// <param name="j">Output index.</param>
    public ReadOnlySpan<double> Output(int j)
    {
        if ((uint)j >= (uint)(_outputOffsets.Length - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(j), $"Function '{Function.Name}' has {_outputOffsets.Length - 1} outputs; index {j} is out of range.");
        }

        return Outputs.AsSpan(_outputOffsets[j], _outputOffsets[j + 1] - _outputOffsets[j]);
    }

    /// <summary>Releases nothing (workspaces hold only managed arrays); provided so a workspace can live in a <c>using</c>.</summary>
    public void Dispose()
    {
    }
}
