using DiffOp.Environments.Common;

namespace DiffOp.Environments.CartPole;

/// <summary>
/// Cart-pole settings with the DiffOP benchmark defaults of docs/environments.md: mc, mp, l = 0.5, 0.5, 1 (g = 10);
/// weights wx, wq, wdx, wdq = 1, 6, 1, 1; wu = 0.1; dt = 0.1; T = 30; H = 6; x0 ∈ {[0, θ0, 0, 0] : θ0 ∈ {0, −0.5,
/// −0.25, 0.25, 0.5}}; no bounds; σ0 = 0.9. <c>u_max</c> bounds |F|, <c>x_max</c> bounds the cart position |p|.
/// </summary>
public sealed record CartPoleSettings : ControlTaskSettings
{
    /// <summary>The command-line name, "cartpole".</summary>
    public const string Name = "cartpole";

    /// <summary>Gravity g = 10 m/s² (§0).</summary>
    public const double Gravity = 10.0;

    private static readonly IReadOnlyList<string> ParameterNames = Array.AsReadOnly(new[] { "mc", "mp", "l" });
    private static readonly IReadOnlyList<string> WeightNames = Array.AsReadOnly(new[] { "wx", "wq", "wdx", "wdq" });
    private static readonly IReadOnlyList<double> Constants = Array.AsReadOnly(new[] { Gravity });

    /// <summary>Creates the §5 defaults.</summary>
    public CartPoleSettings()
    {
        TimeStep = 0.1;
        EpisodeLength = 30;
        Horizon = 6;
        InitialStates = Array.AsReadOnly(new[] { 0.0, -0.5, -0.25, 0.25, 0.5 }
            .Select(angle => (IReadOnlyList<double>)Array.AsReadOnly(new[] { 0.0, angle, 0.0, 0.0 })).ToArray());
        PhysicalParameters = Array.AsReadOnly(new[] { 0.5, 0.5, 1.0 });
        CostWeights = Array.AsReadOnly(new[] { 1.0, 6.0, 1.0, 1.0 });
        ControlWeight = 0.1;
        InitialSpread = 0.9;
    }

    /// <summary>
    /// The constrained variant of §5 (Safe-PDP demo setting): |F| ≤ 5, |p| ≤ 0.8, dt 0.1, T 35, weights 0.1, 1, 0.1, 0.1,
    /// wu 0.1, x0 = 0; other values as the defaults.
    /// </summary>
    public static CartPoleSettings Constrained { get; } = new()
    {
        ControlLimit = 5.0,
        StateLimit = 0.8,
        TimeStep = 0.1,
        EpisodeLength = 35,
        CostWeights = Array.AsReadOnly(new[] { 0.1, 1.0, 0.1, 0.1 }),
        ControlWeight = 0.1,
        InitialStates = [Array.AsReadOnly(new[] { 0.0, 0.0, 0.0, 0.0 })],
    };

    /// <inheritdoc/>
    public override string EnvironmentName => Name;

    /// <inheritdoc/>
    public override int StateCount => 4;

    /// <inheritdoc/>
    public override int ControlCount => 1;

    /// <inheritdoc/>
    public override IReadOnlyList<string> PhysicalParameterNames => ParameterNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> CostWeightNames => WeightNames;

    /// <inheritdoc/>
    public override IReadOnlyList<double> FixedConstants => Constants;

    /// <inheritdoc/>
    public override string StateLimitMeaning => "bound on the cart position |p|";
}
