using DiffOp.Environments.Common;

namespace DiffOp.Environments.Quadrotor;

/// <summary>
/// Quadrotor settings with the DiffOP benchmark defaults of docs/environments.md: Jx, Jy, Jz, m, l = 1, 1, 1, 1, 0.4
/// (c = 0.01 and g = 10 fixed); block weights wr, wv, wq, ww = 1, 1, 5, 1; wthrust = 0.1; dt = 0.1; T = 50; H = 12;
/// r0 ∈ {[−8, −6, 9], [8, 6, 9]} with v = 0, q = [1, 0, 0, 0], ω = 0; no bounds; σ0 = 0.8. <c>u_max</c> bounds every
/// rotor thrust |f_i|; <c>x_max</c> bounds the squared distance |r|² (max_r of §3; 200 ≈ a 14.1 m radius).
/// </summary>
public sealed record QuadrotorSettings : ControlTaskSettings
{
    /// <summary>The command-line name, "quadrotor".</summary>
    public const string Name = "quadrotor";

    /// <summary>Gravity g = 10 m/s² (§0).</summary>
    public const double Gravity = 10.0;

    private static readonly IReadOnlyList<string> ParameterNames = Array.AsReadOnly(new[] { "Jx", "Jy", "Jz", "m", "l" });
    private static readonly IReadOnlyList<string> WeightNames = Array.AsReadOnly(new[] { "wr", "wv", "wq", "ww" });

    /// <summary>Creates the §5 defaults.</summary>
    public QuadrotorSettings()
    {
        TimeStep = 0.1;
        EpisodeLength = 50;
        Horizon = 12;
        InitialStates = [State([-8, -6, 9], [0, 0, 0]), State([8, 6, 9], [0, 0, 0])];
        PhysicalParameters = Array.AsReadOnly(new[] { 1.0, 1.0, 1.0, 1.0, 0.4 });
        CostWeights = Array.AsReadOnly(new[] { 1.0, 1.0, 5.0, 1.0 });
        ControlWeight = 0.1;
        InitialSpread = 0.8;
    }

    /// <summary>
    /// The constrained variant of §5 (Safe-PDP setting): |f_i| ≤ 12, |r|² ≤ 200, dt 0.15, T 25, r0 = [−5, 5, 5],
    /// v0 = [−5, −5, 0]; other values as the defaults.
    /// </summary>
    public static QuadrotorSettings Constrained { get; } = new()
    {
        ControlLimit = 12.0,
        StateLimit = 200.0,
        TimeStep = 0.15,
        EpisodeLength = 25,
        InitialStates = [State([-5, 5, 5], [-5, -5, 0])],
    };

    /// <summary>Yaw-torque (drag) coefficient c; 0.01 in every script (§3). Not learned, not a command-line key.</summary>
    public double YawTorqueCoefficient { get; init; } = 0.01;

    /// <inheritdoc/>
    public override string EnvironmentName => Name;

    /// <inheritdoc/>
    public override int StateCount => 13;

    /// <inheritdoc/>
    public override int ControlCount => 4;

    /// <inheritdoc/>
    public override IReadOnlyList<string> PhysicalParameterNames => ParameterNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> CostWeightNames => WeightNames;

    /// <inheritdoc/>
    public override IReadOnlyList<double> FixedConstants => [YawTorqueCoefficient, Gravity];

    /// <inheritdoc/>
    public override string StateLimitMeaning => "bound on the squared distance |r|^2 from the origin";

    private static IReadOnlyList<double> State(double[] position, double[] velocity) =>
        Array.AsReadOnly<double>([.. position, .. velocity, 1, 0, 0, 0, 0, 0, 0]);
}
