using Orleans.Placement;

namespace DiffOp.Cluster;

/// <summary>Places a grain with <see cref="SiloPinnedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute : PlacementAttribute
{
    /// <summary>Uses <see cref="SiloPinnedPlacement.Instance"/>.</summary>
    public SiloPinnedPlacementAttribute() : base(SiloPinnedPlacement.Instance) { }
}
