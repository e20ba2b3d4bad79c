using BenchmarkDotNet.Attributes;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;

namespace DiffOp.Benchmarks;

/// <summary>
/// Issue 5: backward pass of the voltage-shaped OCP (n = 9, m = 3, d = 12; Jacobian columns θ then x_init: 21).
/// The OCP is solved once in the setup; each call re-assembles the KKT blocks from the solution and solves.
/// Goals: structured ≤ 0.1 ms at H = 6, ≤ 0.5 ms at H = 30, time(240)/time(30) ≤ 10.
/// </summary>
[MemoryDiagnoser, MedianColumn, MinColumn]
public class SensitivityBenchmarks
{
    private OcpSolution _solution = null!;
    private StructuredSensitivity _structured = null!;
    private DenseSensitivity? _dense;
    private KktBlockAssembler _assembler = null!;
    private double[] _v = null!;

    [Params(6, 30, 120, 240)]
    public int H { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ocp = VoltageOcp.Build(H);
        _solution = new OcpSolver(ocp).Solve(ocp.InitialParameters(), VoltageOcp.InitialState, ocp.DefaultContext()).EnsureSuccess();
        _structured = new StructuredSensitivity(ocp);
        _dense = H <= 60 ? new DenseSensitivity(ocp) : null;
        _assembler = new KktBlockAssembler(ocp);
        _v = VoltageOcp.OnesOnFirstControl(ocp);
        _structured.Jacobian(_solution);   // compiles the sensitivity functions (lazy) outside the measurement
        Console.WriteLine($"// H = {H}: active {_solution.ActiveSet.Active.Count}, weakly active {_solution.ActiveSet.WeaklyActive.Count}");
    }

    /// <summary>Dense oracle (MathNet LU of the whole KKT matrix), H ≤ 60 only: it is cubic in H.</summary>
    [Benchmark]
    public double DenseJacobian() => _dense is null ? double.NaN : _dense.Jacobian(_solution)[0, 0];

    /// <summary>Banded LU, 21 right-hand sides.</summary>
    [Benchmark(Baseline = true)]
    public double StructuredJacobian() => _structured.Jacobian(_solution)[0, 0];

    /// <summary>Banded LU, one right-hand side: vᵀ∂ζ*/∂(θ, x_init) with v = ones on u₀.</summary>
    [Benchmark]
    public double StructuredVjp() => _structured.VectorJacobianProduct(_solution, _v)[0];

    /// <summary>Split: only the per-stage block evaluation (KktBlockAssembler.Assemble), shared by every solver.</summary>
    [Benchmark]
    public int AssembleBlocks() => _assembler.Assemble(_solution).Horizon;
}
