namespace DiffOp.Symbolic;

/// <summary>
/// A compiled function: named symbolic inputs (each an <see cref="SxVector"/> of distinct symbols) → named outputs
/// (each an <see cref="SxSparseMatrix"/>; dense vectors via <see cref="SxSparseMatrix.FromVector"/>).
/// </summary>
/// <remarks>
/// <para>Compilation sorts all output expressions topologically (shared subexpressions computed once) into a flat
/// instruction tape of (opcode, destination, operand, operand) over a register array held by a
/// <see cref="FunctionWorkspace"/>: inputs occupy the first registers, constants the next ones, and temporaries reuse
/// registers after their last use. A tape was chosen over System.Linq.Expressions because it compiles in linear time
/// for any graph size and evaluates with no allocation; every operation uses the same arithmetic as
/// <see cref="Sx.Evaluate"/>, so results are bit for bit identical.</para>
/// <para>Immutable and thread-safe: evaluate concurrently with one workspace per thread.</para>
/// </remarks>
public sealed partial class Function
{
    private readonly string[] _inputNames;
    private readonly SxVector[] _inputs;
    private readonly int[] _inputOffsets;
    private readonly string[] _outputNames;
    private readonly SxSparseMatrix[] _outputs;
    private readonly int[] _outputOffsets;
    private readonly Tape _tape;

    /// <summary>Builds and compiles a function.</summary>
    /// <param name="name">Name used in error messages.</param>
    /// <param name="inputs">Named inputs; all symbols over all inputs must be distinct.</param>
    /// <param name="outputs">Named outputs.</param>
    /// <exception cref="SymbolicException">An input element is not a symbol, a symbol repeats, or an output depends on a
    /// symbol that is not an input (the message lists the free symbols).</exception>
    public Function(
        string name,
        IReadOnlyList<(string Name, SxVector Symbols)> inputs,
        IReadOnlyList<(string Name, SxSparseMatrix Value)> outputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        Name = name;
        _inputNames = new string[inputs.Count];
        _inputs = new SxVector[inputs.Count];
        _inputOffsets = new int[inputs.Count + 1];
        for (int i = 0; i < inputs.Count; i++)
        {
            var (inputName, symbols) = inputs[i];
            _inputNames[i] = inputName ?? throw new ArgumentNullException(nameof(inputs), $"Input {i} of function '{name}' has no name.");
            _inputs[i] = symbols ?? throw new ArgumentNullException(nameof(inputs), $"Input {i} ('{inputName}') of function '{name}' is null.");
            _inputOffsets[i + 1] = _inputOffsets[i] + symbols.Length;
        }

        _outputNames = new string[outputs.Count];
        _outputs = new SxSparseMatrix[outputs.Count];
        _outputOffsets = new int[outputs.Count + 1];
        for (int j = 0; j < outputs.Count; j++)
        {
            var (outputName, value) = outputs[j];
            _outputNames[j] = outputName ?? throw new ArgumentNullException(nameof(outputs), $"Output {j} of function '{name}' has no name.");
            _outputs[j] = value ?? throw new ArgumentNullException(nameof(outputs), $"Output {j} ('{outputName}') of function '{name}' is null.");
            _outputOffsets[j + 1] = _outputOffsets[j] + value.Sparsity.NonZeroCount;
        }

        _tape = Compile();
    }

    /// <summary>The function's name (used in error messages).</summary>
    public string Name { get; }

    /// <summary>Number of inputs.</summary>
    public int InputCount => _inputs.Length;

    /// <summary>Number of outputs.</summary>
    public int OutputCount => _outputs.Length;

    /// <summary>Number of tape instructions (a measure of evaluation cost).</summary>
    public int InstructionCount => _tape.Instructions.Length;

    /// <summary>Number of registers a workspace holds (inputs, constants and temporaries).</summary>
    public int RegisterCount => _tape.RegisterCount;

    /// <summary>Length of input i.</summary>
    /// <param name="i">Input index.</param>
    public int InputLength(int i) => _inputs[CheckInput(i)].Length;

    /// <summary>Name of input i.</summary>
    /// <param name="i">Input index.</param>
    public string InputName(int i) => _inputNames[CheckInput(i)];

    /// <summary>The symbols of input i.</summary>
    /// <param name="i">Input index.</param>
    public SxVector InputSymbols(int i) => _inputs[CheckInput(i)];

    /// <summary>The (dense column) sparsity of input i.</summary>
    /// <param name="i">Input index.</param>
    public Sparsity InputSparsity(int i) => Sparsity.Dense(InputLength(i), 1);

    /// <summary>Name of output j.</summary>
    /// <param name="j">Output index.</param>
    public string OutputName(int j) => _outputNames[CheckOutput(j)];

    /// <summary>Sparsity of output j; its nonzeros are written in this order.</summary>
    /// <param name="j">Output index.</param>
    public Sparsity OutputSparsity(int j) => _outputs[CheckOutput(j)].Sparsity;

    /// <summary>The symbolic value of output j.</summary>
    /// <param name="j">Output index.</param>
    public SxSparseMatrix OutputValue(int j) => _outputs[CheckOutput(j)];

    /// <summary>Index of the input with the given name, or −1.</summary>
    /// <param name="name">Input name.</param>
    public int InputIndex(string name) => Array.IndexOf(_inputNames, name);

    /// <summary>Index of the output with the given name, or −1.</summary>
    /// <param name="name">Output name.</param>
    public int OutputIndex(string name) => Array.IndexOf(_outputNames, name);

    /// <summary>Creates scratch memory for evaluation; use one per thread.</summary>
    public FunctionWorkspace CreateWorkspace() =>
        new(this, _tape.RegisterCount, _tape.ConstantRegisters, _tape.ConstantValues, _inputOffsets, _outputOffsets);

    /// <summary>Text "name(in0[n0], …) -> (out0[RxC, nnz=k], …)".</summary>
    public override string ToString() =>
        $"{Name}({string.Join(", ", _inputNames.Select((n, i) => $"{n}[{_inputs[i].Length}]"))}) -> "
        + $"({string.Join(", ", _outputNames.Select((n, j) => $"{n}[{_outputs[j].Sparsity}]"))})";

    private int CheckInput(int i)
    {
        if ((uint)i >= (uint)_inputs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(i), $"Function '{Name}' has {_inputs.Length} inputs; index {i} is out of range.");
        }

        return i;
    }

    private int CheckOutput(int j)
    {
        if ((uint)j >= (uint)_outputs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(j), $"Function '{Name}' has {_outputs.Length} outputs; index {j} is out of range.");
        }

        return j;
    }
}
