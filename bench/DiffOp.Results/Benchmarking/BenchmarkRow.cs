using System.Text.Json.Serialization;

namespace DiffOp.Results.Benchmarking;

/// <summary>One measured case of <c>diffop-results bench</c> (the JSON row shape documented in issue 8 and bench/README.md).</summary>
internal sealed record BenchmarkRow(
    [property: JsonPropertyName("case")] string Case,
    [property: JsonPropertyName("env")] string Environment,
    [property: JsonPropertyName("horizon")] int Horizon,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("median_ms")] double MedianMs,
    [property: JsonPropertyName("p90_ms")] double P90Ms,
    [property: JsonPropertyName("alloc_bytes")] long AllocatedBytes,
    [property: JsonPropertyName("repetitions")] int Repetitions)
{
    /// <summary>Ipopt iterations of one solve (forward rows only).</summary>
    [JsonPropertyName("ipopt_iterations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? IpoptIterations { get; init; }

    /// <summary>The solver that solved (forward rows only): StructuredQp or Ipopt (<c>OcpSolveMethod</c>).</summary>
    [JsonPropertyName("method")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }
}
