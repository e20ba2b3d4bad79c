namespace DiffOp.Cluster;

/// <summary>Names silos and trainers share.</summary>
public static class ClusterNames
{
    /// <summary>The default cluster id (Orleans' ClusterId and ServiceId).</summary>
    public const string ClusterId = "diffop";
}
