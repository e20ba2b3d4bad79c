using DiffOp.Environments.Common;

namespace DiffOp.Environments.RobotArm;

/// <summary>
/// Robot-arm settings with the DiffOP benchmark defaults of docs/environments.md: l1, m1, l2, m2 = 1, 1, 1, 1 (g = 0);
/// weights wq1, wq2, wdq1, wdq2 = 1, 1, 0.5, 0.5; wu = 0.01; dt = 0.1; T = 35; H = 12; x0 ∈ {[−π/2, 0, 0, 0],
/// [−3π/4, −π/2, 0, 0], [−π/4, π/2, 0, 0], [−π/2, π, 0, 0]}; no bounds; σ0 = 0.9. <c>u_max</c> bounds |τ1|, |τ2|;
/// <c>x_max</c> bounds the joint angles |q1|, |q2|.
/// </summary>
public sealed record RobotArmSettings : ControlTaskSettings
{
    /// <summary>The command-line name, "robotarm".</summary>
    public const string Name = "robotarm";

    private static readonly IReadOnlyList<string> ParameterNames = Array.AsReadOnly(new[] { "l1", "m1", "l2", "m2" });
    private static readonly IReadOnlyList<string> WeightNames = Array.AsReadOnly(new[] { "wq1", "wq2", "wdq1", "wdq2" });

    /// <summary>Creates the §5 defaults.</summary>
    public RobotArmSettings()
    {
        TimeStep = 0.1;
        EpisodeLength = 35;
        Horizon = 12;
        InitialStates =
        [
            State(-Math.PI / 2, 0),
            State(-3 * Math.PI / 4, -Math.PI / 2),
            State(-Math.PI / 4, Math.PI / 2),
            State(-Math.PI / 2, Math.PI),
        ];
        PhysicalParameters = Array.AsReadOnly(new[] { 1.0, 1.0, 1.0, 1.0 });
        CostWeights = Array.AsReadOnly(new[] { 1.0, 1.0, 0.5, 0.5 });
        ControlWeight = 0.01;
        InitialSpread = 0.9;
    }

    /// <summary>
    /// The constrained variant of §5 (Safe-PDP setting): |τ| ≤ 1, |q| ≤ π, dt 0.2, T 25, weights 0.1 ×4, wu 0.01,
    /// x0 = [−π/2, 3π/4, 0, 0]; other values as the defaults.
    /// </summary>
    public static RobotArmSettings Constrained { get; } = new()
    {
        ControlLimit = 1.0,
        StateLimit = Math.PI,
        TimeStep = 0.2,
        EpisodeLength = 25,
        CostWeights = Array.AsReadOnly(new[] { 0.1, 0.1, 0.1, 0.1 }),
        ControlWeight = 0.01,
        InitialStates = [State(-Math.PI / 2, 3 * Math.PI / 4)],
    };

    /// <summary>Gravity g; 0 in every published script (§2; the class default there is 10). Not a command-line key.</summary>
    public double Gravity { get; init; }

    /// <inheritdoc/>
    public override string EnvironmentName => Name;

    /// <inheritdoc/>
    public override int StateCount => 4;

    /// <inheritdoc/>
    public override int ControlCount => 2;

    /// <inheritdoc/>
    public override IReadOnlyList<string> PhysicalParameterNames => ParameterNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> CostWeightNames => WeightNames;

    /// <inheritdoc/>
    public override IReadOnlyList<double> FixedConstants => [Gravity];

    /// <inheritdoc/>
    public override string StateLimitMeaning => "bound on the joint angles |q1|, |q2|";

    private static IReadOnlyList<double> State(double q1, double q2) => Array.AsReadOnly(new[] { q1, q2, 0.0, 0.0 });
}
