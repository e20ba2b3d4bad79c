using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace DiffOp.Cluster;

/// <summary>Activates a grain on the silo its key names, or refuses when that silo is not an active member.</summary>
internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silo = SiloPinnedPlacement.SiloOf(target.GrainIdentity.Key.ToString()!);
        foreach (var candidate in context.GetCompatibleSilos(target))
        {
            if (candidate.Equals(silo)) return Task.FromResult(candidate);
        }
        throw new SiloUnavailableException($"Silo {silo} is not an active member of the cluster: its rollouts run elsewhere.");
    }
}
