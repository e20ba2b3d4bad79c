namespace DiffOp.Environments.Common;

/// <summary>The argument checks every <see cref="IPolicyModel.BuildOcp"/> makes, written once.</summary>
internal static class PolicyModelArguments
{
    /// <summary>Throws <see cref="ArgumentException"/> for a horizon below 1, a θ of the wrong length or a non-finite entry.</summary>
    /// <param name="model">The model's name, for messages.</param>
    /// <param name="horizon">H.</param>
    /// <param name="theta">θ.</param>
    /// <param name="expected">The length θ must have.</param>
    /// <param name="layout">How θ is laid out, for the wrong-length message (e.g. "theta_c: 3, theta_f: 9").</param>
    public static void Check(string model, int horizon, IReadOnlyList<double> theta, int expected, string layout)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (horizon < 1)
            throw new ArgumentException($"{model}: the OCP horizon must be at least 1 step; got {horizon}.", nameof(horizon));
        if (theta.Count != expected)
            throw new ArgumentException($"{model}: θ needs {expected} values ({layout}); got {theta.Count}.", nameof(theta));
        for (int i = 0; i < theta.Count; i++)
        {
            if (!double.IsFinite(theta[i]))
                throw new ArgumentException($"{model}: θ entry {i} must be finite; got {theta[i]}.", nameof(theta));
        }
    }
}
