using System.CommandLine;
using System.CommandLine.Parsing;
using DiffOp.Cli.Training;
using DiffOp.Environments.Common;
using DiffOp.Interop.Ipopt;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Commands;

/// <summary>
/// <c>diffop train &lt;env&gt; --mode step|traj --iterations K --rollouts N --sigma s --beta b --lr η --optimizer sgd|adam
/// --seed k --workers w --set k=v … --out DIR</c> (or <c>--resume DIR</c>): DiffOP training (Algorithm 1). DIR gets
/// config.json, params.json (every iteration, atomically), metrics.csv and learning-curve.png.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var environment = new Argument<string?>("environment") { Description = "The environment: " + string.Join(", ", EnvironmentCatalog.Names) + " (omit with --resume).", Arity = ArgumentArity.ZeroOrOne };
        var mode = new Option<string>("--mode") { Description = "step: re-plan every step (Step H); traj: plan once per episode (H = T).", DefaultValueFactory = _ => "step" };
        mode.AcceptOnlyFromAmong("step", "traj");
        var iterations = new Option<int?>("--iterations")
        {
            Description = "K: training iterations (default: the recipe's, 100; voltage's default recipe 80, the paper's 10,000 trajectories; with --resume: the run's own).",
        };
        var rollouts = new Option<int>("--rollouts") { Description = "N: rollouts per iteration (recipe: 10)." };
        var sigma = new Option<double>("--sigma") { Description = "σ of the exploration, in the controls' units (default recipe: the task's exploration scale; paper: 1)." };
        var beta = new Option<string>("--beta") { Description = "β: window half-width w = βσ² ('inf' for an untruncated Gaussian). Default recipe: inf; paper: 0.01." };
        var lr = new Option<double>("--lr") { Description = "η: learning rate (default recipe: the task's recommended Adam step, e.g. 0.02 for voltage; paper: 0.1)." };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd (the paper's), adam (the default recipe's), action-adam (Adam with steps in action units) natural (natural gradient with a trust region) or trust-region (quasi-Newton steps tested on the same rollouts' seeds at the candidate; two batches per iteration)." };
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "natural", "action-adam", "trust-region");
        var estimator = new Option<string>("--estimator") { Description = "reinforce (paper eq. 8), baseline (leave-one-out batch-mean baseline; the default recipe's) or reward-to-go (per-step, with a per-step baseline)." };
        estimator.AcceptOnlyFromAmong("reinforce", "baseline", "reward-to-go");
        var antithetic = new Option<bool>("--antithetic") { Description = "Rollouts in mirrored pairs (+ε, −ε) with a shared start; needs an even --rollouts." };
        var normalize = new Option<bool>("--normalize-truncation") { Description = "Divide the score by the truncated noise's variance instead of σ² (matters for finite β)." };
        var damping = new Option<double>("--damping") { Description = "λ of the natural gradient's damped metric G + λ·diag G.", DefaultValueFactory = _ => DiffOp.Learning.Optimizers.ParameterOptimizer.DefaultDamping };
        var schedule = new Option<string>("--schedule") { Description = "constant η (paper), or cosine: η decays to 5% over the run's iterations (default recipe)." };
        schedule.AcceptOnlyFromAmong("constant", "cosine");
        var exploration = new Option<string>("--exploration") { Description = "full: noise on every action (the paper's); tangent: Gaussian noise only along the directions θ can move the plan (needs --beta inf)." };
        exploration.AcceptOnlyFromAmong("full", "tangent");
        var trustRadius = new Option<double?>("--trust-radius") { Description = "Natural gradient: the largest RMS change of a planned action per update (controls' units). Trust-region: the initial radius (default σ)." };
        var logScale = new Option<bool>("--log-scale") { Description = "sgd/adam/trust-region: update the entries with a lower bound ≥ 0 (cost weights, masses) in log scale, so a step is a relative change (voltage Traj: on; --log-scale false turns it off)." };
        var testFraction = new Option<double?>("--test-fraction")
        {
            Description = "trust-region: the share of each batch (whole start blocks) run again at the candidate for the ratio test and the curvature pair, in (0, 1] (default 1; voltage's recipe: 0.25, so a tested iteration costs 1.25 N trajectories).",
        };
        var poolBatches = new Option<int?>("--pool-batches")
        {
            Description = "trust-region: while θ stays put (a rejected step, or a batch that could not tell the gradient from noise), form ĝ from up to this many batches at that θ (default 1; voltage's recipe: 8).",
        };
        var clip = new Option<double?>("--clip") { Description = "Clip ‖ĝ‖ to this norm (off by default)." };
        var sharedStart = new Option<bool>("--shared-start") { Description = "The rollouts of one iteration share their initial state and differ only in noise (pairs well with --estimator baseline; on in the default recipe, --shared-start false turns it off)." };
        var rolloutsPerStart = new Option<int?>("--rollouts-per-start")
        {
            Description = "Start blocks: consecutive blocks of k rollouts share an initial state and the baseline comes from the block's other pairs (default recipe, voltage Step: 4; 0: --shared-start decides).",
        };
        var algorithm = new Option<string>("--algorithm")
        {
            Description = "diffop (policy gradient through the OCP, the default); the baselines of docs/baselines.md: sysid (fit the dynamics parameters to " +
                          "transitions of iterations × rollouts episodes with excitation --sigma), imitation (fit θ to --demos expert trajectories), rlmpc-td " +
                          "(MPC-based Q-learning) or rlmpc-dpg (deterministic policy gradient with a compatible advantage).",
            DefaultValueFactory = _ => "diffop",
        };
        algorithm.AcceptOnlyFromAmong("diffop", "sysid", "imitation", "rlmpc-td", "rlmpc-dpg");
        var discount = new Option<double?>("--discount") { Description = "--algorithm rlmpc-td or rlmpc-dpg: γ of the TD targets (default 0.9)." };
        var demos = new Option<int?>("--demos") { Description = "--algorithm imitation: number of demonstrations (default 10)." };
        var recipe = new Option<string>("--recipe") { Description = "default: the recommended settings (docs/training.md); paper: the paper's (σ = 1, β = 0.01, SGD η = 0.1, REINFORCE). Options given explicitly override the recipe.", DefaultValueFactory = _ => "default" };
        recipe.AcceptOnlyFromAmong("default", "paper");
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = $"E fixed deterministic episodes (u = u*) evaluated every k iterations: the eval_cost column and the learning curve without exploration noise (default {DefaultEvaluationEpisodes}; 0 = off).", DefaultValueFactory = _ => DefaultEvaluationEpisodes };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Evaluate every k iterations (default: the smallest k that keeps the evaluation under 10% of the rollouts, E/(0.1·N))." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the start and the end of the run, no line per iteration." };
        var jsonLines = new Option<bool>("--json-lines") { Description = "Print one JSON object per iteration (for logs and scripts) instead of progress lines." };
        var seed = new Option<int>("--seed") { Description = "Run seed (initial θ, initial states, exploration noise).", DefaultValueFactory = _ => 0 };
        var workers = new Option<int>("--workers") { Description = "Rollout worker processes (Ipopt is not thread-safe, so parallel rollouts use processes). Results do not depend on it.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Rollouts on this many threads of one process instead of worker processes: faster for policies whose OCP is a convex QP (voltage), no help for Ipopt-solved ones. Results do not depend on it.", DefaultValueFactory = _ => 1 };
        var cluster = new Option<string?>("--cluster") { Description = "Run the rollouts on an Orleans cluster of 'diffop silo' processes: HOST:PORT of a silo's gateway (comma-separate several). Results do not depend on it (docs/cluster.md)." };
        var tls = new Option<string?>("--tls-certificate") { Description = $"With --cluster: the silos' shared TLS certificate (PKCS#12; password in {DiffOp.Cluster.ClusterTls.PasswordVariable})." };
        var set = new Option<string[]>("--set") { Description = "Override an environment setting, key=value (repeatable)." };
        var theta = new Option<string>("--theta") { Description = "Initial θ: 'init' (true + U(−σ0/2, σ0/2) from the seed) or 'true'.", DefaultValueFactory = _ => "init" };
        theta.AcceptOnlyFromAmong("init", "true");
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder to create (default runs/<env>-<mode>-seed<k>)." };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run in this folder up to --iterations in total." };
        var solver = SolverOption.Create();

        var command = new Command("train", "Train a policy's parameters θ with DiffOP (policy gradient through the OCP's implicit derivative).")
        {
            environment, algorithm, demos, discount, recipe, mode, iterations, rollouts, sigma, beta, lr, optimizer, estimator, antithetic, normalize, damping, trustRadius, schedule, exploration, logScale, testFraction, poolBatches, clip, sharedStart, rolloutsPerStart, evalEpisodes, evalEvery, seed, workers, threads, cluster, tls, set, theta, output, resume, quiet, jsonLines, solver,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            {
                var resumeDir = parse.GetValue(resume);
                if (parse.GetValue(tls) is not null && parse.GetValue(cluster) is null)
                    throw new ArgumentException("--tls-certificate is the certificate of a cluster's silos: add --cluster HOST:PORT, or drop it.");
                if (parse.GetValue(cluster) is not null && parse.GetResult(workers) is { Implicit: false })
                    throw new ArgumentException("--cluster runs the rollouts on the cluster's silos and --workers in local worker processes: give one of them, not both.");
                if (parse.GetValue(cluster) is not null && parse.GetResult(threads) is { Implicit: false })
                    throw new ArgumentException("--cluster runs the rollouts on the cluster's silos and --threads on threads of this process: give one of them, not both.");
                RunConfig config;
                string dir;
                if (resumeDir is not null)
                {
                    // A resumed run continues as config.json says; an option that would change it is refused, not ignored.
                    Symbol[] fixedByTheRun =
                    [
                        environment, algorithm, demos, discount, recipe, mode, rollouts, sigma, beta, lr, optimizer, estimator, antithetic, normalize, damping, trustRadius, schedule,
                        exploration, logScale, testFraction, poolBatches, clip, sharedStart, rolloutsPerStart, evalEpisodes, evalEvery, seed, set, theta, output, solver,
                    ];
                    var conflict = fixedByTheRun.FirstOrDefault(symbol => parse.GetResult(symbol) is { } result && !IsImplicit(result));
                    if (conflict is not null)
                        throw new ArgumentException(
                            $"--resume continues the run as its config.json describes, so {conflict.Name} cannot be given with it: " +
                            $"drop {conflict.Name} (only --iterations, --workers, --threads, --cluster and --tls-certificate may change), or start a new run with --out.");
                    dir = resumeDir.FullName;
                    var saved = RunConfig.Load(Path.Combine(dir, "config.json"));
                    config = saved with { Iterations = parse.GetValue(iterations) ?? saved.Iterations };
                    if (config.Algorithm != "diffop")
                        throw new ArgumentException($"{dir} is a {config.Algorithm} run, which has nothing to resume (only DiffOP runs keep an optimizer state to continue): start a new run with --out.");
                }
                else
                {
                    string env = parse.GetValue(environment) ?? throw new ArgumentException("Name the environment to train (or pass --resume DIR).");
                    var model = EnvironmentCatalog.CreatePolicyModel(env, parse.GetValue(set) ?? []);
                    var policyMode = parse.GetValue(mode) == "traj" ? PolicyMode.Traj : PolicyMode.Step;
                    T Pick<T>(Option<T> option, T fromRecipe) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fromRecipe;
                    bool Given(Symbol option) => parse.GetResult(option) is { } result && !IsImplicit(result);
                    OptimizerKind? chosenOptimizer = Given(optimizer) ? ParseOptimizer(parse.GetValue(optimizer)!) : null;
                    var baseOptions = parse.GetValue(recipe) == "paper" ? TrainingOptions.Paper(policyMode) : model.RecommendedOptions(policyMode);
                    // Another update rule than a trust-region recipe's — or a baseline algorithm, which has no update rule of its own here — starts
                    // from the Adam recipe, whose N, schedule, estimator and starts go with it.
                    bool leavesTrustRegion = chosenOptimizer is { } other && other != OptimizerKind.TrustRegion || parse.GetValue(algorithm) != "diffop";
                    if (parse.GetValue(recipe) != "paper" && baseOptions.Optimizer == OptimizerKind.TrustRegion && leavesTrustRegion)
                        baseOptions = TrainingOptions.Recommended(policyMode, model.ExplorationScale, model.RecommendedLearningRate);
                    config = new RunConfig
                    {
                        Environment = model.Name, Settings = parse.GetValue(set) ?? [], Mode = policyMode, Recipe = parse.GetValue(recipe)!,
                        Horizon = TrainingSetup.HorizonFor(model, policyMode), Iterations = parse.GetValue(iterations) ?? baseOptions.Iterations,
                        Rollouts = Pick(rollouts, baseOptions.Rollouts), Sigma = Pick(sigma, baseOptions.Sigma),
                        Beta = parse.GetResult(beta) is { Implicit: false } ? ParseBeta(parse.GetValue(beta)!) : baseOptions.Beta,
                        LearningRate = Pick(lr, baseOptions.LearningRate),
                        Optimizer = chosenOptimizer ?? baseOptions.Optimizer,
                        Estimator = parse.GetResult(estimator) is { Implicit: false } ? ParseEstimator(parse.GetValue(estimator)!) : baseOptions.Estimator,
                        Antithetic = Pick(antithetic, baseOptions.Antithetic), NormalizeTruncation = Pick(normalize, baseOptions.NormalizeTruncatedScore),
                        Damping = Pick(damping, baseOptions.Damping), TrustRadius = Pick(trustRadius, baseOptions.TrustRadius),
                        TangentExploration = parse.GetResult(exploration) is { Implicit: false } ? parse.GetValue(exploration) == "tangent" : baseOptions.TangentExploration,
                        Schedule = Given(schedule)
                            ? (parse.GetValue(schedule) == "cosine" ? LearningRateSchedule.Cosine : LearningRateSchedule.Constant)
                            : chosenOptimizer == OptimizerKind.TrustRegion ? LearningRateSchedule.Constant   // the radius is the trust-region rule's step control
                            : baseOptions.Schedule,
                        LogScale = Given(logScale)
                            ? parse.GetValue(logScale)
                            : baseOptions.LogScalePositiveParameters && (chosenOptimizer is not { } rule || ParameterOptimizer.SupportsLogScale(rule)),
                        // The recipe's fraction goes with its trust-region rule; another rule has no candidate to test.
                        TestFraction = parse.GetValue(testFraction) ?? ((chosenOptimizer ?? baseOptions.Optimizer) == OptimizerKind.TrustRegion ? baseOptions.CandidateTestFraction : 1.0),
                        PoolBatches = parse.GetValue(poolBatches) ?? ((chosenOptimizer ?? baseOptions.Optimizer) == OptimizerKind.TrustRegion ? baseOptions.PooledBatches : 1),
                        GradientClip = parse.GetValue(clip), SharedStart = Pick(sharedStart, baseOptions.SharedInitialState && !Given(rolloutsPerStart)),
                        // An explicit --shared-start (without --rollouts-per-start) replaces the recipe's start blocks.
                        RolloutsPerStart = Given(rolloutsPerStart) ? parse.GetValue(rolloutsPerStart) ?? 0 : Given(sharedStart) ? 0 : baseOptions.RolloutsPerStart,
                        EvaluationEpisodes = parse.GetValue(evalEpisodes),
                        EvaluateEvery = parse.GetValue(evalEvery) ?? DefaultEvaluationPeriod(parse.GetValue(evalEpisodes), Pick(rollouts, baseOptions.Rollouts)),
                        Seed = parse.GetValue(seed), InitialTheta = parse.GetValue(theta)!, Algorithm = parse.GetValue(algorithm)!,
                        Solver = SolverOption.Read(parse, solver),
                    };
                    if (parse.GetValue(demos) is { } demoCount && config.Algorithm != "imitation")
                        throw new ArgumentException("--demos is the number of demonstrations of --algorithm imitation: drop it, or add --algorithm imitation.");
                    if (config.Algorithm != "diffop")
                    {
                        Symbol[] processOptions = [workers, threads, cluster, tls, quiet, jsonLines];
                        var given = processOptions.FirstOrDefault(symbol => parse.GetResult(symbol) is { } result && !IsImplicit(result));
                        if (given is not null)
                            throw new ArgumentException($"--algorithm {config.Algorithm} runs in this process and prints one line when it starts and one when it ends: " +
                                                        $"{given.Name} does not apply to it; drop it.");
                    }
                    if (parse.GetValue(discount) is not null && !config.Algorithm.StartsWith("rlmpc-", StringComparison.Ordinal))
                        throw new ArgumentException("--discount is γ of --algorithm rlmpc-td or rlmpc-dpg: drop it, or add --algorithm rlmpc-td.");
                    if (config.Algorithm.StartsWith("rlmpc-", StringComparison.Ordinal))
                    {
                        Symbol[] notTd = [recipe, beta, optimizer, estimator, antithetic, normalize, damping, trustRadius, schedule, exploration, logScale, testFraction, poolBatches, clip, sharedStart, rolloutsPerStart, mode];
                        var unused = notTd.FirstOrDefault(symbol => parse.GetResult(symbol) is { } result && !IsImplicit(result));
                        if (unused is not null)
                            throw new ArgumentException($"--algorithm {config.Algorithm} has no {unused.Name}: drop it (it uses the Step policy, --iterations × --rollouts episodes, " +
                                                        "--lr as α, --discount as γ, --sigma as the exploration, --eval-episodes, --eval-every, --seed, --set and --theta).");
                        double gamma = parse.GetValue(discount) ?? 0.9;
                        var tdConfig = config with
                        {
                            Mode = PolicyMode.Step, Horizon = TrainingSetup.HorizonFor(model, PolicyMode.Step),
                            LearningRate = parse.GetResult(lr) is { Implicit: false } ? parse.GetValue(lr) : 1e-3,
                            Sigma = parse.GetResult(sigma) is { Implicit: false } ? parse.GetValue(sigma) : model.ExplorationScale,
                        };
                        if (!(tdConfig.LearningRate > 0) || !double.IsFinite(tdConfig.LearningRate)) throw new ArgumentException($"--lr (α) must be positive and finite, got {tdConfig.LearningRate}.");
                        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentException($"--discount (γ) must be in (0, 1], got {gamma}.");
                        if (!(tdConfig.Sigma >= 0) || !double.IsFinite(tdConfig.Sigma)) throw new ArgumentException($"--sigma (the exploration) must be finite and ≥ 0, got {tdConfig.Sigma}.");
                        if (tdConfig.Rollouts < 1) throw new ArgumentException($"--rollouts must be at least 1, got {tdConfig.Rollouts}.");
                        if (tdConfig.EvaluationEpisodes < 0) throw new ArgumentException($"--eval-episodes must be ≥ 0 (0 turns the evaluation off), got {tdConfig.EvaluationEpisodes}.");
                        if (tdConfig.EvaluateEvery < 1) throw new ArgumentException($"--eval-every must be at least 1, got {tdConfig.EvaluateEvery}.");
                        string tdDir = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", $"{config.Environment}-{config.Algorithm}-seed{config.Seed}"));
                        return RlmpcRun.Execute(tdConfig, gamma, tdDir, parse.GetValue(jsonLines) ? parse.InvocationConfiguration.Error : parse.InvocationConfiguration.Output);
                    }
                    if (config.Algorithm == "imitation")
                    {
                        Symbol[] notImitation = [recipe, beta, lr, optimizer, estimator, antithetic, normalize, damping, trustRadius, schedule, exploration, logScale, testFraction, poolBatches, clip, sharedStart, rolloutsPerStart, evalEpisodes, evalEvery, sigma, rollouts, iterations];
                        var unused = notImitation.FirstOrDefault(symbol => parse.GetResult(symbol) is { } result && !IsImplicit(result));
                        if (unused is not null)
                            throw new ArgumentException($"--algorithm imitation fits θ to demonstrations and has no {unused.Name}: drop it " +
                                                        "(imitation uses --demos, --mode for the deployed policy, --seed, --set and --theta).");
                        int count = parse.GetValue(demos) ?? 10;
                        if (count < 1) throw new ArgumentException($"--demos must be at least 1, got {count}.");
                        string imitationDir = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", $"{config.Environment}-imitation-seed{config.Seed}"));
                        return ImitationRun.Execute(config, count, imitationDir, parse.GetValue(jsonLines) ? parse.InvocationConfiguration.Error : parse.InvocationConfiguration.Output);
                    }
                    if (config.Algorithm == "sysid")
                    {
                        Symbol[] policyGradientOnly = [recipe, beta, lr, optimizer, estimator, antithetic, normalize, damping, trustRadius, schedule, exploration, logScale, testFraction, poolBatches, clip, sharedStart, rolloutsPerStart, evalEpisodes, evalEvery];
                        var unused = policyGradientOnly.FirstOrDefault(symbol => parse.GetResult(symbol) is { } result && !IsImplicit(result));
                        if (unused is not null)
                            throw new ArgumentException($"--algorithm sysid fits a model to recorded transitions and has no {unused.Name}: drop it " +
                                                        "(sysid uses --iterations × --rollouts episodes, --sigma as the excitation, --mode, --seed, --set and --theta).");
                        string sysidDir = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", $"{config.Environment}-sysid-seed{config.Seed}"));
                        if (config.Rollouts < 1) throw new ArgumentException($"--rollouts must be at least 1, got {config.Rollouts}.");
                        if (config.Iterations < 1) throw new ArgumentException($"--iterations must be at least 1, got {config.Iterations}.");
                        if (!(config.Sigma >= 0) || !double.IsFinite(config.Sigma)) throw new ArgumentException($"--sigma (the excitation) must be finite and ≥ 0, got {config.Sigma}.");
                        return SystemIdentificationRun.Execute(config, sysidDir, parse.GetValue(jsonLines) ? parse.InvocationConfiguration.Error : parse.InvocationConfiguration.Output);
                    }
                    if (config.Antithetic && config.Rollouts % 2 != 0 && parse.GetResult(antithetic) is not { Implicit: false })
                        throw new ArgumentException(
                            $"--rollouts {config.Rollouts} is odd, but the {config.Recipe} recipe runs antithetic pairs: give an even --rollouts, or --antithetic false.");
                    dir = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", $"{config.Environment}-{parse.GetValue(mode)}-seed{config.Seed}"));
                }
                config.ToTrainingOptions().Validate();
                if (parse.GetValue(workers) < 1) throw new ArgumentException($"--workers must be at least 1, got {parse.GetValue(workers)}.");
                if (parse.GetValue(threads) < 1) throw new ArgumentException($"--threads must be at least 1, got {parse.GetValue(threads)}.");
                if (parse.GetValue(workers) > 1 && parse.GetValue(threads) > 1)
                    throw new ArgumentException("--workers and --threads are two ways to run rollouts in parallel: give one of them (threads for convex-QP policies such as voltage, worker processes otherwise).");
                var style = parse.GetValue(jsonLines) ? ProgressStyle.JsonLines : parse.GetValue(quiet) ? ProgressStyle.Quiet : ProgressStyle.Lines;
                string? clusterGateways = parse.GetValue(cluster);
                if (clusterGateways is not null) DiffOp.Cluster.ClusterAddress.ParseList(clusterGateways, "--cluster");   // a malformed address is a usage error before any file
                if (parse.GetValue(tls) is { } certificatePath) DiffOp.Cluster.ClusterTls.Load(certificatePath).Dispose();   // so is an unreadable certificate
                return TrainingRun.Execute(config, dir, resumeDir is not null, parse.GetValue(workers), parse.InvocationConfiguration.Output, style, parse.InvocationConfiguration.Error,
                    clusterGateways, CommandErrors.IsVerbose(parse), parse.GetValue(tls), parse.GetValue(threads));
            }
        }));
        return command;
    }

    /// <summary>Evaluation episodes per evaluation by default: a learning curve free of exploration noise.</summary>
    public const int DefaultEvaluationEpisodes = 5;

    /// <summary>The smallest period k with E/k ≤ 10% of the N exploring rollouts per iteration (deterministic episodes are cheaper still).</summary>
    public static int DefaultEvaluationPeriod(int episodes, int rollouts) =>
        episodes <= 0 ? 1 : Math.Max(1, (int)Math.Ceiling(episodes / (0.1 * Math.Max(1, rollouts))));

    private static bool IsImplicit(SymbolResult result) => result switch
    {
        OptionResult option => option.Implicit,
        ArgumentResult argument => argument.Implicit,
        _ => false,
    };

    private static OptimizerKind ParseOptimizer(string text) => text switch
    {
        "adam" => OptimizerKind.Adam, "natural" => OptimizerKind.Natural, "action-adam" => OptimizerKind.ActionAdam,
        "trust-region" => OptimizerKind.TrustRegion, _ => OptimizerKind.Sgd,
    };

    private static GradientEstimatorKind ParseEstimator(string text) => text switch
    {
        "baseline" => GradientEstimatorKind.ReinforceWithBaseline, "reward-to-go" => GradientEstimatorKind.RewardToGo, _ => GradientEstimatorKind.Reinforce,
    };

    private static double ParseBeta(string text) =>
        text is "inf" or "infinity" or "∞" ? double.PositiveInfinity
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double b) && b > 0 ? b
        : throw new ArgumentException($"--beta must be a positive number or 'inf', got '{text}'.");
}
