namespace DiffOp.Cluster;

/// <summary>One silo as the cluster's membership table and its runtime statistics describe it.</summary>
/// <param name="Address">The silo's endpoint (HOST:PORT of its silo port).</param>
/// <param name="Generation">The silo's generation (a restarted silo at the same endpoint has a new one).</param>
/// <param name="Status">Its membership status (Active, Joining, ShuttingDown, Dead, …).</param>
/// <param name="StartTime">When it started (UTC).</param>
/// <param name="Activations">Grain activations on it (null when it did not answer).</param>
/// <param name="CpuPercent">Its CPU usage in percent (null when unknown).</param>
/// <param name="Slots">Rollouts it runs at once (null when it did not answer).</param>
/// <param name="RolloutsRun">Rollouts it has run since it started (null when it did not answer).</param>
public sealed record SiloReport(string Address, int Generation, string Status, DateTime StartTime, int? Activations, double? CpuPercent, int? Slots, long? RolloutsRun);
