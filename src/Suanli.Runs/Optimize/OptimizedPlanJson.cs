namespace Suanli.Runs;

/// <summary>
/// One costed deployment of the search, grouped by meaning since contract version 3 (docs/cli.md, "JSON contract",
/// lists the version 2 names of each field).
/// </summary>
/// <param name="Deployment">What runs: the model, its formats, the device, the split and the engine with its command line.</param>
/// <param name="Fleet">Replicas and devices at the peak and their use over the day.</param>
/// <param name="Cost">Cost per month on the search's basis, with own and rent beside it.</param>
/// <param name="Capacity">What one replica serves within the targets.</param>
/// <param name="Latency">Simulated latencies at capacity (p90, and each at its target's percentile) and the one-request floors, seconds.</param>
/// <param name="Quality">The benchmark score of the model (MMLU unless the quality floor names another); null when unpublished.</param>
public sealed record OptimizedPlanJson(OptimizedDeploymentJson Deployment, OptimizedFleetJson Fleet, OptimizedCostJson Cost,
    OptimizedCapacityJson Capacity, OptimizedLatencyJson Latency, double? Quality);

/// <summary>What a costed deployment runs.</summary>
/// <param name="Model">Catalog id of the model.</param>
/// <param name="Precision">Weight format.</param>
/// <param name="KvPrecision">KV-cache format.</param>
/// <param name="Hardware">Device id.</param>
/// <param name="Tp">Tensor-parallel degree.</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Ep">Expert-parallel degree (1 for a dense model).</param>
/// <param name="DevicesPerReplica">Devices of one replica (tp x pp, times the attention data-parallel degree where it is used).</param>
/// <param name="Engine">Serving engine.</param>
/// <param name="MaxBatch">Most requests one replica runs at once (the engine's batch limit, as the command line sets it).</param>
/// <param name="CommandLine">The engine's command line that starts one replica.</param>
public sealed record OptimizedDeploymentJson(string Model, string Precision, string KvPrecision, string Hardware, int Tp, int Pp, int Ep,
    int DevicesPerReplica, string Engine, int MaxBatch, string CommandLine);

/// <summary>The fleet a costed deployment needs over the day.</summary>
/// <param name="Replicas">Replicas at the peak.</param>
/// <param name="Devices">Devices at the peak (replicas x devices per replica).</param>
/// <param name="DeviceHoursPerDay">Device-hours per day across the demand profile.</param>
/// <param name="Utilisation">Mean use of the devices over the day, 0-1.</param>
/// <param name="DevicesRange">Peak devices at the ends of the 80% capacity interval; null without one.</param>
public sealed record OptimizedFleetJson(int Replicas, int Devices, double DeviceHoursPerDay, double Utilisation, RangeJson? DevicesRange);

/// <summary>What a costed deployment costs per month, in the plan's currency.</summary>
/// <param name="PerMonth">Cost per month on the search's basis.</param>
/// <param name="Basis">The basis of <paramref name="PerMonth"/>: own or rent.</param>
/// <param name="OwnPerMonth">Owning the devices, per month; null without a purchase price.</param>
/// <param name="OwnUpfront">Owning the devices, the purchase up front; null without a purchase price.</param>
/// <param name="RentPerMonth">Renting the devices, per month; null without a rent.</param>
/// <param name="PerMonthRange">Cost per month (search basis) at the ends of the 80% capacity interval; null without one.</param>
public sealed record OptimizedCostJson(PriceReport.MoneyJson PerMonth, string Basis, PriceReport.MoneyJson? OwnPerMonth, PriceReport.MoneyJson? OwnUpfront,
    PriceReport.MoneyJson? RentPerMonth, RangeJson? PerMonthRange);

/// <summary>What one replica serves within the targets.</summary>
/// <param name="RequestsPerSecond">Requests per second one replica serves.</param>
/// <param name="Concurrency">Requests in flight on one replica at that rate.</param>
/// <param name="LimitingTarget">The target that bounds the capacity (ttft, tpot, e2e or memory; none when no target binds).</param>
/// <param name="IntervalClass">The class of the capacity's 80% interval (docs/methodology-intervals.md); null without one.</param>
public sealed record OptimizedCapacityJson(double RequestsPerSecond, double Concurrency, string LimitingTarget, string? IntervalClass);

/// <summary>The latencies of a costed deployment, seconds.</summary>
/// <param name="TtftP90Seconds">Simulated p90 time to first token at capacity; null when not simulated.</param>
/// <param name="TpotP90Seconds">Simulated p90 time per output token at capacity; null when not simulated.</param>
/// <param name="TtftSeconds">Simulated time to first token at capacity, at <paramref name="TtftPercentile"/>; null when not simulated.</param>
/// <param name="TtftPercentile">The percentile of the TTFT target, which <paramref name="TtftSeconds"/> is at (90 unless the application states another).</param>
/// <param name="TpotSeconds">Simulated time per output token at capacity, at <paramref name="TpotPercentile"/>; null when not simulated.</param>
/// <param name="TpotPercentile">The percentile of the TPOT target, which <paramref name="TpotSeconds"/> is at.</param>
/// <param name="FloorSeconds">One request alone from arrival to its last token (prefill, then each output token).</param>
/// <param name="TtftFloorSeconds">One request alone: its prefill.</param>
/// <param name="TpotFloorSeconds">One request alone: the time per output token.</param>
public sealed record OptimizedLatencyJson(double? TtftP90Seconds, double? TpotP90Seconds, double FloorSeconds, double TtftFloorSeconds, double TpotFloorSeconds,
    double? TtftSeconds, double TtftPercentile, double? TpotSeconds, double TpotPercentile);
