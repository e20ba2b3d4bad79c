using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Tests.Common;

/// <summary>Shared checks of the control-task tests: the compiled model step, vector comparison and OCP solve checks.</summary>
internal static class ControlTaskAssert
{
    /// <summary>Compiles the policy OCP's discrete dynamics x_{t+1} = f(x_t, u_t; θ) as a <see cref="Function"/> (x, u, θ) → next.</summary>
    public static Function CompileModelStep(Ocp ocp)
    {
        var d = ocp.Definition;
        return new Function($"{ocp.Name}_model_step",
            [("x", d.State), ("u", d.Control), ("theta", d.Theta)],
            [("next", SxSparseMatrix.FromVector(d.Dynamics))]);
    }

    /// <summary>Asserts actual[offset + i] = expected[i] within <paramref name="tolerance"/>.</summary>
    public static void Slice(ReadOnlySpan<double> actual, int offset, double[] expected, double tolerance, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(actual[offset + i], Is.EqualTo(expected[i]).Within(tolerance), $"{what}[{i}]");
        }
    }

    /// <summary>
    /// Solves the model's OCP with θ = true values from the zero cold start and checks: status Solved; the objective
    /// equals the simulator's true cost Σ c(x_t, u_t) + h(x_H) of the returned trajectory (cost-form check); and every
    /// returned state is the simulator's Euler step from the previous state and control.
    /// </summary>
    /// <param name="settings">The task settings (true values).</param>
    /// <param name="horizon">H.</param>
    /// <param name="initialState">x0.</param>
    /// <param name="objectiveTolerance">
    /// Relative tolerance of objective = true cost. 1e-9 without bounds. With variable bounds Ipopt moves the final x
    /// back inside the original bounds (honor_original_bounds; it relaxes them by ~1e-8 while iterating) after computing
    /// the objective, so the reported objective and f(x) then differ by about gradient × 1e-8 (relative ~2e-9 here).
    /// </param>
    public static OcpSolution SolvesTrueProblem(ControlTaskSettings settings, int horizon, IReadOnlyList<double> initialState, double objectiveTolerance = 1e-9)
    {
        var model = ControlTasks.Model(settings);
        var ocp = model.BuildOcp(horizon, model.TrueTheta());
        var solution = new OcpSolver(ocp).Solve(model.TrueTheta(), initialState.ToArray(), ocp.DefaultContext());
        string where = $"{model.Name}, H = {horizon}, x0 = [{string.Join(", ", initialState)}]";
        Assert.That(solution.Status, Is.EqualTo(NlpStatus.Solved), where);

        int n = model.StateCount, m = model.ControlCount;
        var states = new double[(horizon + 1) * n];
        var controls = new double[horizon * m];
        for (int t = 0; t <= horizon; t++) solution.State(t).CopyTo(states.AsSpan(t * n));
        for (int t = 0; t < horizon; t++) solution.Control(t).CopyTo(controls.AsSpan(t * m));

        var simulator = ControlTasks.Simulator(settings with { EpisodeLength = horizon, InitialStates = [initialState] });
        double trueCost = simulator.TrajectoryCost(states, controls);
        Assert.That(solution.Objective, Is.EqualTo(trueCost).Within(objectiveTolerance * (1 + Math.Abs(trueCost))), $"objective vs true cost, {where}");

        // The returned trajectory follows the simulator's dynamics step by step (the dynamics rows are satisfied to the
        // solver tolerance; an open-loop rollout would amplify that residual along the unstable swing-up).
        var predicted = new double[n];
        for (int t = 0; t < horizon; t++)
        {
            simulator.Predict(states.AsSpan(t * n, n), controls.AsSpan(t * m, m), predicted);
            for (int i = 0; i < n; i++)
            {
                double expected = states[(t + 1) * n + i];
                Assert.That(predicted[i], Is.EqualTo(expected).Within(1e-7 * (1 + Math.Abs(expected))), $"x[{t + 1}][{i}] = f(x[{t}], u[{t}]), {where}");
            }
        }

        return solution;
    }
}
