using System.Diagnostics;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;

namespace DiffOp.Benchmarks;

/// <summary>
/// Issue 5, where the backward time goes: Stopwatch medians of the block assembly alone
/// (<see cref="KktBlockAssembler.Assemble"/>), of a VJP (assembly + band emission + banded LU + 1 solve) and of the
/// full Jacobian (same + 20 more solves), so factorization ≈ VJP − assembly and one extra right-hand side ≈
/// (Jacobian − VJP) / 20; with managed allocation per call and the band size implied by the stage ordering.
/// </summary>
public static class BackwardSplit
{
    public static void Run()
    {
        Console.WriteLine($"# Backward split (voltage OCP, seed-0 x_init), {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine("| H | active rows | KKT size N | half-bandwidth | assemble | VJP | Jacobian | dense | factor ≈ VJP − assemble | per extra RHS | alloc assemble / VJP / Jacobian |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (int h in new[] { 6, 30, 120, 240 })
        {
            Measure(h, VoltageOcp.Build(h).InitialParameters(), "");
        }
        // A variant with active q bounds (the initial θ leaves every bound inactive): weak actuation A = 0.1·I and
        // heavy voltage weights C_v = 100 push q onto its upper bounds at most stages.
        double[] saturating = [100, 100, 100, 0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1];
        foreach (int h in new[] { 6, 30, 120, 240 })
        {
            Measure(h, saturating, " (sat.)");
        }
    }

    private static void Measure(int horizon, double[] theta, string label)
    {
        var ocp = VoltageOcp.Build(horizon);
        var solution = new OcpSolver(ocp).Solve(theta, VoltageOcp.InitialState, ocp.DefaultContext()).EnsureSuccess();
        var assembler = new KktBlockAssembler(ocp);
        var structured = new StructuredSensitivity(ocp);
        var dense = horizon <= 60 ? new DenseSensitivity(ocp) : null;
        var v = VoltageOcp.OnesOnFirstControl(ocp);
        int reps = horizon switch { 6 => 4000, 30 => 1000, 120 => 250, _ => 120 };

        var (assemble, allocAssemble) = Time(() => assembler.Assemble(solution), reps);
        var (vjp, allocVjp) = Time(() => structured.VectorJacobianProduct(solution, v), reps);
        var (jacobian, allocJacobian) = Time(() => structured.Jacobian(solution), reps);
        string denseText = "—";
        if (dense is not null)
        {
            var (d, _) = Time(() => dense.Jacobian(solution), Math.Max(20, reps / 20));
            denseText = Ms(d);
        }

        var blocks = assembler.Assemble(solution);
        int n = blocks.StateCount, w = blocks.StageWidth;
        int size = n + blocks.StageRows.Sum(r => w + r.Length + n) + n + blocks.TerminalRows.Length;
        int bandwidth = w + n - 1 + blocks.StageRows.Max(r => r.Length);   // dynamics row of stage t ↔ first entry of z_t
        Console.WriteLine($"| {horizon}{label} | {solution.ActiveSet.Active.Count} (weak {solution.ActiveSet.WeaklyActive.Count}) | {size} | {bandwidth} | " +
                          $"{Ms(assemble)} | {Ms(vjp)} | {Ms(jacobian)} | {denseText} | {Ms(vjp - assemble)} | {Ms((jacobian - vjp) / 20)} | " +
                          $"{allocAssemble / 1024.0:F0} / {allocVjp / 1024.0:F0} / {allocJacobian / 1024.0:F0} KB |");
    }

    private static (double Median, long Allocated) Time(Func<object> action, int reps)
    {
        // Warm up for ≥ 0.5 s so that tiered compilation has promoted the hot code to tier 1.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500) action();
        var t = new double[reps];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            t[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        long allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / reps;
        Array.Sort(t);
        return (t[reps / 2], allocated);
    }

    private static string Ms(double ms) => ms >= 1 ? $"{ms:F2} ms" : $"{ms * 1000:F0} µs";
}
