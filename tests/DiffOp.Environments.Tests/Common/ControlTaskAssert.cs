using DiffOp.Control.Nlp;
using DiffOp.Control.Ocp;
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
    /// equals the simulator's true cost Σ c(x_t, u_t) + h(x_H) of the returned trajectory (cost-form check); and a
    /// simulator rollout of the returned controls (episode length H) reproduces the states and sums to the objective.
    /// </summary>
    public static OcpSolution SolvesTrueProblem(ControlTaskSettings settings, int horizon, IReadOnlyList<double> initialState)
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
        Assert.That(solution.Objective, Is.EqualTo(trueCost).Within(1e-9 * (1 + Math.Abs(trueCost))), $"objective vs true cost, {where}");

        var x = new double[n];
        simulator.Reset(0, x);
        Assert.That(x, Is.EqualTo(initialState).AsCollection, where);
        double rolloutCost = 0;
        for (int t = 0; t < horizon; t++)
        {
            var step = simulator.Step(controls.AsSpan(t * m, m), x);
            rolloutCost += step.Cost;
            Assert.That(step.Done, Is.EqualTo(t == horizon - 1), $"done at step {t}, {where}");
            Assert.That(step.Failed, Is.False, where);
            for (int i = 0; i < n; i++)
            {
                double expected = states[(t + 1) * n + i];
                Assert.That(x[i], Is.EqualTo(expected).Within(1e-6 * (1 + Math.Abs(expected))), $"rollout x[{t + 1}][{i}], {where}");
            }
        }

        Assert.That(rolloutCost, Is.EqualTo(solution.Objective).Within(1e-6 * (1 + Math.Abs(solution.Objective))), $"rollout cost, {where}");
        return solution;
    }
}
