namespace DiffOp.Cluster;

/// <summary>The cluster cannot be reached, or no silo of it can run rollouts any more.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
