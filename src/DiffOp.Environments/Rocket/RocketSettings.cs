using DiffOp.Environments.Common;

namespace DiffOp.Environments.Rocket;

/// <summary>
/// Rocket-landing settings with this project's DiffOP defaults (docs/environments.md; the physics and weights of the
/// published rocket demonstration): Jx, Jy, Jz, m, l = 0.5, 1, 1, 1, 1 (g = 10 fixed); weights wr, wv, wtilt,
/// wsidethrust, ww = 1, 1, 50, 1, 1; wthrust = 0.1; dt = 0.1; T = 40; H = 10; two initial states 10 m up, 8 m and 5 m
/// off the pad, tilted by 1 rad (falling at 0.5 m/s) or yawed by 1.5 rad (falling at 0.1 m/s); unbounded; σ0 = 0.4.
/// <c>u_max</c> bounds the thrust magnitude |T|; <c>x_max</c> bounds the rotation from upright (radians).
/// </summary>
public sealed record RocketSettings : ControlTaskSettings
{
    /// <summary>The command-line name, "rocket".</summary>
    public const string Name = "rocket";

    /// <summary>Gravity g = 10 m/s², along −x (§0).</summary>
    public const double Gravity = 10.0;

    private static readonly IReadOnlyList<string> ParameterNames = Array.AsReadOnly(new[] { "Jx", "Jy", "Jz", "m", "l" });
    private static readonly IReadOnlyList<string> WeightNames = Array.AsReadOnly(new[] { "wr", "wv", "wtilt", "wsidethrust", "ww" });

    /// <summary>Creates the defaults.</summary>
    public RocketSettings()
    {
        TimeStep = 0.1;
        EpisodeLength = 40;
        Horizon = 10;
        InitialStates =
        [
            State([10, -8, 5], [-0.5, 0, 0], Quaternion(1.0, 0, 1, -1)),
            State([10, -8, 5], [-0.1, 0, 0], Quaternion(1.5, 0, 0, 1)),
        ];
        PhysicalParameters = Array.AsReadOnly(new[] { 0.5, 1.0, 1.0, 1.0, 1.0 });
        CostWeights = Array.AsReadOnly(new[] { 1.0, 1.0, 50.0, 1.0, 1.0 });
        ControlWeight = 0.1;
        InitialSpread = 0.4;
    }

    /// <summary>
    /// The constrained variant (the published constrained planning setting): |T| ≤ 20, rotation from upright ≤ 0.3 rad,
    /// wr = 10, wthrust = 0.4, upright start r = [10, −8, 5], v = [−0.1, 0, 0]; other values as the defaults.
    /// </summary>
    public static RocketSettings Constrained { get; } = new()
    {
        ControlLimit = 20.0,
        StateLimit = 0.3,
        CostWeights = Array.AsReadOnly(new[] { 10.0, 1.0, 50.0, 1.0, 1.0 }),
        ControlWeight = 0.4,
        InitialStates = [State([10, -8, 5], [-0.1, 0, 0], [1, 0, 0, 0])],
    };

    /// <inheritdoc/>
    public override string EnvironmentName => Name;

    /// <inheritdoc/>
    public override int StateCount => 13;

    /// <inheritdoc/>
    public override int ControlCount => 3;

    /// <inheritdoc/>
    public override IReadOnlyList<string> PhysicalParameterNames => ParameterNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> CostWeightNames => WeightNames;

    /// <inheritdoc/>
    public override IReadOnlyList<double> FixedConstants => [Gravity];

    /// <inheritdoc/>
    public override string StateLimitMeaning => "largest rotation angle from upright, in radians";

    /// <summary>[cos(a/2), sin(a/2)·axis/|axis|] (scalar first, Hamilton).</summary>
    private static double[] Quaternion(double angle, double x, double y, double z)
    {
        double norm = Math.Sqrt((x * x) + (y * y) + (z * z)), s = Math.Sin(angle / 2) / norm;
        return [Math.Cos(angle / 2), s * x, s * y, s * z];
    }

    private static IReadOnlyList<double> State(double[] position, double[] velocity, double[] attitude) =>
        Array.AsReadOnly<double>([.. position, .. velocity, .. attitude, 0, 0, 0]);
}
