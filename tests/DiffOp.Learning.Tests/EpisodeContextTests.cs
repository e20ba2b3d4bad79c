using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>Per-episode context: the environment supplies a reference at reset, and the episode's plans use it.</summary>
[Category("Native")]
public class EpisodeContextTests
{
    /// <summary>x' = x + u from x₀ = 0 towards a reference drawn per episode from the seed; cost (x − r)² + 0.1 u².</summary>
    private sealed class TrackingEnvironment(bool supplyContext = true) : IEnvironment
    {
        private double _x, _reference;
        public string Name => "tracking";
        public int StateCount => 1;
        public int ControlCount => 1;
        public int EpisodeLength => 6;
        public int ContextCount => supplyContext ? 1 : 0;
        public static double ReferenceOf(int seed) => new Random(seed).NextDouble() * 4 - 2;

        public void Reset(int seed, Span<double> state)
        {
            _x = 0;
            _reference = ReferenceOf(seed);
            state[0] = _x;
        }

        public void WriteContext(Span<double> context) => context[0] = _reference;

        public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
        {
            _x += control[0];
            nextState[0] = _x;
            return new StepResult((_x - _reference) * (_x - _reference) + 0.1 * control[0] * control[0], Done: false, Failed: false);
        }
    }

    /// <summary>The policy OCP: learnable control weight w, the reference as context (default 0).</summary>
    private static Ocp TrackingOcp(int horizon = 6)
    {
        var b = new OcpBuilder("tracking_policy", 1, 1, horizon);
        var w = b.AddParameter("w", [1.0], lowerBound: 0.0);
        var reference = b.AddContext("reference", [0.0]);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(0.5 * w[0] * Sx.Sqr(b.Control[0]) + 0.5 * Sx.Sqr(b.State[0] - reference[0]));
        b.SetTerminalCost(0.5 * Sx.Sqr(b.State[0] - reference[0]));
        return b.Build();
    }

    private static RolloutWorker Worker(bool supplyContext, PolicyMode mode = PolicyMode.Traj) =>
        new(new TrackingEnvironment(supplyContext), new OptimizationPolicy(TrackingOcp(), mode), new TruncatedGaussianExploration(0.1, double.PositiveInfinity));

    [SetUp]
    public void RequireIpopt()
    {
        if (!DiffOp.Interop.Ipopt.IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
    }

    [TestCase(PolicyMode.Traj)]
    [TestCase(PolicyMode.Step)]
    public void EachEpisodesPlans_UseThatEpisodesReference(PolicyMode mode)
    {
        using var worker = Worker(supplyContext: true, mode);
        var ocp = worker.Policy.Ocp;
        double[] theta = ocp.InitialParameters();
        using var solver = new OcpSolver(ocp);
        foreach (int seed in new[] { 3, 11 })
        {
            var result = worker.Run(theta, new RolloutRequest(seed, Explore: false));
            double reference = TrackingEnvironment.ReferenceOf(seed);
            Assert.That(worker.Policy.Context[0], Is.EqualTo(reference), "the policy holds this episode's reference");
            // The cost of the closed loop equals the cost of playing the OCP's plan for that reference (Traj: open loop).
            var plan = solver.Solve(theta, [0.0], [reference]).EnsureSuccess();
            double x = 0, expected = 0;
            for (int t = 0; t < 6; t++)
            {
                double u = mode == PolicyMode.Traj ? plan.Control(t)[0] : solver.Solve(theta, [x], [reference]).EnsureSuccess().Control(0)[0];
                x += u;
                expected += (x - reference) * (x - reference) + 0.1 * u * u;
            }
            Assert.That(result.Cost, Is.EqualTo(expected).Within(1e-9), $"seed {seed}, reference {reference:F3}");
        }
    }

    [Test]
    public void WithoutTheContext_ThePolicySteersToTheDefaultReference_AndDoesMuchWorse()
    {
        using var with = Worker(supplyContext: true);
        using var without = Worker(supplyContext: false);
        double[] theta = with.Policy.Ocp.InitialParameters();
        double Mean(RolloutWorker w) => Enumerable.Range(0, 8).Average(s => w.Run(theta, new RolloutRequest(s, Explore: false)).Cost);
        Assert.That(Mean(with), Is.LessThan(0.5 * Mean(without)));
        Assert.That(without.Policy.Context[0], Is.Zero, "an environment without context leaves the policy's default");
    }

    [Test]
    public void TrainingWithAContext_GivesTheSameThetaOnThreadsAsSequentially_AndLowersTheCost()
    {
        var options = TrainingOptions.Recommended(PolicyMode.Traj, sigma: 0.1, learningRate: 0.05) with
        {
            Iterations = 15, Seed = 4, Antithetic = false, TangentExploration = false, SharedInitialState = false,
            ParameterLowerBounds = TrackingOcp().ParameterLowerBounds(),
        };
        RolloutWorker Create() => new(new TrackingEnvironment(), new OptimizationPolicy(TrackingOcp(), options.Mode), new TruncatedGaussianExploration(options.Sigma, options.Beta));
        double[] theta0 = [3.0];   // far too much control weight: slow tracking
        var sequential = new Trainer(options, new SequentialRolloutExecutor(Create()), theta0);
        sequential.Train();
        using var threads = new ThreadRolloutExecutor(Create, 2);
        var parallel = new Trainer(options, threads, theta0);
        parallel.Train();
        Assert.That(parallel.Theta, Is.EqualTo(sequential.Theta));

        using var judge = Create();
        double Cost(double[] theta) => Enumerable.Range(0, 20).Average(e => judge.Run(theta, new RolloutRequest(SeedSequence.Evaluation(e), Explore: false)).Cost);
        Assert.That(sequential.Theta[0], Is.LessThan(theta0[0]), "w falls towards the true 0.1-ish weight");
        Assert.That(Cost(sequential.Theta), Is.LessThan(Cost(theta0)));
    }

    [Test]
    public void AMismatchedOrBadContext_SaysWhatIsWrong()
    {
        var b = new OcpBuilder("no_context", 1, 1, 4);
        var w = b.AddParameter("w", [1.0]);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(0.5 * w[0] * Sx.Sqr(b.Control[0]) + 0.5 * Sx.Sqr(b.State[0]));
        var ocp = b.Build();
        Assert.That(() => new RolloutWorker(new TrackingEnvironment(), new OptimizationPolicy(ocp, PolicyMode.Traj), new TruncatedGaussianExploration(0.1, 1.0)),
            Throws.ArgumentException.With.Message.Contains("AddContext"));

        using var policy = new OptimizationPolicy(TrackingOcp(), PolicyMode.Step);
        Assert.That(() => policy.SetContext([1.0, 2.0]), Throws.ArgumentException.With.Message.Contains("reference[1]"));
        Assert.That(() => policy.SetContext([double.NaN]), Throws.ArgumentException.With.Message.Contains("finite"));

        using var feedback = new FeedbackPolicy(TrackingOcp(), PolicyMode.Step, [1.0]);
        feedback.Reset([1.5]);
        double u = feedback.Act([0.0])[0];
        Assert.That(u, Is.GreaterThan(0.3), "steers towards the reference 1.5");
        feedback.Reset([-1.5]);
        Assert.That(feedback.Act([0.0])[0], Is.EqualTo(-u).Within(1e-9), "and towards −1.5 after a reset with that context");
    }
}
