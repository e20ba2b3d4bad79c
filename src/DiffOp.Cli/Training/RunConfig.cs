using System.Text.Json;
using System.Text.Json.Serialization;
using DiffOp.Learning.Gradients;
using DiffOp.Learning.Optimizers;
using DiffOp.Learning.Policies;
using DiffOp.Learning.Training;

namespace DiffOp.Cli.Training;

/// <summary>
/// config.json of a run: everything needed to rebuild the environment, the policy and the trainer (also what a
/// rollout worker process receives). Written once when a run starts; <c>--resume</c> and <c>evaluate</c> read it.
/// </summary>
internal sealed record RunConfig
{
    [JsonPropertyName("format")] public string Format { get; init; } = FormatTag;
    [JsonPropertyName("environment")] public required string Environment { get; init; }
    [JsonPropertyName("settings")] public required string[] Settings { get; init; }
    [JsonPropertyName("recipe")] public string Recipe { get; init; } = "explicit";
    [JsonPropertyName("mode")] public required PolicyMode Mode { get; init; }
    [JsonPropertyName("horizon")] public required int Horizon { get; init; }
    [JsonPropertyName("iterations")] public required int Iterations { get; init; }
    [JsonPropertyName("rollouts")] public required int Rollouts { get; init; }
    [JsonPropertyName("sigma")] public required double Sigma { get; init; }
    [JsonPropertyName("beta")] public required double Beta { get; init; }
    [JsonPropertyName("learning_rate")] public required double LearningRate { get; init; }
    [JsonPropertyName("optimizer")] public required OptimizerKind Optimizer { get; init; }
    [JsonPropertyName("estimator")] public required GradientEstimatorKind Estimator { get; init; }
    [JsonPropertyName("gradient_clip")] public double? GradientClip { get; init; }
    [JsonPropertyName("shared_start")] public bool SharedStart { get; init; }
    [JsonPropertyName("rollouts_per_start")] public int RolloutsPerStart { get; init; }
    [JsonPropertyName("eval_episodes")] public int EvaluationEpisodes { get; init; }
    [JsonPropertyName("eval_every")] public int EvaluateEvery { get; init; } = 1;
    [JsonPropertyName("antithetic")] public bool Antithetic { get; init; }
    [JsonPropertyName("normalize_truncation")] public bool NormalizeTruncation { get; init; }
    [JsonPropertyName("damping")] public double Damping { get; init; } = DiffOp.Learning.Optimizers.ParameterOptimizer.DefaultDamping;
    [JsonPropertyName("trust_radius")] public double? TrustRadius { get; init; }
    [JsonPropertyName("tangent_exploration")] public bool TangentExploration { get; init; }
    [JsonPropertyName("log_scale")] public bool LogScale { get; init; }
    /// <summary>The trust-region rule's share of the batch run again at a candidate (absent in older runs: 1, the whole batch).</summary>
    [JsonPropertyName("test_fraction")] public double TestFraction { get; init; } = 1.0;
    /// <summary>The trust-region rule's pool of batches at an unchanged θ (absent in older runs: 1, no pooling).</summary>
    [JsonPropertyName("pool_batches")] public int PoolBatches { get; init; } = 1;
    /// <summary>diffop (policy gradient, the default) or a baseline: sysid, imitation, rlmpc-td, rlmpc-dpg (docs/baselines.md).</summary>
    [JsonPropertyName("algorithm")] public string Algorithm { get; init; } = "diffop";
    /// <summary>The policy's solver (<c>--solver</c>); absent in runs made before it existed, which used Auto.</summary>
    [JsonPropertyName("solver")] public DiffOp.Control.OptimalControl.OcpSolverChoice Solver { get; init; } = DiffOp.Control.OptimalControl.OcpSolverChoice.Auto;
    [JsonPropertyName("schedule")] public LearningRateSchedule Schedule { get; init; }
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    [JsonPropertyName("initial_theta")] public required string InitialTheta { get; init; }
    [JsonPropertyName("version")] public string Version { get; init; } = typeof(RunConfig).Assembly.GetName().Version?.ToString(3) ?? "";

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public TrainingOptions ToTrainingOptions() => new()
    {
        Mode = Mode, Iterations = Iterations, Rollouts = Rollouts, Sigma = Sigma, Beta = Beta, LearningRate = LearningRate,
        Optimizer = Optimizer, Estimator = Estimator, GradientClipNorm = GradientClip, SharedInitialState = SharedStart, RolloutsPerStart = RolloutsPerStart, Seed = Seed,
        EvaluationEpisodes = EvaluationEpisodes, EvaluateEvery = EvaluateEvery, Antithetic = Antithetic,
        NormalizeTruncatedScore = NormalizeTruncation, Damping = Damping, TrustRadius = TrustRadius, Schedule = Schedule, TangentExploration = TangentExploration,
        LogScalePositiveParameters = LogScale, CandidateTestFraction = TestFraction, PooledBatches = PoolBatches,
    };

    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>The format tag this version writes and reads.</summary>
    public const string FormatTag = "diffop-run/1";

    /// <summary>Reads and checks config.json; every problem is an <see cref="InvalidDataException"/> naming the file and the fix.</summary>
    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No run configuration at {path}: pass a folder written by 'diffop train --out'.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The configuration as config.json holds it (what a silo receives as the run description).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads and checks config.json text; <paramref name="source"/> names it in messages (a path, or "the run description").</summary>
    public static RunConfig Parse(string json, string source)
    {
        string path = source;
        RunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid run configuration ({ex.Message}). 'diffop train' writes it; restore it, or start a new run with --out.", ex);
        }
        if (config is null) throw new InvalidDataException($"{path} is empty (null): restore it, or start a new run with --out.");
        config.Check(path);
        return config;
    }

    /// <summary>Checks what JSON types cannot: the format tag, the θ choice and the settings (as a new run checks them).</summary>
    private void Check(string path)
    {
        if (Format != FormatTag)
            throw new InvalidDataException($"{path} has format '{Format}', but this version reads '{FormatTag}': start a new run with --out.");
        if (InitialTheta is not ("init" or "true"))
            throw new InvalidDataException($"{path}: initial_theta must be 'init' or 'true', got '{InitialTheta}'.");
        if (Settings is null || Environment is null) throw new InvalidDataException($"{path}: environment and settings are required.");
        try
        {
            ToTrainingOptions().Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
    }
}
