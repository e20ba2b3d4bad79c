using DiffOp.Control.OptimalControl;
using DiffOp.Control.OptimalControl.Samples;
using DiffOp.Environments.Common;

namespace DiffOp.Cli;

/// <summary>A named OCP with the θ, x_init and context the CLI solves it at.</summary>
internal sealed record OcpCase(string Name, Ocp Ocp, double[] Theta, double[] InitialState, double[] Context);

/// <summary>How the CLI picks θ for an environment's policy: the true values or the training start.</summary>
internal enum ThetaChoice
{
    /// <summary>θ = true values: the policy OCP is the true optimal control problem.</summary>
    True,
    /// <summary>θ = the training start (true + U(−σ0/2, σ0/2), seed 0).</summary>
    Init,
}

/// <summary>What a command asked for: problem name, optional horizon, setting overrides, θ choice and start state.</summary>
internal sealed record ProblemRequest(string Name, int? Horizon, IReadOnlyList<string> Overrides, ThetaChoice Theta, double[]? InitialState);

/// <summary>The optimal control problems the CLI knows by name: the LQR samples and every environment's policy OCP.</summary>
internal static class ProblemCatalog
{
    public static readonly string[] SampleNames = ["lqr", "boxlqr"];

    public static IReadOnlyList<string> OcpNames => [.. SampleNames, .. EnvironmentCatalog.Names];

    public static OcpCase Create(ProblemRequest request)
    {
        if (SampleNames.Contains(request.Name))
        {
            if (request.Overrides.Count > 0)
                throw new ArgumentException($"'{request.Name}' has no settings; --set applies to the environments ({string.Join(", ", EnvironmentCatalog.Names)}).");
            int h = request.Horizon ?? 8;
            ProblemLimits.CheckHorizon(request.Name, h, stateCount: 3, controlCount: 2);
            var ocp = request.Name == "lqr" ? LqrSamples.Lqr(h) : LqrSamples.BoxLqr(h);
            var x0 = request.InitialState ?? (double[])LqrSamples.InitialState.Clone();
            return new OcpCase(request.Name, ocp, ocp.InitialParameters(), CheckState(x0, ocp.StateCount), ocp.DefaultContext());
        }
        var model = EnvironmentCatalog.CreatePolicyModel(request.Name, request.Overrides);
        var theta = request.Theta == ThetaChoice.True ? model.TrueTheta() : model.InitialTheta(0);
        var policy = ProblemLimits.Build(model, request.Horizon ?? model.StepHorizon, theta);
        var start = request.InitialState ?? model.InitialStates[0].ToArray();
        return new OcpCase(request.Name, policy, theta, CheckState(start, policy.StateCount), policy.DefaultContext());
    }

    private static double[] CheckState(double[] x0, int n) =>
        x0.Length == n ? x0 : throw new ArgumentException($"--x0 has {x0.Length} values; the problem has {n} states.");
}
