using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Voltage;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Environments.Tests.Voltage;

/// <summary>
/// Issue #15: the rollout hot path — a policy solve (structured QP, warm-started in Step mode), its active set and one
/// VJP for the score — allocates (almost) nothing per solve once warmed up. Before the reused plans
/// (<see cref="OptimizationPolicy.PlanReused"/>), a voltage Step solve + VJP (H = 6) allocated 7.4 KB and a Traj one
/// (H = 30) 19 KB, nearly all of it new solution arrays and warm starts; now 88 B, the <c>NlpSolution</c> record.
/// </summary>
public class VoltageAllocationTests
{
    private static readonly VoltagePolicyModel Model = new();

    /// <summary>Bytes a solve plus its VJP may allocate in the steady state (on average over the measured solves).</summary>
    private const int BytesPerSolve = 128;

    [TestCase(PolicyMode.Step)]
    [TestCase(PolicyMode.Traj)]
    public void PolicySolveAndVjp_AllocateNothing_InTheSteadyState(PolicyMode mode)
    {
        int horizon = mode == PolicyMode.Step ? Model.StepHorizon : Model.EpisodeLength;
        var theta = Model.InitialTheta(0);
        var ocp = Model.BuildOcp(horizon, theta);
        using var policy = new OptimizationPolicy(ocp, mode);
        var environment = new VoltageEnvironment();
        var state = new double[ocp.StateCount];
        var next = new double[ocp.StateCount];
        var action = new double[ocp.ControlCount];
        var deviations = new double[horizon * ocp.ControlCount];
        var score = new double[ocp.ParameterCount];
        for (int i = 0; i < deviations.Length; i++) deviations[i] = 0.01 * Math.Sin(i + 1.0);

        // One closed-loop episode per seed, the way RolloutWorker drives the policy: plan (warm-started from the previous
        // plan in Step mode), act, score the plan with one VJP. Only the policy's calls are measured.
        long allocated = 0;
        int Episode(int seed)
        {
            environment.Reset(seed, state);
            OcpSolution? plan = null;
            int solves = 0;
            for (int t = 0; t < environment.EpisodeLength; t += policy.ActionsPerPlan)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                plan = policy.PlanReused(theta, state, plan);
                policy.AccumulateScore(plan, deviations, policy.ActionsPerPlan, 0.01, score);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                solves++;
                Assert.That(plan.IsSuccess, Is.True);
                plan.Control(0).CopyTo(action);
                environment.Step(action, next);
                next.CopyTo(state.AsSpan());
            }
            return solves;
        }

        for (int seed = 0; seed < 3; seed++) Episode(seed);   // warm-up: JIT, pools, the factor buffers
        allocated = 0;
        int total = 0;
        for (int seed = 3; seed < 13; seed++) total += Episode(seed);
        double perSolve = (double)allocated / total;
        TestContext.Out.WriteLine($"voltage {mode} (H = {horizon}): {allocated} B over {total} solves + VJPs = {perSolve:F1} B per solve");
        Assert.That(perSolve, Is.LessThanOrEqualTo(BytesPerSolve), $"{mode}: bytes allocated per solve + VJP ({total} solves)");
    }

    /// <summary>
    /// Bytes one training episode of <see cref="RolloutWorker"/> may allocate besides its solves: its result, score and stage
    /// costs, the noise generator (about 1.3 KB for voltage).
    /// </summary>
    private const int BytesPerEpisode = 2048;

    [TestCase(PolicyMode.Step)]
    [TestCase(PolicyMode.Traj)]
    public void TrainingEpisodes_AllocateOnlyTheirResults(PolicyMode mode)
    {
        int horizon = mode == PolicyMode.Step ? Model.StepHorizon : Model.EpisodeLength;
        var theta = Model.InitialTheta(0);
        using var worker = new RolloutWorker(new VoltageEnvironment(), new OptimizationPolicy(Model.BuildOcp(horizon, theta), mode),
            new TruncatedGaussianExploration(Model.ExplorationScale, double.PositiveInfinity));
        for (int seed = 0; seed < 3; seed++) worker.Run(theta, new RolloutRequest(seed, Explore: true));
        int solves = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int seed = 3; seed < 13; seed++) solves += worker.Run(theta, new RolloutRequest(seed, Explore: true)).Solves;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"voltage {mode} (H = {horizon}): {allocated} B over 10 episodes, {solves} solves = {(double)allocated / solves:F1} B per solve");
        // Before the fix: 224 KB per Step episode (30 solves), 21 KB per Traj episode (one solve).
        Assert.That(allocated, Is.LessThanOrEqualTo((10 * BytesPerEpisode) + (solves * BytesPerSolve)), $"{mode}: bytes allocated by 10 training episodes ({solves} solves)");
    }

    /// <summary>
    /// The reused plans are <see cref="OptimizationPolicy.Plan"/>'s bit for bit (trajectory, multipliers, active set, VJP) over
    /// a Step episode with exploring actions; a plan stays intact through the next call, and a VJP after the object was
    /// overwritten uses the new data (the factor cache follows the version, not only the object).
    /// </summary>
    [Test]
    public void ReusedPlans_AreFreshPlans_BitForBit()
    {
        double[] theta = [800, 1200, 1000, .. Model.TrueTheta().Skip(3)];   // large voltage weights: the q box becomes active
        var ocp = Model.BuildOcp(Model.StepHorizon, theta);
        using var fresh = new OptimizationPolicy(ocp, PolicyMode.Step);
        using var reused = new OptimizationPolicy(ocp, PolicyMode.Step);
        var environment = new VoltageEnvironment();
        var state = new double[ocp.StateCount];
        var next = new double[ocp.StateCount];
        var action = new double[ocp.ControlCount];
        var deviation = new double[ocp.ControlCount];
        var noise = new Random(5);
        environment.Reset(7, state);
        OcpSolution? a = null, b = null;
        int withActiveBounds = 0;
        for (int t = 0; t < environment.EpisodeLength; t++)
        {
            var previous = b;
            double[]? previousTrajectory = previous?.Trajectory.ToArray();
            a = fresh.Plan(theta, state, a);
            b = reused.PlanReused(theta, state, b);
            Assert.That(b.IsReused, Is.True);
            Assert.That(a.IsReused, Is.False);
            if (previous is not null)
            {
                Assert.That(b, Is.Not.SameAs(previous), "the next plan must not overwrite the previous one");
                Assert.That(previous.Trajectory.ToArray(), Is.EqualTo(previousTrajectory), "the previous plan changed during the next call");
            }
            Assert.That(b.Trajectory.ToArray(), Is.EqualTo(a.Trajectory.ToArray()), $"t = {t}: ζ");
            Assert.That(b.RowMultipliers.ToArray(), Is.EqualTo(a.RowMultipliers.ToArray()), $"t = {t}: λ");
            Assert.That(b.BoundMultipliers, Is.EqualTo(a.BoundMultipliers), $"t = {t}: bound multipliers");
            Assert.That(b.Theta, Is.EqualTo(a.Theta));
            Assert.That(b.InitialState, Is.EqualTo(a.InitialState));
            Assert.That(b.Objective, Is.EqualTo(a.Objective));
            Assert.That(b.ActiveSet.Active, Is.EqualTo(a.ActiveSet.Active), $"t = {t}: active set");
            Assert.That(b.ActiveSet.WeaklyActive, Is.EqualTo(a.ActiveSet.WeaklyActive), $"t = {t}: weakly active set");
            if (a.ActiveSet.Active.Count > 0) withActiveBounds++;
            for (int j = 0; j < deviation.Length; j++) deviation[j] = 0.01 * ((2 * noise.NextDouble()) - 1);
            if (t % 2 == 0)
            {
                // Every other step only: the sensitivity solver last factored this very object two solves ago, before the
                // overwrite, so reusing those factors would be wrong.
                var scoreA = new double[ocp.ParameterCount];
                var scoreB = new double[ocp.ParameterCount];
                fresh.AccumulateScore(a, deviation, 1, 0.01, scoreA);
                reused.AccumulateScore(b, deviation, 1, 0.01, scoreB);
                Assert.That(scoreB, Is.EqualTo(scoreA), $"t = {t}: VJP");
            }
            for (int j = 0; j < action.Length; j++) action[j] = a.Control(0)[j] + deviation[j];
            environment.Step(action, next);
            next.CopyTo(state.AsSpan());
        }
        Assert.That(withActiveBounds, Is.GreaterThan(0), "the episode should reach the q box at some step");
    }
}
