using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace DiffOp.Control.Nlp;

/// <summary>
/// Per-solve managed state reached from Ipopt's callbacks through <c>user_data</c> (a GCHandle).
/// The first exception thrown by the problem is captured here; from then on every callback reports
/// failure so Ipopt stops, and <see cref="IpoptSolver"/> rethrows it after <c>IpoptSolve</c> returns.
/// </summary>
internal sealed class IpoptSolveContext(INlpProblem problem, Action<IpoptIterate>? progress = null)
{
    public INlpProblem Problem { get; } = problem;
    public Action<IpoptIterate>? Progress { get; } = progress;
    public ExceptionDispatchInfo? Captured { get; private set; }
    public int Iterations { get; set; }
    public bool Failed => Captured is not null;

    public void Capture(Exception exception) => Captured ??= ExceptionDispatchInfo.Capture(exception);
}

/// <summary>
/// Static <c>[UnmanagedCallersOnly]</c> trampolines: no delegates to root, no exception crosses into
/// native code, nothing allocated (spans wrap Ipopt's buffers).
/// </summary>
internal static unsafe class IpoptCallbacks
{
    private const int True = 1;
    private const int False = 0;

    private static IpoptSolveContext Context(nint userData) => (IpoptSolveContext)GCHandle.FromIntPtr(userData).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalF(int n, double* x, int newX, double* objective, nint userData)
    {
        var ctx = Context(userData);
        if (ctx.Failed) return False;
        try
        {
            *objective = ctx.Problem.Objective(new ReadOnlySpan<double>(x, n));
            return True;
        }
        catch (Exception ex) { ctx.Capture(ex); return False; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalGradF(int n, double* x, int newX, double* gradient, nint userData)
    {
        var ctx = Context(userData);
        if (ctx.Failed) return False;
        try
        {
            ctx.Problem.ObjectiveGradient(new ReadOnlySpan<double>(x, n), new Span<double>(gradient, n));
            return True;
        }
        catch (Exception ex) { ctx.Capture(ex); return False; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalG(int n, double* x, int newX, int m, double* g, nint userData)
    {
        var ctx = Context(userData);
        if (ctx.Failed) return False;
        try
        {
            ctx.Problem.Constraints(new ReadOnlySpan<double>(x, n), new Span<double>(g, m));
            return True;
        }
        catch (Exception ex) { ctx.Capture(ex); return False; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalJacG(int n, double* x, int newX, int m, int nonZeros, int* rows, int* columns, double* values, nint userData)
    {
        var ctx = Context(userData);
        if (ctx.Failed) return False;
        try
        {
            if (values == null)
                ctx.Problem.GetJacobianStructure(new Span<int>(rows, nonZeros), new Span<int>(columns, nonZeros));
            else
                ctx.Problem.JacobianValues(new ReadOnlySpan<double>(x, n), new Span<double>(values, nonZeros));
            return True;
        }
        catch (Exception ex) { ctx.Capture(ex); return False; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalH(int n, double* x, int newX, double objectiveFactor, int m, double* lambda, int newLambda,
        int nonZeros, int* rows, int* columns, double* values, nint userData)
    {
        var ctx = Context(userData);
        if (ctx.Failed) return False;
        try
        {
            if (values == null)
                ctx.Problem.GetHessianStructure(new Span<int>(rows, nonZeros), new Span<int>(columns, nonZeros));
            else
                ctx.Problem.HessianValues(new ReadOnlySpan<double>(x, n), objectiveFactor,
                    new ReadOnlySpan<double>(lambda, m), new Span<double>(values, nonZeros));
            return True;
        }
        catch (Exception ex) { ctx.Capture(ex); return False; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Intermediate(int algorithmMode, int iteration, double objective, double primalInfeasibility,
        double dualInfeasibility, double mu, double stepNorm, double regularization, double alphaDual, double alphaPrimal,
        int lineSearchTrials, nint userData)
    {
        var ctx = Context(userData);
        ctx.Iterations = iteration;
        if (ctx.Progress is { } progress && !ctx.Failed)
        {
            try { progress(new IpoptIterate(iteration, objective, primalInfeasibility, dualInfeasibility, mu, stepNorm)); }
            catch (Exception ex) { ctx.Capture(ex); }
        }
        return ctx.Failed ? False : True;   // a captured exception stops the solve at the next iteration
    }
}
