using DiffOp.Control.OptimalControl;
using DiffOp.Environments.Common;
using DiffOp.Symbolic;

namespace DiffOp.Environments.Rocket;

/// <summary>
/// The rocket policy OCP (docs/environments.md): θ_f = [Jx, Jy, Jz, m, l], θ_c = θ_H = [wr, wv, wtilt, wsidethrust, ww]
/// (the terminal cost has no thrust term, so its wsidethrust entry has no effect), wthrust and g fixed. Known bounds as
/// path constraints at t = 0..H−1: <c>u_max</c> → |T|² ≤ u_max², <c>x_max</c> → rotation from upright ≤ x_max.
/// </summary>
public sealed class RocketPolicyModel : ControlTaskPolicyModel<RocketEquations>
{
    /// <summary>Creates the model.</summary>
    /// <param name="settings">Settings; null gives the defaults.</param>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public RocketPolicyModel(RocketSettings? settings = null)
        : base(settings ?? new RocketSettings())
    {
    }

    /// <inheritdoc/>
    protected override void AddKnownConstraints(OcpBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var rows = new List<Sx>();
        Sx[] state = builder.State.ToArray(), control = builder.Control.ToArray();
        if (Settings.ControlLimit is double maxThrust) rows.Add(RocketEquations.ThrustConstraint<Sx>(control, maxThrust));
        if (Settings.StateLimit is double maxAngle) rows.Add(RocketEquations.AttitudeConstraint<Sx>(state, maxAngle));
        if (rows.Count > 0) builder.SetPathConstraints(new SxVector(rows));
    }
}
