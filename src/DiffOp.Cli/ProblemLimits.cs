using System.Globalization;
using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;

namespace DiffOp.Cli;

/// <summary>
/// An explicit bound on the size of the OCPs the CLI builds, checked before anything is allocated: memory and time grow
/// with the horizon, and a mistyped horizon (10⁹) must be a clear error, not minutes of swapping. The bound counts the
/// NLP's unknowns H·(n + m) + n; DIFFOP_MAX_UNKNOWNS raises (or lowers) it.
/// </summary>
internal static class ProblemLimits
{
    /// <summary>Environment variable that overrides <see cref="DefaultMaxUnknowns"/>.</summary>
    public const string Variable = "DIFFOP_MAX_UNKNOWNS";

    /// <summary>Default bound on H·(n + m) + n: far above every built-in task (the largest, quadrotor Traj H = 50, has 863).</summary>
    public const long DefaultMaxUnknowns = 200_000;

    /// <summary>The bound in force.</summary>
    /// <exception cref="ArgumentException">DIFFOP_MAX_UNKNOWNS is set but not a positive whole number.</exception>
    public static long MaxUnknowns
    {
        get
        {
            string? text = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(text)) return DefaultMaxUnknowns;
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value > 0
                ? value
                : throw new ArgumentException($"{Variable} must be a positive whole number (a bound on the OCP's unknowns), got '{text}'.");
        }
    }

    /// <summary>Throws a clear <see cref="ArgumentException"/> when an OCP with this horizon would exceed the bound.</summary>
    public static void CheckHorizon(string problem, int horizon, int stateCount, int controlCount)
    {
        long unknowns = ((long)horizon * (stateCount + controlCount)) + stateCount;
        long limit = MaxUnknowns;
        if (unknowns > limit)
            throw new ArgumentException(
                $"{problem} with horizon H = {horizon:N0} has {unknowns:N0} unknowns ({stateCount} states and {controlCount} controls per stage), " +
                $"more than the limit of {limit:N0}: use a shorter horizon (--horizon, or --set H=/T=), or raise the limit with {Variable}=N " +
                "if this machine has the memory for it.");
    }

    /// <summary><paramref name="model"/>'s OCP, after <see cref="CheckHorizon"/>.</summary>
    public static Ocp Build(IPolicyModel model, int horizon, IReadOnlyList<double> theta)
    {
        CheckHorizon(model.Name, horizon, model.StateCount, model.ControlCount);
        return model.BuildOcp(horizon, theta);
    }
}
