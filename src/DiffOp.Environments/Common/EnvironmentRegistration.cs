using DiffOp.Learning;

namespace DiffOp.Environments.Common;

/// <summary>
/// One entry of <see cref="EnvironmentCatalog"/>: a name and the two factories, each taking the command line's
/// <c>key=value</c> overrides.
/// </summary>
/// <param name="Name">Command-line name (lower case).</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="CreateSimulator">Creates the true system with the overrides applied.</param>
/// <param name="CreatePolicyModel">Creates the policy model with the overrides applied.</param>
public sealed record EnvironmentRegistration(
    string Name,
    string Description,
    Func<IReadOnlyList<string>, IEnvironment> CreateSimulator,
    Func<IReadOnlyList<string>, IPolicyModel> CreatePolicyModel);
