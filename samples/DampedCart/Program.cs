using System.Globalization;
using DiffOp.Control.OptimalControl;
using DiffOp.Learning;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Learning.Workers;
using DiffOp.Symbolic;

namespace DiffOp.Samples.DampedCart;

/// <summary>
/// The true system: a damped cart x'' = u − 0.5 x' (Euler, dt = 0.1) that should reach x = 1; cost (x − 1)² + 0.1 u² per
/// step, |u| ≤ 2. The policy does not know the damping.
/// </summary>
public sealed class DampedCartSystem : IEnvironment
{
    private double _x, _v;

    /// <inheritdoc />
    public string Name => "damped-cart";
    /// <inheritdoc />
    public int StateCount => 2;
    /// <inheritdoc />
    public int ControlCount => 1;
    /// <inheritdoc />
    public int EpisodeLength => 20;

    /// <inheritdoc />
    public void Reset(int seed, Span<double> state)
    {
        _x = new Random(seed).NextDouble() - 0.5;
        _v = 0;
        state[0] = _x;
        state[1] = _v;
    }

    /// <inheritdoc />
    public StepResult Step(ReadOnlySpan<double> control, Span<double> next)
    {
        double u = Math.Clamp(control[0], -2, 2);
        double cost = ((_x - 1) * (_x - 1)) + (0.1 * u * u);
        _x += 0.1 * _v;
        _v += 0.1 * (u - (0.5 * _v));
        next[0] = _x;
        next[1] = _v;
        return new StepResult(cost, Done: false, Failed: false);
    }
}

/// <summary>The sample's policy, settings and worker: what both the trainer and its worker processes build.</summary>
public static class DampedCartSample
{
    /// <summary>The policy OCP: the model's damping (starting at 0) and the cost weights (starting with a control weight 20× the true one) are learnable; |u| ≤ 2 is known.</summary>
    public static Ocp BuildPolicyOcp(int horizon = 10)
    {
        var b = new OcpBuilder("damped_cart_policy", stateCount: 2, controlCount: 1, horizon);
        var damping = b.AddParameter("damping", [0.0], lowerBound: 0.0);   // training keeps each block at or above its bound
        var weights = b.AddParameter("weights", [1.0, 2.0], lowerBound: 0.0);
        Sx x = b.State[0], v = b.State[1], u = b.Control[0];
        b.SetDynamics(new SxVector(x + (0.1 * v), v + (0.1 * (u - (damping[0] * v)))));
        b.SetStageCost((weights[0] * Sx.Sqr(x - 1)) + (weights[1] * Sx.Sqr(u)));
        b.SetTerminalCost(weights[0] * Sx.Sqr(x - 1));
        b.SetControlBounds([-2.0], [2.0]);
        return b.Build();
    }

    /// <summary>The training settings (the library's recommended recipe, Step mode).</summary>
    public static TrainingOptions Options(int iterations) =>
        TrainingOptions.Recommended(PolicyMode.Step, sigma: 0.2, learningRate: 0.1) with
        {
            Iterations = iterations, ParameterLowerBounds = BuildPolicyOcp().ParameterLowerBounds(), Seed = 1,
        };

    /// <summary>One rollout worker: the true system, the policy and the exploration the options describe.</summary>
    public static RolloutWorker CreateWorker()
    {
        var options = Options(iterations: 1);
        return new RolloutWorker(new DampedCartSystem(), new OptimizationPolicy(BuildPolicyOcp(), options.Mode),
            new TruncatedGaussianExploration(options.Sigma, options.Beta));
    }

    /// <summary>Mean deterministic cost of θ on 10 fixed evaluation episodes.</summary>
    public static double Evaluate(double[] theta)
    {
        using var worker = CreateWorker();
        return Enumerable.Range(0, 10).Average(e => worker.Run(theta, new RolloutRequest(SeedSequence.Evaluation(e), Explore: false)).Cost);
    }
}

internal static class Program
{
    /// <summary>
    /// <c>DampedCart [--iterations K] [--workers W]</c>: trains the policy with W worker processes (this program started
    /// again as a worker) and prints the deterministic cost before and after.
    /// </summary>
    private static int Main(string[] args)
    {
        if (RolloutWorkerHost.IsWorker(args)) return RolloutWorkerHost.Serve(DampedCartSample.CreateWorker);
        int iterations = Read(args, "--iterations", 30), workers = Read(args, "--workers", 2);
        var options = DampedCartSample.Options(iterations);
        var theta0 = DampedCartSample.BuildPolicyOcp().InitialParameters();
        using var executor = new ProcessRolloutExecutor(ProcessWorkerStart.ThisProgram(), workers);
        var trainer = new Trainer(options, executor, theta0);
        trainer.Train();
        double before = DampedCartSample.Evaluate(theta0), after = DampedCartSample.Evaluate(trainer.Theta);
        var exact = DampedCartSample.BuildPolicyOcp().CreateParameters();   // θ by block name: the true damping and cost weights
        exact["damping"][0] = 0.5;
        exact["weights"][1] = 0.1;
        double exactModel = DampedCartSample.Evaluate(exact.Values);
        Console.WriteLine(FormattableString.Invariant(
            $"damped cart, {iterations} iterations × {options.Rollouts} rollouts on {workers} worker processes: cost {before:F3} → {after:F3} (the exact model: {exactModel:F3}); θ = [{string.Join(", ", trainer.Theta.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}]"));
        return after < before ? 0 : 1;
    }

    private static int Read(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        if (at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0) return value;
        Console.Error.WriteLine($"{name} needs a positive whole number.");
        Environment.Exit(2);
        return fallback;
    }
}
