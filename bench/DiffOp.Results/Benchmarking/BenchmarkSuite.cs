using DiffOp.Cli;
using DiffOp.Control.OptimalControl;
using DiffOp.Control.Sensitivity;
using DiffOp.Environments.Common;
using DiffOp.Learning.Policies;

namespace DiffOp.Results.Benchmarking;

/// <summary>
/// The cases of <c>diffop-results bench</c> (<c>./build.sh timings</c>): forward solve and backward (dense, structured Jacobian, structured VJP) for every
/// environment at the paper's Step horizon and at H = T (Traj), plus a horizon sweep on the voltage OCP. Each case
/// solves the policy OCP with θ = true from the environment's first initial state, cold-started, with
/// <paramref name="solver"/>; with <see cref="OcpSolverChoice.Auto"/> a convex-QP OCP's Step and Traj cases are also solved
/// by Ipopt (phase <c>forward_ipopt</c>), so that the structured solver's speed-up is measured in the same run.
/// </summary>
internal sealed class BenchmarkSuite(bool quick, OcpSolverChoice solver = OcpSolverChoice.Auto)
{
    /// <summary>Dense KKT solves are cubic: skip them above this many unknowns.</summary>
    private const int DenseLimit = 1500;

    private int MinRepetitions => quick ? 3 : 20;
    private TimeSpan Budget => TimeSpan.FromSeconds(quick ? 0.3 : 2.0);

    public IEnumerable<BenchmarkRow> Run(IReadOnlyList<string> environments, IReadOnlyList<int> sweep)
    {
        foreach (string env in environments)
        {
            var model = EnvironmentCatalog.CreatePolicyModel(env, []);
            foreach (var row in Case($"{env}-step", model, model.StepHorizon, compareIpopt: true)) yield return row;
            foreach (var row in Case($"{env}-traj", model, model.EpisodeLength, compareIpopt: true)) yield return row;
        }
        if (sweep.Count > 0)
        {
            var voltage = EnvironmentCatalog.CreatePolicyModel("voltage", []);
            foreach (int h in sweep)
                foreach (var row in Case("voltage-sweep", voltage, h)) yield return row;
        }
    }

    private IEnumerable<BenchmarkRow> Case(string name, IPolicyModel model, int horizon, bool compareIpopt = false)
    {
        var theta = model.TrueTheta();
        var ocp = ProblemLimits.Build(model, horizon, theta);
        var x0 = model.InitialStates[0].ToArray();
        var context = ocp.DefaultContext();
        using var policySolver = new OcpSolver(ocp, new OcpSolverOptions { Solver = solver });
        var solution = policySolver.Solve(theta, x0, context).EnsureSuccess();
        yield return Row(name, model.Name, horizon, "forward", () => policySolver.Solve(theta, x0, context)) with
        {
            IpoptIterations = solution.Method == OcpSolveMethod.Ipopt ? solution.Iterations : null, Method = solution.Method.ToString(),
        };
        if (compareIpopt && solver == OcpSolverChoice.Auto && solution.Method != OcpSolveMethod.Ipopt)
        {
            using var ipopt = new OcpSolver(ocp, new OcpSolverOptions { Solver = OcpSolverChoice.Ipopt });
            var reference = ipopt.Solve(theta, x0, context).EnsureSuccess();
            yield return Row(name, model.Name, horizon, "forward_ipopt", () => ipopt.Solve(theta, x0, context)) with
            {
                IpoptIterations = reference.Iterations, Method = reference.Method.ToString(),
            };
        }

        var v = new double[ocp.Layout.VariableCount];
        for (int j = 0; j < ocp.ControlCount; j++) v[ocp.Layout.ControlOffset(0) + j] = 1.0;   // ∂(Σ u₀)/∂θ: the policy's need
        if (ocp.Layout.VariableCount + ocp.Layout.RowCount <= DenseLimit)
        {
            var dense = new DenseSensitivity(ocp);
            yield return Row(name, model.Name, horizon, "backward_dense", () => dense.Jacobian(solution));
        }
        var structured = new StructuredSensitivity(ocp);
        yield return Row(name, model.Name, horizon, "backward_structured", () => structured.Jacobian(solution));
        var gradient = new double[ocp.ParameterCount + ocp.StateCount];
        yield return Row(name, model.Name, horizon, "backward_vjp", () => structured.VectorJacobianProduct(solution, v, gradient));   // training's allocation-free overload
    }

    private BenchmarkRow Row(string name, string env, int horizon, string phase, Action action)
    {
        var (median, p90, bytes, reps) = PhaseTimer.Measure(action, MinRepetitions, Budget);
        return new BenchmarkRow(name, env, horizon, phase, median, p90, bytes, reps);
    }
}
