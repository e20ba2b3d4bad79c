using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;

namespace DiffOp.Benchmarks;

/// <summary>
/// Issue 4, "share of wall time inside our callbacks": solves the voltage OCP cold through
/// <see cref="IpoptSolver.Solve(INlpProblem, NlpStartPoint)"/> with the library's own transcription (the internal
/// OcpNlp, reached by reflection) wrapped in <see cref="TimedNlpProblem"/>, and compares the time spent in the
/// callbacks with the wall time of the solve. Also measures Ipopt's fixed cost per solve (max_iter = 0) and,
/// from Ipopt's own timing statistics, how Ipopt's time splits between the linear solver (MUMPS) and the rest.
/// </summary>
public static class CallbackShare
{
    private delegate void SetDataDelegate(ReadOnlySpan<double> theta, ReadOnlySpan<double> context, ReadOnlySpan<double> initialState);

    /// <summary>
    /// Arguments: optional Ipopt options as name=value (int, double or string), applied on top of the library
    /// defaults to every solve here, e.g. <c>mu_strategy=monotone</c>, to try settings; and <c>H=6,30</c> to pick horizons.
    /// </summary>
    public static void Run(IReadOnlyList<string> args)
    {
        var extra = new Dictionary<string, object>();
        int[] horizons = [6, 30, 120];
        foreach (var a in args)
        {
            var kv = a.Split('=', 2);
            if (kv.Length != 2) throw new ArgumentException($"Expected name=value, got '{a}'.");
            if (kv[0] == "H") { horizons = kv[1].Split(',').Select(int.Parse).ToArray(); continue; }
            extra[kv[0]] = int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i
                : double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : kv[1];
        }
        Console.WriteLine($"# Callback share (cold start, seed-0 x_init), {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}" +
                          (extra.Count > 0 ? "; extra Ipopt options: " + string.Join(", ", extra.Select(e => $"{e.Key}={e.Value}")) : ""));
        foreach (int h in horizons)
        {
            Measure(h, repetitions: h switch { <= 6 => 400, <= 30 => 200, _ => 60 }, extra);
        }
    }

    private static void Measure(int horizon, int repetitions, Dictionary<string, object> extraOptions)
    {
        var ocp = VoltageOcp.Build(horizon);
        var (nlp, setData) = CreateTranscription(ocp);
        setData(ocp.InitialParameters(), ocp.DefaultContext(), VoltageOcp.InitialState);
        var timed = new TimedNlpProblem(nlp);
        var options = new IpoptOptions { Extra = extraOptions };
        var ipopt = new IpoptSolver(options);
        var x0 = new double[ocp.Layout.VariableCount];
        VoltageOcp.InitialState.CopyTo(x0, 0);
        var start = new NlpStartPoint { X = x0 };

        // Through the public OcpSolver (adds the active-set detection and the OcpSolution) for comparison.
        var solver = new OcpSolver(ocp, new OcpSolverOptions { Ipopt = options });
        var theta = ocp.InitialParameters();
        var context = ocp.DefaultContext();
        var solution = solver.Solve(theta, VoltageOcp.InitialState, context);

        // Warm up for ≥ 1 s so that tiered compilation has promoted the callbacks to tier 1.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 1000) { ipopt.Solve(timed, start); solver.Solve(theta, VoltageOcp.InitialState, context); }

        timed.Reset();
        var wall = new double[repetitions];
        int iterations = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < repetitions; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var s = ipopt.Solve(timed, start);
            wall[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            iterations = s.Iterations;
            if (!s.IsSuccess) throw new InvalidOperationException($"H = {horizon}: {s.Status}");
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        double meanWall = wall.Average();
        double callbackMs = Stopwatch.GetElapsedTime(0, timed.TotalTicks).TotalMilliseconds / repetitions;

        var wrapped = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            solver.Solve(theta, VoltageOcp.InitialState, context);
            wrapped[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        // Ipopt's fixed cost: same problem, max_iter = 0 (create problem, options, initialization incl. the
        // first KKT factorization for the multiplier estimate, one round of evaluations).
        var zeroIter = new IpoptSolver(options with { Extra = new Dictionary<string, object>(extraOptions) { ["max_iter"] = 0 } });
        for (int i = 0; i < 30; i++) zeroIter.Solve(nlp, start);
        var fixedCost = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            zeroIter.Solve(nlp, start);
            fixedCost[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        Console.WriteLine();
        Console.WriteLine($"## H = {horizon}: {ocp.Layout.VariableCount} variables, {ocp.Layout.RowCount} rows, " +
                          $"{nlp.JacobianNonZeroCount} Jacobian / {nlp.HessianNonZeroCount} Hessian nonzeros; {iterations} iterations; " +
                          $"active rows {solution.ActiveSet.Active.Count}, weakly active {solution.ActiveSet.WeaklyActive.Count}");
        Console.WriteLine($"IpoptSolver.Solve wall: median {Median(wall):F3} ms, mean {meanWall:F3} ms ({repetitions} solves); " +
                          $"allocated {allocated / repetitions / 1024.0:F1} KB/solve (managed)");
        Console.WriteLine($"OcpSolver.Solve wall:   median {Median(wrapped):F3} ms (adds active set + OcpSolution)");
        Console.WriteLine($"inside our callbacks:   {callbackMs:F3} ms/solve = {100 * callbackMs / meanWall:F1}% of the mean IpoptSolver.Solve wall");
        for (int k = 0; k < TimedNlpProblem.Names.Length; k++)
        {
            double ms = Stopwatch.GetElapsedTime(0, timed.Ticks[k]).TotalMilliseconds / repetitions;
            double calls = (double)timed.Calls[k] / repetitions;
            Console.WriteLine($"  {TimedNlpProblem.Names[k],-22} {calls,6:F1} calls/solve  {ms * 1000,8:F1} µs/solve  {(calls > 0 ? ms * 1000 / calls : 0),7:F2} µs/call");
        }
        Console.WriteLine($"max_iter = 0 solve (Ipopt fixed cost): median {Median(fixedCost):F3} ms");
        IpoptTimingStatistics(nlp, start, options, horizon);
    }

    /// <summary>Ipopt's print_timing_statistics for a batch of solves, summed (Ipopt prints seconds with 3 decimals, so H = 6 is coarse).</summary>
    private static void IpoptTimingStatistics(INlpProblem nlp, NlpStartPoint start, IpoptOptions options, int horizon)
    {
        string path = Path.Combine(Path.GetTempPath(), $"diffop-bench-timing-{Environment.ProcessId}-{horizon}.txt");
        var extra = new Dictionary<string, object>(options.Extra)
        {
            ["print_timing_statistics"] = "yes", ["output_file"] = path, ["file_print_level"] = 3,
        };
        var solver = new IpoptSolver(options with { Extra = extra });
        var sums = new Dictionary<string, double>();
        var order = new List<string>();
        int runs = horizon switch { 6 => 200, 30 => 100, _ => 30 };
        var line = new Regex(@"^\s*([A-Za-z0-9 ()]+?)\.*:\s+([0-9.]+) \(sys:\s+([0-9.]+) wall:\s+([0-9.]+)\)");
        for (int r = 0; r < runs; r++)
        {
            solver.Solve(nlp, start);
            foreach (var text in File.ReadLines(path))
            {
                var m = line.Match(text);
                if (!m.Success) continue;
                string key = text[..text.IndexOf(':')].TrimEnd('.').TrimEnd();
                double wall = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
                if (!sums.ContainsKey(key)) { sums[key] = 0; order.Add(key); }
                sums[key] += wall;
            }
        }
        if (Environment.GetEnvironmentVariable("DIFFOP_BENCH_KEEP_TIMING") is null) File.Delete(path);
        else Console.WriteLine($"(last Ipopt output kept in {path})");
        Console.WriteLine($"Ipopt timing statistics (wall, mean over {runs} solves, ms):");
        foreach (var key in order)
        {
            if (sums[key] / runs * 1000 < 0.0005) continue;
            Console.WriteLine($"  {key,-40} {sums[key] / runs * 1000,8:F3}");
        }
    }

    private static (INlpProblem Nlp, SetDataDelegate SetData) CreateTranscription(Ocp ocp)
    {
        var type = typeof(Ocp).Assembly.GetType("DiffOp.Control.OptimalControl.OcpNlp", throwOnError: true)!;
        var nlp = (INlpProblem)Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, [ocp], null)!;
        var method = type.GetMethod("SetData", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!;
        return (nlp, method.CreateDelegate<SetDataDelegate>(nlp));
    }

    private static double Median(double[] values)
    {
        var s = (double[])values.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
