using BenchmarkDotNet.Running;
using DiffOp.Benchmarks;

// Two quick Stopwatch measurements that BenchmarkDotNet cannot express, then the BenchmarkDotNet switcher:
//   dotnet run -c Release --project bench/DiffOp.Benchmarks -- --callback-share   [name=value Ipopt options] [H=6,30]  (issue 4)
//   dotnet run -c Release --project bench/DiffOp.Benchmarks -- --backward-split   (issue 5: assembly / factorization / solves)
if (args.Length > 0 && args[0] == "--callback-share")
{
    CallbackShare.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--backward-split")
{
    BackwardSplit.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(VoltageOcp).Assembly).Run(args);
