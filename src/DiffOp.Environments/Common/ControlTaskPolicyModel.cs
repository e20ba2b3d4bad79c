using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Common;

/// <summary>
/// The policy's model of a control task (docs/environments.md): the parameterized OCP
/// min Σ_{t&lt;H} c(x_t, u_t; θ_c) + h(x_H; θ_H) s.t. x_{t+1} = x_t + dt·f(x_t, u_t; θ_f), built from the same generic
/// equations <typeparamref name="TEquations"/> as the simulator, evaluated symbolically (T = <see cref="Sx"/>).
/// </summary>
/// <typeparam name="TEquations">The task's generic equations.</typeparam>
/// <remarks>
/// θ is three parameter blocks in this order: <c>theta_f</c> (the learnable physical parameters), <c>theta_c</c>
/// (stage-cost weights), <c>theta_H</c> (terminal-cost weights). The control weight w_u and the fixed constants
/// (g, …) are numbers, not parameters. Known bounds of the settings (u_max, x_max) become constraints
/// (<see cref="AddKnownConstraints"/>).
/// </remarks>
public abstract class ControlTaskPolicyModel<TEquations> : IPolicyModel
    where TEquations : IControlTaskEquations
{
    /// <summary>Name of the physical-parameter block θ_f.</summary>
    public const string PhysicalBlockName = "theta_f";

    /// <summary>Name of the stage-cost weight block θ_c.</summary>
    public const string StageWeightBlockName = "theta_c";

    /// <summary>Name of the terminal-cost weight block θ_H.</summary>
    public const string TerminalWeightBlockName = "theta_H";

    /// <summary>Creates the model; the settings are validated.</summary>
    /// <param name="settings">The task settings (dt, H, true values, bounds, σ0).</param>
    /// <exception cref="ArgumentException">The settings are invalid or do not match the equations' dimensions.</exception>
    protected ControlTaskPolicyModel(ControlTaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.StateCount != TEquations.StateCount || settings.ControlCount != TEquations.ControlCount)
        {
            throw new ArgumentException(
                $"Settings of '{settings.EnvironmentName}' have n = {settings.StateCount}, m = {settings.ControlCount}; the equations have n = {TEquations.StateCount}, m = {TEquations.ControlCount}.",
                nameof(settings));
        }

        Settings = settings;
    }

    /// <summary>The task settings.</summary>
    public ControlTaskSettings Settings { get; }

    /// <inheritdoc/>
    public string Name => Settings.EnvironmentName;

    /// <inheritdoc/>
    public int StateCount => TEquations.StateCount;

    /// <inheritdoc/>
    public int ControlCount => TEquations.ControlCount;

    /// <inheritdoc/>
    public int StepHorizon => Settings.Horizon;

    /// <inheritdoc/>
    public int EpisodeLength => Settings.EpisodeLength;

    /// <inheritdoc/>
    public IReadOnlyList<IReadOnlyList<double>> InitialStates => Settings.InitialStates;

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterBlockNames { get; } = [PhysicalBlockName, StageWeightBlockName, TerminalWeightBlockName];

    /// <summary>Length of θ: |θ_f| + 2·|weights|.</summary>
    public int ThetaCount => Settings.PhysicalParameters.Count + 2 * Settings.CostWeights.Count;

    /// <inheritdoc/>
    /// <remarks>θ_f = params, θ_c = θ_H = weights (docs/environments.md, <c>--theta true</c>).</remarks>
    public double[] TrueTheta() => [.. Settings.PhysicalParameters, .. Settings.CostWeights, .. Settings.CostWeights];

    /// <inheritdoc/>
    /// <remarks>
    /// θ_true + U(−σ0/2, σ0/2) per entry, drawn in θ order from a <see cref="Random"/> seeded by <paramref name="seed"/> (§5),
    /// then projected onto <see cref="ParameterLowerBounds"/>: with small true weights (the constrained cart-pole's 0.1) a
    /// draw can be negative, which would make the OCP unbounded; such an entry starts at its bound instead.
    /// </remarks>
    public double[] InitialTheta(int seed)
    {
        double[] theta = TrueTheta();
        double[] lower = ParameterLowerBounds();
        var random = new Random(seed);
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i] = Math.Max(lower[i], theta[i] + ((random.NextDouble() - 0.5) * Settings.InitialSpread));
        }

        return theta;
    }

    /// <summary>Smallest physical parameter training may reach, as a fraction of its true value.</summary>
    public const double PhysicalLowerFraction = 0.05;

    /// <inheritdoc/>
    /// <remarks>0.5 in the task's control units (force, torque or thrust), the σ of the learning curves in docs/RESULTS.md.</remarks>
    public double ExplorationScale => 0.5;

    /// <inheritdoc/>
    /// <remarks>0.02 (cart-pole, robot arm); the quadrotor overrides it.</remarks>
    public virtual double RecommendedLearningRate => 0.02;

    /// <inheritdoc/>
    /// <remarks>θ_f ≥ <see cref="PhysicalLowerFraction"/>·|true value| (a mass, length or inertia must stay positive for
    /// the dynamics to make sense); weights θ_c, θ_H ≥ 0 (a negative weight makes the OCP unbounded).</remarks>
    public double[] ParameterLowerBounds() =>
        [.. Settings.PhysicalParameters.Select(p => PhysicalLowerFraction * Math.Abs(p)), .. Enumerable.Repeat(0.0, 2 * Settings.CostWeights.Count)];

    /// <inheritdoc/>
    public Ocp BuildOcp(int horizon, IReadOnlyList<double> theta)
    {
        PolicyModelArguments.Check(Name, horizon, theta, ThetaCount,
            $"{PhysicalBlockName}: {Settings.PhysicalParameters.Count}, {StageWeightBlockName} and {TerminalWeightBlockName}: {Settings.CostWeights.Count} each");

        int physicalCount = Settings.PhysicalParameters.Count, weightCount = Settings.CostWeights.Count;
        var builder = new OcpBuilder(Name, StateCount, ControlCount, horizon);
        double[] lower = ParameterLowerBounds();   // declared with the blocks: Ocp.ParameterLowerBounds() returns the same
        SxVector physicalBlock = builder.AddParameter(PhysicalBlockName, theta.Take(physicalCount).ToArray(), lower[..physicalCount]);
        SxVector stageWeights = builder.AddParameter(StageWeightBlockName, theta.Skip(physicalCount).Take(weightCount).ToArray(), lower[physicalCount..(physicalCount + weightCount)]);
        SxVector terminalWeights = builder.AddParameter(TerminalWeightBlockName, theta.Skip(physicalCount + weightCount).ToArray(), lower[(physicalCount + weightCount)..]);

        Sx[] state = builder.State.ToArray();
        Sx[] control = builder.Control.ToArray();
        Sx[] physical = [.. physicalBlock, .. Settings.FixedConstants.Select(c => (Sx)c)];
        var next = new Sx[StateCount];
        TEquations.Derivative<Sx>(state, control, physical, next);
        ExplicitEuler.Advance<Sx>(state, Settings.TimeStep, next);
        builder.SetDynamics(new SxVector(next));
        builder.SetStageCost(TEquations.StageCost<Sx>(state, control, stageWeights.ToArray(), Settings.ControlWeight));
        builder.SetTerminalCost(TEquations.TerminalCost<Sx>(state, terminalWeights.ToArray()));
        AddKnownConstraints(builder);
        return builder.Build();
    }

    /// <summary>
    /// Adds the known bounds of <see cref="Settings"/> (<see cref="ControlTaskSettings.ControlLimit"/>,
    /// <see cref="ControlTaskSettings.StateLimit"/>) to the OCP; does nothing for absent bounds.
    /// </summary>
    /// <param name="builder">The OCP being built.</param>
    protected abstract void AddKnownConstraints(OcpBuilder builder);

    /// <summary>Imposes |u_i| ≤ u_max on every control component as variable bounds, when u_max is set.</summary>
    /// <param name="builder">The OCP being built.</param>
    protected void AddControlLimit(OcpBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Settings.ControlLimit is double limit)
        {
            builder.SetControlBounds(Filled(ControlCount, -limit), Filled(ControlCount, limit));
        }
    }

    /// <summary>
    /// Imposes |x_i| ≤ x_max on the listed state components as bounds on x_1..x_H, when x_max is set. The reference
    /// imposes the bound at k = 0..H−1; x_0 is fixed (a bound there could only make the problem infeasible or break
    /// LICQ, see <see cref="OcpBuilder.SetStateBounds"/>), so this also bounds x_H instead.
    /// </summary>
    /// <param name="builder">The OCP being built.</param>
    /// <param name="components">Indices of the bounded state components.</param>
    protected void AddStateLimit(OcpBuilder builder, params int[] components)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(components);
        if (Settings.StateLimit is double limit)
        {
            double[] lower = Filled(StateCount, double.NegativeInfinity), upper = Filled(StateCount, double.PositiveInfinity);
            foreach (int i in components)
            {
                lower[i] = -limit;
                upper[i] = limit;
            }

            builder.SetStateBounds(lower, upper);
        }
    }

    private static double[] Filled(int n, double value)
    {
        var a = new double[n];
        Array.Fill(a, value);
        return a;
    }
}
