using BenchmarkDotNet.Attributes;
using DiffOp.Control.OptimalControl;

namespace DiffOp.Benchmarks;

/// <summary>
/// Issue 4: cold-start forward solve (Ipopt, MUMPS, tol 1e-8) of the voltage-shaped OCP (n = 9, m = 3, box on q)
/// from the seed-0 scenario. Goals on one core: ≤ 2 ms at H = 6, ≤ 5 ms at H = 30.
/// </summary>
[MemoryDiagnoser, MedianColumn, MinColumn]
public class OcpForwardBenchmarks
{
    private OcpSolver _solver = null!;
    private double[] _theta = null!;
    private double[] _context = null!;

    [Params(6, 30, 120)]
    public int H { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ocp = VoltageOcp.Build(H);
        _solver = new OcpSolver(ocp);
        _theta = ocp.InitialParameters();
        _context = ocp.DefaultContext();
        var s = _solver.Solve(_theta, VoltageOcp.InitialState, _context);
        if (!s.IsSuccess) throw new InvalidOperationException($"H = {H}: solve failed ({s.Status}).");
        Console.WriteLine($"// H = {H}: {s.Iterations} Ipopt iterations, objective {s.Objective:G10}, " +
                          $"active {s.ActiveSet.Active.Count}, weakly active {s.ActiveSet.WeaklyActive.Count}");
    }

    /// <summary>One cold-start solve (ζ = 0 except x₀); returns the iteration count.</summary>
    [Benchmark]
    public int SolveCold() => _solver.Solve(_theta, VoltageOcp.InitialState, _context).Iterations;
}
