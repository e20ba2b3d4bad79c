using System.Text.Json;
using System.Text.Json.Serialization;
using DiffOp.Control.OptimalControl;
using DiffOp.Learning.Optimizers;

namespace DiffOp.Learning.Training;

/// <summary>
/// params.json: θ by named block, the completed iteration count and the optimizer state — everything needed to
/// resume and reproduce an uninterrupted run (all randomness derives from the seed and the iteration). Written
/// atomically (temporary file, then rename); a non-finite value is never written.
/// </summary>
public sealed record TrainingCheckpoint
{
    /// <summary>Format tag.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = FormatTag;

    /// <summary>The format tag this version writes and reads.</summary>
    public const string FormatTag = "diffop-params/1";
    /// <summary>Iterations completed.</summary>
    [JsonPropertyName("iteration")] public required int Iteration { get; init; }
    /// <summary>The run seed.</summary>
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    /// <summary>θ by block name, in the OCP's block order.</summary>
    [JsonPropertyName("theta")] public required Dictionary<string, double[]> Theta { get; init; }
    /// <summary>Optimizer state: Adam's first moment (zeros for SGD).</summary>
    [JsonPropertyName("optimizer_m")] public required double[] OptimizerFirstMoment { get; init; }
    /// <summary>Optimizer state: Adam's second moment.</summary>
    [JsonPropertyName("optimizer_v")] public required double[] OptimizerSecondMoment { get; init; }
    /// <summary>Optimizer state: the action-unit Adam's reference sensitivities (absent in older checkpoints).</summary>
    [JsonPropertyName("optimizer_reference")] public double[]? OptimizerSensitivityReference { get; init; }
    /// <summary>Optimizer state: the trust-region rule's quasi-Newton model B, d × d row-major (absent for the other rules).</summary>
    [JsonPropertyName("optimizer_hessian")] public double[]? OptimizerHessian { get; init; }
    /// <summary>Optimizer state: the trust-region rule's radius Δ (absent for the other rules).</summary>
    [JsonPropertyName("optimizer_radius")] public double? OptimizerRadius { get; init; }
    /// <summary>
    /// Batches of the iterations just before <see cref="Iteration"/>, drawn at this θ, that the next iteration pools
    /// (<see cref="Trainer.CarriedBatches"/>; absent in older checkpoints: 0).
    /// </summary>
    [JsonPropertyName("pooled_batches")] public int PooledBatches { get; init; }
    /// <summary>Optimizer updates applied.</summary>
    [JsonPropertyName("optimizer_steps")] public required int OptimizerSteps { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Builds the checkpoint of a trainer whose θ follows <paramref name="blocks"/>.</summary>
    public static TrainingCheckpoint From(Trainer trainer, IReadOnlyList<ParameterBlock> blocks)
    {
        var theta = trainer.Theta;
        return new TrainingCheckpoint
        {
            Iteration = trainer.CompletedIterations,
            Seed = trainer.Options.Seed,
            Theta = blocks.ToDictionary(b => b.Name, b => theta.AsSpan(b.Offset, b.Length).ToArray()),
            OptimizerFirstMoment = trainer.Optimizer.FirstMoment,
            OptimizerSecondMoment = trainer.Optimizer.SecondMoment,
            OptimizerSteps = trainer.Optimizer.StepCount,
            PooledBatches = trainer.CarriedBatches,
            OptimizerSensitivityReference = trainer.Optimizer.SensitivityReference,
            OptimizerHessian = trainer.Optimizer.Kind == OptimizerKind.TrustRegion ? trainer.Optimizer.Hessian : null,
            OptimizerRadius = trainer.Optimizer.Kind == OptimizerKind.TrustRegion ? trainer.Optimizer.Radius : null,
        };
    }

    /// <summary>
    /// Puts the saved optimizer state into <paramref name="optimizer"/> (created with the run's options), so that the
    /// resumed run continues exactly as the uninterrupted one would.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint lacks state the optimizer's rule needs.</exception>
    public void RestoreOptimizer(ParameterOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.Restore(OptimizerFirstMoment, OptimizerSecondMoment, OptimizerSteps, OptimizerSensitivityReference);
        if (optimizer.Kind != OptimizerKind.TrustRegion) return;
        if (OptimizerHessian is null || OptimizerRadius is null)
        {
            if (OptimizerSteps > 0)
                throw new InvalidDataException("params.json has no trust-region state (optimizer_hessian, optimizer_radius) although the run used the trust-region rule: it was not written by this run.");
            return;
        }
        optimizer.RestoreTrustRegion(OptimizerHessian, OptimizerRadius.Value);
    }

    /// <summary>θ as one vector in block order; throws if a block is missing or has the wrong length.</summary>
    public double[] FlatTheta(IReadOnlyList<ParameterBlock> blocks)
    {
        var theta = new double[blocks.Sum(b => b.Length)];
        foreach (var b in blocks)
        {
            if (!Theta.TryGetValue(b.Name, out var values))
                throw new InvalidDataException($"params.json has no θ block '{b.Name}' (it has: {string.Join(", ", Theta.Keys)}).");
            if (values.Length != b.Length)
                throw new InvalidDataException($"params.json block '{b.Name}' has {values.Length} values; the policy expects {b.Length}.");
            values.CopyTo(theta, b.Offset);
        }
        return theta;
    }

    /// <summary>Writes the checkpoint atomically; refuses non-finite values.</summary>
    public void Save(string path)
    {
        foreach (var (name, values) in Theta)
            if (values.Any(v => !double.IsFinite(v))) throw new InvalidOperationException($"Refusing to write a non-finite θ (block '{name}') to {path}.");
        if (OptimizerFirstMoment.Concat(OptimizerSecondMoment).Concat(OptimizerSensitivityReference ?? []).Concat(OptimizerHessian ?? [])
                .Append(OptimizerRadius ?? 1.0).Any(v => !double.IsFinite(v)))
            throw new InvalidOperationException($"Refusing to write a non-finite optimizer state to {path}.");
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a checkpoint.</summary>
    public static TrainingCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at {path}; pass the folder a previous 'diffop train --out' wrote.", path);
        TrainingCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<TrainingCheckpoint>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid checkpoint ({ex.Message}). Training writes it atomically, so it was edited or damaged outside training: restore it, or start a new run.", ex);
        }
        if (checkpoint is null) throw new InvalidDataException($"{path} is empty (null): restore it, or start a new run.");
        if (checkpoint.Format != FormatTag) throw new InvalidDataException($"{path} has format '{checkpoint.Format}', but this version reads '{FormatTag}'.");
        if (checkpoint.Iteration < 0) throw new InvalidDataException($"{path} says {checkpoint.Iteration} iterations were completed; the count cannot be negative.");
        if (checkpoint.PooledBatches < 0 || checkpoint.PooledBatches > checkpoint.Iteration)
            throw new InvalidDataException($"{path} says {checkpoint.PooledBatches} pooled batches after {checkpoint.Iteration} iterations; the count must be in [0, iterations].");
        if (checkpoint.OptimizerSteps < 0) throw new InvalidDataException($"{path} says {checkpoint.OptimizerSteps} optimizer steps; the count cannot be negative.");
        if (checkpoint.Theta is null || checkpoint.OptimizerFirstMoment is null || checkpoint.OptimizerSecondMoment is null)
            throw new InvalidDataException($"{path} lacks θ or the optimizer state.");
        return checkpoint;
    }
}
