using System.Diagnostics;

namespace DiffOp.Results.Benchmarking;

/// <summary>
/// Times one operation: a warm-up call, then repetitions until both a minimum count and a time budget are reached;
/// reports the median and 90th percentile wall time and the managed bytes allocated per call on this thread
/// (native allocations inside Ipopt/MUMPS are not counted).
/// </summary>
internal static class PhaseTimer
{
    public static (double MedianMs, double P90Ms, long AllocatedBytes, int Repetitions) Measure(Action action, int minRepetitions, TimeSpan budget)
    {
        action();   // warm-up: JIT, caches, lazily compiled functions
        var samples = new List<double>();
        long allocated = 0;
        var total = Stopwatch.StartNew();
        while (samples.Count < minRepetitions || (total.Elapsed < budget && samples.Count < 10_000))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            action();
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;   // before samples.Add, whose growth is not the action's
            samples.Add(elapsed);
            if (samples.Count >= minRepetitions && total.Elapsed > 4 * budget) break;
        }
        samples.Sort();
        return (Results.CurveStatistics.Percentile(samples, 0.5), Results.CurveStatistics.Percentile(samples, 0.9), allocated / samples.Count, samples.Count);
    }
}
