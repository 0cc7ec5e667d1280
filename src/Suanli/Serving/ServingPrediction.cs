using Suanli.Text;
using System.Globalization;
using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>The kind of benchmark a measurement row describes.</summary>
public enum ScenarioKind
{
    /// <summary>Offline throughput: every request submitted at once (vLLM benchmark_throughput).</summary>
    Offline,
    /// <summary>A fixed number of concurrent clients (benchmark_serving --max-concurrency, GenAI-Perf --concurrency).</summary>
    Concurrency,
    /// <summary>Poisson arrivals at a rate (benchmark_serving --request-rate).</summary>
    Rate,
    /// <summary>The largest rate meeting p99 targets.</summary>
    Capacity,
}

/// <summary>
/// One call from a benchmark description to predicted metric values by name, for comparing with measurement rows
/// (docs/methodology-serving.md, "Prediction API"). Names: output_tokens_per_s, total_tokens_per_s, requests_per_s,
/// goodput_requests_per_s, ttft_ms, tpot_ms, e2e_ms (means) and the same latencies with _p50, _p90 and _p99;
/// capacity scenarios add max_requests_per_s and max_concurrency.
/// </summary>
public static class ServingPrediction
{
    /// <summary>Requests simulated for an offline scenario when no count is given.</summary>
    public const int DefaultOfflineRequests = 1_000;

    /// <summary>Predicts the metrics of a scenario.</summary>
    /// <param name="deployment">The replica.</param>
    /// <param name="kind">Scenario kind.</param>
    /// <param name="concurrency">Clients (concurrency) or requests submitted at once (offline; default 1,000).</param>
    /// <param name="rate">Requests per second (rate).</param>
    /// <param name="inputTokens">Prompt tokens per request.</param>
    /// <param name="outputTokens">Output tokens per request.</param>
    /// <param name="p99Targets">Targets at p99 for capacity scenarios and goodput (null: none).</param>
    /// <param name="model">Step-time model.</param>
    /// <param name="engine">Engine settings (null: the defaults for the deployment).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="requests">Requests per simulation for concurrency, rate and capacity scenarios (null: the defaults in docs/methodology-serving.md).</param>
    public static IReadOnlyDictionary<string, double> Predict(Deployment deployment, ScenarioKind kind, int? concurrency, double? rate,
        int inputTokens, int outputTokens, ServingTargets? p99Targets, IStepTimeModel model, EngineConfig? engine = null, ulong seed = 1, int? requests = null) =>
        Predict(deployment, kind, concurrency, rate, LengthDistribution.Fixed(inputTokens, Suanli.Text.FieldNames.Input), LengthDistribution.Fixed(outputTokens, Suanli.Text.FieldNames.Output),
            p99Targets, model, engine, seed, requests);

    /// <summary>Predicts the metrics of a scenario whose request lengths follow distributions (offline requests are drawn from them with the seed).</summary>
    /// <param name="deployment">The replica.</param>
    /// <param name="kind">Scenario kind.</param>
    /// <param name="concurrency">Clients (concurrency) or requests submitted at once (offline; default 1,000).</param>
    /// <param name="rate">Requests per second (rate).</param>
    /// <param name="input">Prompt tokens per request.</param>
    /// <param name="output">Output tokens per request.</param>
    /// <param name="p99Targets">Targets at p99 for capacity scenarios and goodput (null: none).</param>
    /// <param name="model">Step-time model.</param>
    /// <param name="engine">Engine settings (null: the defaults for the deployment).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="requests">Requests per simulation for concurrency, rate and capacity scenarios (null: the defaults in docs/methodology-serving.md).</param>
    /// <param name="duration">Seconds of arrivals per rate simulation, when given (the requests then only cap the run); null: the request count decides. For a capacity
    /// scenario, the shortest measured window of each probe, which runs as a benchmark run (<see cref="BenchmarkWindow.For"/>: a warm-up of one long request's lifetime first).</param>
    /// <param name="capacity">Receives the capacity search's result of a capacity scenario (its limiting target among them); not called for other scenarios.</param>
    /// <param name="speculation">Speculative decoding of the replica (null: none).</param>
    /// <param name="cancel">Stops the simulation or capacity search (an <see cref="OperationCanceledException"/>) inside its run.</param>
    public static IReadOnlyDictionary<string, double> Predict(Deployment deployment, ScenarioKind kind, int? concurrency, double? rate,
        LengthDistribution input, LengthDistribution output, ServingTargets? p99Targets, IStepTimeModel model, EngineConfig? engine = null, ulong seed = 1, int? requests = null,
        Duration? duration = null, Action<CapacityResult>? capacity = null, Speculation? speculation = null, CancellationToken cancel = default)
    {
        var e = engine ?? EngineConfig.Default(deployment.Engine, deployment.Device);
        var targets = p99Targets is null ? ServingTargets.None : p99Targets.AllAt(Percentile.P99);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        ServingResult result;
        switch (kind)
        {
            case ScenarioKind.Offline:
                var n = concurrency ?? DefaultOfflineRequests;
                Guard.InRange(n, 1, Workload.MaxRequests, Phrase.Of("offline-requests", "requests"), FieldNames.Concurrency);
                var rng = new SplitMix64(seed);
                var trace = new List<TraceRequest>(n);
                for (var i = 0; i < n; i++)
                {
                    trace.Add(new TraceRequest(0, input.Sample(ref rng), output.Sample(ref rng)));
                }
                result = ServingSimulator.Run(deployment, Workload.FromTrace(trace, "offline requests"), e with { MaxQueue = Math.Max(e.MaxQueue, n + 1) }, model, targets, speculation, cancel);
                break;
            case ScenarioKind.Concurrency:
                var c = concurrency ?? throw new InputException(FieldNames.Concurrency, Phrase.Of("serving-needs-concurrency", "A concurrency scenario needs the number of concurrent clients."));
                result = ServingSimulator.Run(deployment, Workload.ClosedLoop(c, input, output, seed: seed, requests: requests ?? Math.Max(Workload.DefaultRequests, 10 * c)), e, model, targets, speculation, cancel);
                break;
            case ScenarioKind.Rate:
                var r = rate ?? throw new InputException(FieldNames.Rate, Phrase.Of("serving-needs-rate", "A rate scenario needs the request rate in requests per second."));
                result = ServingSimulator.Run(deployment, Workload.Poisson(r, input, output, seed, requests ?? (duration is null ? Workload.DefaultRequests : Workload.MaxRequests), duration), e, model, targets, speculation, cancel);
                break;
            default:
                if (!targets.Any)
                {
                    throw new InputException(FieldNames.Targets, Phrase.Of("serving-needs-targets", "A capacity scenario needs at least one p99 target."));
                }
                var probe = BenchmarkWindow.Probe(Workload.Poisson(1, input, output, seed, requests ?? (duration is null ? Workload.DefaultRequests : Workload.MaxRequests), duration),
                    deployment, model, targets);
                var search = CapacitySearch.Run(deployment, probe, e, model, targets, speculation: speculation, cancel: cancel);
                capacity?.Invoke(search);
                values["max_requests_per_s"] = search.MaxRequestsPerSecond ?? 0;
                values["max_concurrency"] = search.MaxConcurrency ?? 0;
                if (search.AtMax is null)
                {
                    return values;
                }
                result = search.AtMax;
                break;
        }
        values["output_tokens_per_s"] = result.Throughput.Output.InTokensPerSecond;
        values["total_tokens_per_s"] = result.Throughput.Total.InTokensPerSecond;
        values["requests_per_s"] = result.Throughput.RequestsPerSecond;
        values["goodput_requests_per_s"] = result.Throughput.GoodputRequestsPerSecond;
        Add(values, "ttft", result.Ttft);
        Add(values, "tpot", result.Tpot);
        Add(values, "e2e", result.E2e);
        return values;
    }

    private static void Add(Dictionary<string, double> values, string name, LatencySummary s)
    {
        values[name + "_ms"] = s.Mean.InMilliseconds;
        values[string.Create(CultureInfo.InvariantCulture, $"{name}_ms_p50")] = s.P50.InMilliseconds;
        values[name + "_ms_p90"] = s.P90.InMilliseconds;
        values[name + "_ms_p99"] = s.P99.InMilliseconds;
    }
}
