using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Voltage;

/// <summary>
/// The voltage policy's OCP (docs/environments-voltage.md, paper eq. 11): state x = [v (3), q (3), v0 (3)], control u ∈ R³
/// (reactive-power increments, MVAr), linear dynamics q' = q + u, v' = A (q + u) + v0, v0' = v0, and cost
/// Σ_{i&lt;H} (u_iᵀ C_u u_i + (v_i − 1)ᵀ C_v (v_i − 1)) + (v_H − 1)ᵀ C_v (v_H − 1) with C_u = w_u·I fixed.
/// The q box of the settings is a known constraint, imposed as bounds on q of x_1..x_H.
/// </summary>
/// <remarks>
/// <para>θ is two blocks in this order: <c>theta_c</c> = diag C_v (3 values) and <c>theta_f</c> = A (3×3, row-major:
/// entry [3i + j] = ∂v_i/∂q_j), so |θ| = 12.</para>
/// <para>The model's v' uses q after the increment, like the simulator, where the action's q acts at the next
/// measurement (§7.4). The dynamics are linear and the cost convex for C_v ≥ 0, so the OCP is a convex QP.</para>
/// </remarks>
public sealed class VoltagePolicyModel : IPolicyModel
{
    /// <summary>Name of the cost block θ_c = diag C_v.</summary>
    public const string CostBlockName = "theta_c";

    /// <summary>Name of the dynamics block θ_f = A (row-major).</summary>
    public const string DynamicsBlockName = "theta_f";

    /// <summary>Length of θ: 3 (diag C_v) + 9 (A).</summary>
    public const int ThetaCount = 12;

    /// <summary>The scenario whose q = 0 sensitivity is the true A of <see cref="TrueTheta"/> (scenario 0, the first initial state).</summary>
    public const int TrueSensitivityScenario = 0;

    private const int BusCount = VoltageEnvironment.ControlledBusCount;

    private readonly double[] _trueSensitivity;

    /// <summary>Creates the model; computes the default initial states and the true sensitivity with power flows.</summary>
    /// <param name="settings">Settings; null gives the defaults (training box, H = 6, T = 30, w_u = 0.1).</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public VoltagePolicyModel(VoltagePolicySettings? settings = null)
    {
        Settings = settings ?? new VoltagePolicySettings();
        Settings.Validate();
        var powerFlow = new PowerFlow(Settings.System.ToPowerFlowOptions());
        var states = new IReadOnlyList<double>[Settings.InitialScenarioCount];
        for (int k = 0; k < states.Length; k++)
        {
            var v0 = VoltageScenario.Generate(k, powerFlow).InitialVoltages;
            states[k] = Array.AsReadOnly<double>([.. v0, 0, 0, 0, .. v0]);
        }

        InitialStates = Array.AsReadOnly(states);
        _trueSensitivity = VoltageSensitivity.AtZeroReactivePower(TrueSensitivityScenario, Settings.System);
    }

    /// <summary>The settings in use.</summary>
    public VoltagePolicySettings Settings { get; }

    /// <inheritdoc/>
    public string Name => VoltagePolicySettings.Name;

    /// <inheritdoc/>
    public int StateCount => 3 * BusCount;

    /// <inheritdoc/>
    public int ControlCount => BusCount;

    /// <inheritdoc/>
    public int StepHorizon => Settings.Horizon;

    /// <inheritdoc/>
    public int EpisodeLength => Settings.System.EpisodeLength;

    /// <inheritdoc/>
    /// <remarks>[v0, 0, v0] of scenarios 0..N−1 (N = <see cref="VoltagePolicySettings.InitialScenarioCount"/>), scenario 0 first:
    /// the states <see cref="VoltageEnvironment.Reset"/> returns for those seeds.</remarks>
    public IReadOnlyList<IReadOnlyList<double>> InitialStates { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterBlockNames { get; } = [CostBlockName, DynamicsBlockName];

    /// <summary>
    /// The true sensitivity A = ∂|V|/∂q (p.u./MVAr, 3×3 row-major) at q = 0 of scenario <see cref="TrueSensitivityScenario"/>,
    /// from central finite differences of the power flow (<see cref="VoltageSensitivity"/>).
    /// </summary>
    public IReadOnlyList<double> TrueSensitivity => _trueSensitivity;

    /// <inheritdoc/>
    /// <remarks>
    /// C_v = I (the same weight on every bus, as in the untrained start) and A = the finite-difference sensitivity of
    /// the power flow at q = 0 for scenario 0 (<see cref="TrueSensitivity"/>; a low-voltage scenario, so about 20–30%
    /// above the no-load values [[0.030, 0.022, 0.022], [0.022, 0.049, 0.045], [0.022, 0.045, 0.047]] quoted in §7.4).
    /// The true system is nonlinear and its sensitivity depends on the scenario and on q, so no θ makes the model exact
    /// everywhere; this one makes its one-step prediction exact to first order at the first initial state.
    /// </remarks>
    public double[] TrueTheta() => [1, 1, 1, .. _trueSensitivity];

    /// <inheritdoc/>
    /// <remarks>
    /// The paper's untrained start, the same for every seed: C_v = I and A = 0.5·I (§7.4), with which the policy does
    /// not bring the voltages into ±5%. <paramref name="seed"/> is ignored (no random spread for this task).
    /// </remarks>
    public double[] InitialTheta(int seed) => [1, 1, 1, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5];

    /// <inheritdoc/>
    /// <remarks>0.01 MVAr against a ±1–1.5 MVAr box (a σ sweep from 0.1 to 0.005 found no gain below 0.01).</remarks>
    public double ExplorationScale => 0.01;

    /// <inheritdoc/>
    /// <remarks>0.02 with the cosine schedule (a seed-0 comparison in docs/training.md).</remarks>
    public double RecommendedLearningRate => 0.02;

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="TrainingOptions.RecommendedTrustRegion"/> in both modes (N = 100, the trust-region quasi-Newton rule; Step mode
    /// with reward-to-go and start blocks of two antithetic pairs), with the candidate tested on a quarter of each batch
    /// (<see cref="TrainingOptions.CandidateTestFraction"/> = 0.25: 24 of the 100 rollouts, so a tested iteration costs 124
    /// trajectories and K = 80 is the paper's 10,000). In Traj mode the rule's model also runs on ln C_v
    /// (<see cref="TrainingOptions.LogScalePositiveParameters"/>, with this model's lower bounds): 10 seeds −6.783 against
    /// −6.746 without; in Step mode it measured worse. On scenarios 0..499, 10 seeds each at 10,000 trajectories: Step
    /// −6.796 (−6.788 … −6.807) and Traj −6.788 (−6.754 … −6.812), against −6.795 and −6.780 when the whole batch is tested
    /// (K = 50); <see cref="TrainingOptions.Recommended"/> gave −6.711 / −0.1075 and −6.642 / −0.1061 (5 seeds; docs/training.md).
    /// While θ stays put, ĝ pools up to 8 batches drawn at it (<see cref="TrainingOptions.PooledBatches"/>), for the same budget:
    /// over the same 10 seeds Step −6.800 (−6.792 … −6.807) and Traj −6.795 (−6.770 … −6.807).
    /// </remarks>
    public TrainingOptions RecommendedOptions(PolicyMode mode)
    {
        var options = TrainingOptions.RecommendedTrustRegion(mode, ExplorationScale, RecommendedLearningRate) with
        {
            Iterations = RecommendedIterations, CandidateTestFraction = 0.25, PooledBatches = 8,
        };
        return mode == PolicyMode.Traj ? options with { LogScalePositiveParameters = true, ParameterLowerBounds = ParameterLowerBounds() } : options;
    }

    /// <summary>Iterations of <see cref="RecommendedOptions"/> that use the paper's 10,000 trajectories (at most 100 + 24 per iteration).</summary>
    public const int RecommendedIterations = 80;

    /// <inheritdoc/>
    /// <remarks>diag C_v ≥ 0 keeps the OCP a convex QP; the entries of A are unbounded.</remarks>
    public double[] ParameterLowerBounds() => [0, 0, 0, .. Enumerable.Repeat(double.NegativeInfinity, 9)];

    /// <inheritdoc/>
    public Ocp BuildOcp(int horizon, IReadOnlyList<double> theta)
    {
        PolicyModelArguments.Check(Name, horizon, theta, ThetaCount, $"{CostBlockName} = diag C_v: 3, {DynamicsBlockName} = A row-major: 9");

        var builder = new OcpBuilder(Name, StateCount, ControlCount, horizon);
        SxVector weights = builder.AddParameter(CostBlockName, theta.Take(BusCount).ToArray(), lowerBound: 0.0);   // C_v ≥ 0 keeps the QP convex
        SxVector a = builder.AddParameter(DynamicsBlockName, theta.Skip(BusCount).ToArray());
        SxVector x = builder.State, u = builder.Control;

        var next = new Sx[StateCount];
        for (int i = 0; i < BusCount; i++)
        {
            next[BusCount + i] = x[BusCount + i] + u[i];
            next[(2 * BusCount) + i] = x[(2 * BusCount) + i];
        }

        for (int i = 0; i < BusCount; i++)
        {
            Sx v = next[(2 * BusCount) + i];
            for (int j = 0; j < BusCount; j++)
            {
                v += a[(BusCount * i) + j] * next[BusCount + j];
            }

            next[i] = v;
        }

        Sx voltageCost = Sx.Zero, controlCost = Sx.Zero;
        for (int i = 0; i < BusCount; i++)
        {
            Sx deviation = x[i] - 1.0;
            voltageCost += weights[i] * deviation * deviation;
            controlCost += u[i] * u[i];
        }

        builder.SetDynamics(new SxVector(next));
        builder.SetStageCost((Settings.ControlWeight * controlCost) + voltageCost);
        builder.SetTerminalCost(voltageCost);

        double[] lower = new double[StateCount], upper = new double[StateCount];
        Array.Fill(lower, double.NegativeInfinity);
        Array.Fill(upper, double.PositiveInfinity);
        for (int i = 0; i < BusCount; i++)
        {
            lower[BusCount + i] = Settings.System.ReactivePowerMin[i];
            upper[BusCount + i] = Settings.System.ReactivePowerMax[i];
        }

        builder.SetStateBounds(lower, upper);
        return builder.Build();
    }
}
