using BenchmarkDotNet.Attributes;
using DiffOp.Symbolic;

namespace DiffOp.Benchmarks;

/// <summary>
/// Symbolic core (issue 3): evaluation of the quadrotor stage-Lagrangian Hessian with respect to (x, u, θ)
/// (13 states, 4 controls, 9 parameters; goal ≤ 2 µs and 0 B per call) and the one-time cost of building and
/// compiling that Function (goal ≤ 200 ms).
/// </summary>
[MemoryDiagnoser]
public class SymbolicBenchmarks
{
    private Function _hessian = null!;
    private FunctionWorkspace _workspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hessian = BuildStageLagrangianHessian();
        _workspace = _hessian.CreateWorkspace();
        var rng = new Random(1);
        for (int i = 0; i < _hessian.InputCount; i++)
        {
            var input = _workspace.Input(i);
            for (int k = 0; k < input.Length; k++)
            {
                input[k] = 0.5 + rng.NextDouble();
            }
        }

        _hessian.Evaluate(_workspace);
        Console.WriteLine($"// {_hessian}: {_hessian.InstructionCount} instructions, {_hessian.RegisterCount} registers");
    }

    /// <summary>One evaluation of the 26 × 26 lower Hessian (workspace reused).</summary>
    [Benchmark]
    public double EvaluateStageLagrangianHessian()
    {
        _hessian.Evaluate(_workspace);
        return _workspace.Output(0)[0];
    }

    /// <summary>Build the symbolic model, differentiate twice and compile.</summary>
    [Benchmark]
    public Function BuildAndCompileStageLagrangianHessian() => BuildStageLagrangianHessian();

    /// <summary>
    /// L = c(x, u; wr, wv, wq, ww) + λᵀ(x + dt f(x, u; Jx, Jy, Jz, m, l, c = 0.01)) of the quadrotor (docs/environments.md),
    /// θ = [Jx, Jy, Jz, m, l, wr, wv, wq, ww]; output: lower Hessian ∇²_(x,u,θ) L.
    /// </summary>
    private static Function BuildStageLagrangianHessian()
    {
        const double dt = 0.1;
        var x = SxVector.Symbols("x", 13);
        var u = SxVector.Symbols("u", 4);
        var theta = SxVector.Symbols("theta", 9);
        var lambda = SxVector.Symbols("lambda", 13);

        var v = x.Slice(3, 3);
        var q = x.Slice(6, 4);
        var w = x.Slice(10, 3);
        Sx mass = theta[3], l = theta[4], c = 0.01;
        var inertia = SxMatrix.Diagonal(theta.Slice(0, 3));
        var thrust = new SxVector(0.0, 0.0, u.Sum());
        var moment = new SxVector((u[3] - u[1]) * l / 2, (u[2] - u[0]) * l / 2, c * (u[0] - u[1] + u[2] - u[3]));
        var f = SxVector.Concat(
            v,
            Quaternion.DirectionCosineInertialFromBody(q) * thrust / mass + new SxVector(0.0, 0.0, -10.0),
            0.5 * (Quaternion.Omega(w) * q),
            inertia.Solve(moment - SxVector.Cross(w, inertia * w)));
        var next = x + dt * f;

        Sx costQ = 4 * (Sx.Sqr(q[1]) + Sx.Sqr(q[2]) + Sx.Sqr(q[3]));
        Sx cost = theta[5] * x.Slice(0, 3).SquaredNorm() + theta[6] * v.SquaredNorm() + theta[7] * costQ
            + theta[8] * w.SquaredNorm() + 0.1 * u.SquaredNorm();
        Sx lagrangian = cost + lambda.Dot(next);

        return new Function(
            "quadrotor_stage_hessian",
            [("x", x), ("u", u), ("theta", theta), ("lambda", lambda)],
            [("hessian", Derivatives.Hessian(lagrangian, SxVector.Concat(x, u, theta)))]);
    }
}
