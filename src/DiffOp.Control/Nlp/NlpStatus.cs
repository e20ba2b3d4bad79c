namespace DiffOp.Control.Nlp;

/// <summary>The outcome of an NLP solve, independent of the solver (the backend's own name for it is <see cref="NlpSolution.SolverStatus"/>).</summary>
public enum NlpStatus
{
    /// <summary>Converged to the requested tolerance.</summary>
    Solved,
    /// <summary>Converged to the solver's looser acceptable tolerance only.</summary>
    SolvedToAcceptableLevel,
    /// <summary>The constraints were found locally infeasible.</summary>
    Infeasible,
    /// <summary>The iteration or time limit was reached.</summary>
    LimitReached,
    /// <summary>A callback returned a non-finite value or failed (including a managed exception, which is rethrown).</summary>
    EvaluationError,
    /// <summary>The iteration was stopped on request.</summary>
    Stopped,
    /// <summary>The solver failed numerically (restoration failure, step computation error, diverging iterates, …).</summary>
    NumericalFailure,
    /// <summary>The problem or an option was rejected before iterating.</summary>
    InvalidProblem,
}
