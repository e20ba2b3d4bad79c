namespace DiffOp.Learning.Training;

/// <summary>
/// Training cannot make progress: every rollout failed for several iterations in a row, so θ stays where it is.
/// The message names the iteration and what to change; θ and the metrics written so far are kept.
/// </summary>
public sealed class TrainingStalledException : Exception
{
    /// <summary>Creates the exception with a message that says what happened and what to change.</summary>
    public TrainingStalledException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrainingStalledException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingStalledException() : base("Training stalled: every rollout failed.") { }
}
