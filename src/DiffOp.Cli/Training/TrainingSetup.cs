using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Learning;
using DiffOp.Learning.Exploration;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>Builds the pieces of a run from its <see cref="RunConfig"/>: the policy model, the OCP, workers.</summary>
internal sealed class TrainingSetup
{
    public TrainingSetup(RunConfig config)
    {
        Config = config;
        Model = EnvironmentCatalog.CreatePolicyModel(config.Environment, config.Settings);
        if (config.Horizon != HorizonFor(Model, config.Mode))
            throw new InvalidDataException(
                $"The run configuration says horizon {config.Horizon}, but {config.Mode} mode of this {config.Environment} model plans over {HorizonFor(Model, config.Mode)} " +
                "(Step: the settings' H; Traj: the episode length T): config.json was edited or is damaged; start a new run with --out.");
        Theta0 = config.InitialTheta == "true" ? Model.TrueTheta() : Model.InitialTheta(SeedSequence.Parameters(config.Seed));
        Ocp = ProblemLimits.Build(Model, config.Horizon, Theta0);
        SolverOptions.ValidateFor(Ocp);   // --solver structured on a task whose OCP is not a QP: a usage error before any file or worker
    }

    public RunConfig Config { get; }
    public IPolicyModel Model { get; }
    public double[] Theta0 { get; }
    public Ocp Ocp { get; }

    /// <summary>The horizon a mode uses: the environment's Step horizon, or T for Traj.</summary>
    public static int HorizonFor(IPolicyModel model, PolicyMode mode) => mode == PolicyMode.Step ? model.StepHorizon : model.EpisodeLength;

    /// <summary>
    /// The policy's solver settings for a run with <paramref name="solver"/> (config.json's <c>solver</c>, <c>--solver</c>).
    /// Policy solves during training give up after 200 Ipopt iterations (a converging solve here needs 5–30): a
    /// θ far from sensible makes some solves fail, and failing fast drops that rollout instead of stalling the run.
    /// </summary>
    public static OcpSolverOptions PolicySolverOptions(OcpSolverChoice solver) => new() { MaxIterations = 200, Solver = solver };

    /// <summary>This run's policy solver settings.</summary>
    public OcpSolverOptions SolverOptions => PolicySolverOptions(Config.Solver);

    public RolloutWorker CreateWorker()
    {
        IEnvironment environment = EnvironmentCatalog.CreateSimulator(Config.Environment, Config.Settings);
        var policy = new OptimizationPolicy(Ocp, Config.Mode, SolverOptions);
        return new RolloutWorker(environment, policy, new TruncatedGaussianExploration(Config.Sigma, Config.Beta));
    }

    /// <summary>
    /// The executor for <paramref name="workers"/> worker processes or <paramref name="threads"/> threads of this process
    /// (at most one of them above 1); one of each: the sequential executor. θ does not depend on the choice.
    /// </summary>
    public IRolloutExecutor CreateExecutor(int workers, int threads = 1) =>
        threads > 1 ? new ThreadRolloutExecutor(CreateWorker, threads)
        : workers <= 1 ? new SequentialRolloutExecutor(CreateWorker())
        : new CliWorkerPool(Config, workers);
}
