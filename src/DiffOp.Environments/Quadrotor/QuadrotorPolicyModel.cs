using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Quadrotor;

/// <summary>
/// The quadrotor policy OCP (docs/environments.md): θ_f = [Jx, Jy, Jz, m, l], θ_c = θ_H = [wr, wv, wq, ww], wthrust, c
/// and g fixed. Known bounds: <c>u_max</c> → |f_i| ≤ u_max (variable bounds), <c>x_max</c> → |r|² ≤ x_max as the path
/// constraint of §3 at t = 0..H−1.
/// </summary>
public sealed class QuadrotorPolicyModel : ControlTaskPolicyModel<QuadrotorEquations>
{
    /// <inheritdoc/>
    /// <remarks>0.05: the quadrotor's θ entries are larger (inertias, arm length, weights), so a larger Adam step.</remarks>
    public override double RecommendedLearningRate => 0.05;

    /// <summary>Creates the model.</summary>
    /// <param name="settings">Settings; null gives the §5 defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public QuadrotorPolicyModel(QuadrotorSettings? settings = null)
        : base(settings ?? new QuadrotorSettings())
    {
    }

    /// <inheritdoc/>
    protected override void AddKnownConstraints(OcpBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddControlLimit(builder);
        if (Settings.StateLimit is double maxSquaredRadius)
        {
            builder.SetPathConstraints(new SxVector(QuadrotorEquations.PositionConstraint<Sx>(builder.State.ToArray(), maxSquaredRadius)));
        }
    }
}
