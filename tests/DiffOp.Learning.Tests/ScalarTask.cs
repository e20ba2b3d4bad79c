using DiffOp.Control.OptimalControl;
using DiffOp.Symbolic;

namespace DiffOp.Learning.Tests;

/// <summary>
/// A scalar integrator x' = x + u with true stage cost (x' − 1)² (+ ½·0.1u² when <c>controlWeight</c> is set),
/// episode length T, start x₀ (fixed, or drawn from the seed). Its policy OCP learns the target g and the weight r:
/// min Σ ½ r u² + ½ (x_{t+1} − g)², θ = (r, g).
/// </summary>
internal sealed class ScalarEnvironment(int episodeLength, double? fixedStart = 0.5, double controlWeight = 0.0) : IEnvironment
{
    private double _x;

    public string Name => "scalar";
    public int StateCount => 1;
    public int ControlCount => 1;
    public int EpisodeLength => episodeLength;
    public int Resets { get; private set; }

    public void Reset(int seed, Span<double> state)
    {
        _x = fixedStart ?? new Random(seed).NextDouble() * 2 - 1;
        state[0] = _x;
        Resets++;
    }

    public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
    {
        _x += control[0];
        nextState[0] = _x;
        return new StepResult((_x - 1) * (_x - 1) + 0.5 * controlWeight * control[0] * control[0], Done: false, Failed: false);
    }
}

internal static class ScalarPolicy
{
    /// <summary>
    /// The policy OCP with horizon H: stage ½ r u² + ½ (x − g)² on x₁..x_H (the x₀ term is constant). With
    /// <paramref name="rScale"/> ≠ 1 the first parameter is r/rScale (the OCP uses rScale·θ₀): the same policy class in
    /// other units, for invariance tests.
    /// </summary>
    public static Ocp Build(int horizon, double r = 1.0, double g = 0.0, double rScale = 1.0)
    {
        var b = new OcpBuilder("scalar_policy", 1, 1, horizon);
        var th = b.AddParameter("theta", [r / rScale, g]);
        b.SetDynamics(new SxVector(b.State[0] + b.Control[0]));
        b.SetStageCost(0.5 * (rScale * th[0]) * Sx.Sqr(b.Control[0]) + 0.5 * Sx.Sqr(b.State[0] - th[1]));
        b.SetTerminalCost(0.5 * Sx.Sqr(b.State[0] - th[1]));
        return b.Build();
    }
}
