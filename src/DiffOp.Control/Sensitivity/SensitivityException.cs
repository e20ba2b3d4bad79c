using DiffOp.Control.Nlp;

namespace DiffOp.Control.Sensitivity;

/// <summary>Why a solution could not be differentiated.</summary>
public enum SensitivityFailure
{
    /// <summary>The active constraint rows are linearly dependent (LICQ fails), e.g. two identical active rows.</summary>
    LicqViolated,
    /// <summary>The Hessian of the Lagrangian is singular on the null space of the active constraints (SOSC fails).</summary>
    SingularReducedHessian,
    /// <summary>The KKT solve produced a non-finite value.</summary>
    NonFiniteResult,
}

/// <summary>The implicit gradient is not defined at this solution; the message names the stage and the condition.</summary>
public sealed class SensitivityException : SolverException
{
    /// <summary>Creates the exception.</summary>
    public SensitivityException(SensitivityFailure failure, int stage, string message) : base(message)
    {
        Failure = failure;
        Stage = stage;
    }

    /// <summary>The condition that failed.</summary>
    public SensitivityFailure Failure { get; }

    /// <summary>The stage near which it was detected.</summary>
    public int Stage { get; }
}
