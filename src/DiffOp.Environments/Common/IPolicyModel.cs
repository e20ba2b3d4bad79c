using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Environments.Common;

/// <summary>
/// The model side of an environment: builds the parameterized optimal control problem a policy solves
/// (docs/environments-voltage.md) and knows the policy parameters θ it starts from.
/// </summary>
public interface IPolicyModel
{
    /// <summary>The environment's command-line name.</summary>
    string Name { get; }

    /// <summary>State dimension n.</summary>
    int StateCount { get; }

    /// <summary>Control dimension m.</summary>
    int ControlCount { get; }

    /// <summary>Horizon H of Step mode.</summary>
    int StepHorizon { get; }

    /// <summary>Episode length T (the horizon of Traj mode).</summary>
    int EpisodeLength { get; }

    /// <summary>The default initial states (the first one is what <c>diffop solve</c> uses).</summary>
    IReadOnlyList<IReadOnlyList<double>> InitialStates { get; }

    /// <summary>Names of the θ blocks, in the order they are concatenated.</summary>
    IReadOnlyList<string> ParameterBlockNames { get; }

    /// <summary>The true θ (<c>--theta true</c>): with it the policy OCP is the true optimal control problem.</summary>
    /// <returns>A new array.</returns>
    double[] TrueTheta();

    /// <summary>The initial θ of training, drawn from <paramref name="seed"/> (the same seed gives the same θ).</summary>
    /// <param name="seed">The run's seed.</param>
    /// <returns>A new array.</returns>
    double[] InitialTheta(int seed);

    /// <summary>
    /// Lower bounds on θ that keep the model meaningful (masses, lengths and inertias positive, cost weights
    /// non-negative); −∞ where an entry is unbounded. Training projects θ onto them after every update.
    /// </summary>
    /// <returns>A new array of θ's length.</returns>
    double[] ParameterLowerBounds();

    /// <summary>
    /// A useful exploration standard deviation σ for this task, in the units of its controls: small against the
    /// control range, large enough that the cost responds. The recommended training recipe explores with it and
    /// takes its steps in the same units.
    /// </summary>
    double ExplorationScale { get; }

    /// <summary>The recommended recipe's Adam step size η, in θ's units (the largest that stayed stable in measurements).</summary>
    double RecommendedLearningRate { get; }

    /// <summary>
    /// The default recipe for this task in <paramref name="mode"/> (what <c>diffop train</c> uses without <c>--recipe paper</c>):
    /// by default <see cref="TrainingOptions.Recommended"/> with <see cref="ExplorationScale"/> and
    /// <see cref="RecommendedLearningRate"/>; a task overrides it where another recipe measured better.
    /// </summary>
    TrainingOptions RecommendedOptions(PolicyMode mode) => TrainingOptions.Recommended(mode, ExplorationScale, RecommendedLearningRate);

    /// <summary>Builds the policy OCP with horizon <paramref name="horizon"/> whose parameter blocks start at <paramref name="theta"/>.</summary>
    /// <param name="horizon">H (number of control steps).</param>
    /// <param name="theta">Initial θ, the blocks of <see cref="ParameterBlockNames"/> concatenated.</param>
    /// <returns>The compiled OCP.</returns>
    /// <exception cref="ArgumentException">θ has the wrong length or a non-finite entry, or the horizon is below 1.</exception>
    Ocp BuildOcp(int horizon, IReadOnlyList<double> theta);
}
