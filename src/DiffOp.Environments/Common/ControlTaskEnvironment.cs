using DiffOp.Learning;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Common;

/// <summary>
/// The true system of a control task (docs/environments.md): Euler steps x_{k+1} = x_k + dt·f(x_k, u_k) of
/// <typeparamref name="TEquations"/> with the true parameters, in plain double arithmetic (T = <see cref="Real"/>).
/// </summary>
/// <typeparam name="TEquations">The task's generic equations.</typeparam>
/// <remarks>
/// <para>Cost: step k reports the true stage cost c(x_k, u_k) with the true weights; the last step of the episode
/// (k = T − 1) adds the terminal cost h(x_T) with the same weights, so the costs of one episode sum to
/// Σ_{k&lt;T} c(x_k, u_k) + h(x_T), the true cost of §5. Controls are applied as given (the known bounds are the
/// policy's, not clipped here).</para>
/// <para>If the next state is not finite, the step reports <see cref="StepResult.Failed"/> with
/// <see cref="ControlTaskSettings.FailureCost"/> and ends the episode. <see cref="Step"/> does not allocate.</para>
/// <para>Not thread-safe: use one instance per rollout worker.</para>
/// </remarks>
public abstract class ControlTaskEnvironment<TEquations> : IControlTaskEnvironment
    where TEquations : IControlTaskEquations
{
    private readonly Real[] _physical;
    private readonly Real[] _weights;
    private readonly double[] _state;
    private int _stepIndex = -1;

    /// <summary>Creates the simulator; the settings are validated.</summary>
    /// <param name="settings">True system settings.</param>
    /// <exception cref="ArgumentException">The settings are invalid or do not match the equations' dimensions.</exception>
    protected ControlTaskEnvironment(ControlTaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.StateCount != TEquations.StateCount || settings.ControlCount != TEquations.ControlCount)
        {
            throw new ArgumentException(
                $"Settings of '{settings.EnvironmentName}' have n = {settings.StateCount}, m = {settings.ControlCount}; the equations have n = {TEquations.StateCount}, m = {TEquations.ControlCount}.",
                nameof(settings));
        }

        Settings = settings;
        _physical = [.. settings.PhysicalParameters.Concat(settings.FixedConstants).Select(v => new Real(v))];
        _weights = [.. settings.CostWeights.Select(v => new Real(v))];
        _state = new double[TEquations.StateCount];
    }

    /// <summary>The settings of the true system.</summary>
    public ControlTaskSettings Settings { get; }

    /// <inheritdoc/>
    public string Name => Settings.EnvironmentName;

    /// <inheritdoc/>
    public int StateCount => TEquations.StateCount;

    /// <inheritdoc/>
    public int ControlCount => TEquations.ControlCount;

    /// <inheritdoc/>
    public int EpisodeLength => Settings.EpisodeLength;

    /// <summary>Time step dt.</summary>
    public double TimeStep => Settings.TimeStep;

    /// <summary>The current state x_k.</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>The index k of the next step (0 after a reset); −1 before the first reset.</summary>
    public int StepIndex => _stepIndex;

    /// <summary>
    /// Starts an episode from an initial state drawn uniformly from <see cref="ControlTaskSettings.InitialStates"/>
    /// with a <see cref="Random"/> seeded by <paramref name="seed"/> (a single configured x0 is always chosen).
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <param name="state">Receives x0 (length n).</param>
    public void Reset(int seed, Span<double> state)
    {
        var initialStates = Settings.InitialStates;
        int index = initialStates.Count == 1 ? 0 : new Random(seed).Next(initialStates.Count);
        double[] x0 = [.. initialStates[index]];
        Reset(x0, state);
    }

    /// <summary>Starts an episode from the given initial state.</summary>
    /// <param name="initialState">x0 (length n, finite).</param>
    /// <param name="state">Receives x0 (length n).</param>
    /// <exception cref="ArgumentException">Wrong length or a non-finite entry.</exception>
    public void Reset(ReadOnlySpan<double> initialState, Span<double> state)
    {
        CheckLength(initialState.Length, StateCount, nameof(initialState), "initial state");
        CheckLength(state.Length, StateCount, nameof(state), "state output");
        for (int i = 0; i < initialState.Length; i++)
        {
            if (!double.IsFinite(initialState[i]))
            {
                throw new ArgumentException($"{Name}: initial state entry {i} is not finite ({initialState[i]}).", nameof(initialState));
            }
        }

        initialState.CopyTo(_state);
        _state.CopyTo(state);
        _stepIndex = 0;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The episode has not been reset or has already ended.</exception>
    /// <exception cref="ArgumentException">Wrong lengths or a non-finite control.</exception>
    public StepResult Step(ReadOnlySpan<double> control, Span<double> nextState)
    {
        if (_stepIndex < 0 || _stepIndex >= EpisodeLength)
        {
            throw new InvalidOperationException(_stepIndex < 0
                ? $"{Name}: call Reset before Step."
                : $"{Name}: the episode ended after {EpisodeLength} steps; call Reset to start another.");
        }

        CheckLength(control.Length, ControlCount, nameof(control), "control");
        CheckLength(nextState.Length, StateCount, nameof(nextState), "next-state output");
        for (int i = 0; i < control.Length; i++)
        {
            if (!double.IsFinite(control[i]))
            {
                throw new ArgumentException($"{Name}: control entry {i} is not finite ({control[i]}).", nameof(control));
            }
        }

        ReadOnlySpan<Real> x = Real.AsReals((ReadOnlySpan<double>)_state);
        ReadOnlySpan<Real> u = Real.AsReals(control);
        Span<Real> next = Real.AsReals(nextState);
        double cost = TEquations.StageCost(x, u, _weights, new Real(Settings.ControlWeight)).Value;
        TEquations.Derivative(x, u, _physical, next);
        ExplicitEuler.Advance(x, new Real(Settings.TimeStep), next);
        _stepIndex++;
        bool done = _stepIndex == EpisodeLength;
        if (done)
        {
            cost += TEquations.TerminalCost((ReadOnlySpan<Real>)next, _weights).Value;
        }

        nextState.CopyTo(_state);
        if (!IsFinite(nextState) || !double.IsFinite(cost))
        {
            _stepIndex = EpisodeLength;
            return new StepResult(Settings.FailureCost, Done: true, Failed: true);
        }

        return new StepResult(cost, done, Failed: false);
    }

    /// <summary>The true stage cost c(x, u) with the true weights.</summary>
    /// <param name="state">x (length n).</param>
    /// <param name="control">u (length m).</param>
    /// <returns>c(x, u).</returns>
    public double StageCost(ReadOnlySpan<double> state, ReadOnlySpan<double> control)
    {
        CheckLength(state.Length, StateCount, nameof(state), "state");
        CheckLength(control.Length, ControlCount, nameof(control), "control");
        return TEquations.StageCost(Real.AsReals(state), Real.AsReals(control), _weights, new Real(Settings.ControlWeight)).Value;
    }

    /// <summary>The true terminal cost h(x) with the true weights.</summary>
    /// <param name="state">x (length n).</param>
    /// <returns>h(x).</returns>
    public double TerminalCost(ReadOnlySpan<double> state)
    {
        CheckLength(state.Length, StateCount, nameof(state), "state");
        return TEquations.TerminalCost(Real.AsReals(state), _weights).Value;
    }

    /// <summary>The true cost Σ_{k&lt;K} c(x_k, u_k) + h(x_K) of a trajectory of K controls and K + 1 states.</summary>
    /// <param name="states">x_0..x_K concatenated ((K + 1)·n values).</param>
    /// <param name="controls">u_0..u_{K−1} concatenated (K·m values).</param>
    /// <returns>The true cost.</returns>
    /// <exception cref="ArgumentException">The lengths do not describe one trajectory.</exception>
    public double TrajectoryCost(ReadOnlySpan<double> states, ReadOnlySpan<double> controls)
    {
        int n = StateCount, m = ControlCount;
        if (controls.Length % m != 0 || states.Length != (controls.Length / m + 1) * n)
        {
            throw new ArgumentException(
                $"{Name}: a trajectory of K controls needs K·{m} control values and (K + 1)·{n} state values; got {controls.Length} and {states.Length}.");
        }

        int steps = controls.Length / m;
        double total = 0;
        for (int k = 0; k < steps; k++)
        {
            total += StageCost(states.Slice(k * n, n), controls.Slice(k * m, m));
        }

        return total + TerminalCost(states.Slice(steps * n, n));
    }

    /// <summary>One Euler step of the true system without touching the episode: x_{k+1} from (x_k, u_k).</summary>
    /// <param name="state">x_k (length n).</param>
    /// <param name="control">u_k (length m).</param>
    /// <param name="nextState">Receives x_{k+1} (length n; must not overlap <paramref name="state"/>).</param>
    public void Predict(ReadOnlySpan<double> state, ReadOnlySpan<double> control, Span<double> nextState)
    {
        CheckLength(state.Length, StateCount, nameof(state), "state");
        CheckLength(control.Length, ControlCount, nameof(control), "control");
        CheckLength(nextState.Length, StateCount, nameof(nextState), "next-state output");
        Span<Real> next = Real.AsReals(nextState);
        TEquations.Derivative(Real.AsReals(state), Real.AsReals(control), _physical, next);
        ExplicitEuler.Advance(Real.AsReals(state), new Real(Settings.TimeStep), next);
    }

    private static bool IsFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private void CheckLength(int actual, int expected, string parameterName, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{Name}: the {what} needs length {expected}; got {actual}.", parameterName);
        }
    }
}
