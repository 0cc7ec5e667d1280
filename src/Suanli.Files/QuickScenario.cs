using System.Globalization;
using System.Text;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Files;

/// <summary>
/// A one-application scenario given as values (the planner page's query), every value already checked. It becomes
/// the same <see cref="Scenario"/> that <see cref="ScenarioFile"/> reads from the file <see cref="ToYaml"/> writes,
/// with the same defaults and assumptions, without passing through YAML text.
/// </summary>
/// <param name="Model">The model.</param>
/// <param name="Device">The device (and the scenario's hardware).</param>
/// <param name="Weights">Weight format.</param>
/// <param name="Kv">KV-cache format.</param>
/// <param name="DevicesPerReplica">Devices per replica; null: chosen by the planner (the layout carrying the most load per device).</param>
/// <param name="Kind">Whether <paramref name="Peak"/> is a rate (requests/s) or a concurrency (requests in flight).</param>
/// <param name="Peak">The peak-hour demand.</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Output tokens per request.</param>
/// <param name="TtftP90">Time-to-first-token target, at <see cref="TtftAt"/> (p90 unless stated).</param>
/// <param name="TpotP90">Time-per-output-token target, at <see cref="TpotAt"/> (p90 unless stated).</param>
/// <param name="Profile">The hourly traffic profile (a preset).</param>
/// <param name="Currency">The scenario's currency.</param>
/// <param name="TimeZone">The IANA time zone the profile's hours are read in, already checked; null: the file's default (UTC), recorded as an assumption.</param>
public sealed record QuickScenario(ModelEntry Model, Device Device, WeightPrecision Weights, NumberFormat Kv, int? DevicesPerReplica, DemandKind Kind, double Peak,
    int InputTokens, int OutputTokens, Duration TtftP90, Duration TpotP90, TrafficProfile Profile, Currency Currency, string? TimeZone = null)
{
    /// <summary>
    /// The application's name in the scenario: the model it runs, so messages about it read "Application
    /// 'llama-3.1-70b' cannot be served" in every language rather than naming a placeholder.
    /// </summary>
    public string ApplicationName => Model.Id;

    /// <summary>The percentile the TTFT target is checked at (the file's <c>ttft_p99_s</c>); p90 unless stated.</summary>
    public Percentile TtftAt { get; init; } = Percentile.P90;

    /// <summary>The percentile the TPOT target is checked at; p90 unless stated.</summary>
    public Percentile TpotAt { get; init; } = Percentile.P90;

    // A percentile as the file's key writes it: 99 of ttft_p99_s, 99.9 of e2e_p99.9_s.
    private static string Key(Percentile p) => p.Value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// The model's name as the catalog resolves it again: its id, or for a generic model the size asked for
    /// (<c>dense:70b</c>), since its id (<c>dense-70b</c>) names no catalog entry.
    /// </summary>
    public string ModelName => Model.ConfigKind == "generic" && Model.Aliases.Count > 0 ? Model.Aliases[0] : Model.Id;

    /// <summary>The web query's default prompt tokens per request (the page's own; a scenario file requires the key).</summary>
    public const int DefaultInputTokens = 1024;

    /// <summary>The web query's default output tokens per request (the page's own; a scenario file requires the key).</summary>
    public const int DefaultOutputTokens = 256;

    /// <summary>The scenario's name: the model on the device.</summary>
    public string Name => $"{Model.Id} on {Device.Id}";

    /// <summary>The scenario, with <paramref name="source"/> as its source; defaults are the scenario file's and are recorded as assumptions in the file's order.</summary>
    public Scenario ToScenario(string source, SuanliCatalog catalog)
    {
        var assumptions = new List<Suanli.Text.Phrase>();
        if (TimeZone is null)
        {
            assumptions.Add(ScenarioFile.TimeZoneAssumption);
        }
        assumptions.Add(ScenarioFile.TariffAssumption(Currency));
        var rackAssumptions = new List<Suanli.Text.Phrase>();
        var rack = ScenarioFile.ReadRack(null, rackAssumptions);
        var server = ScenarioFile.DefaultServer(catalog, Device, rack, assumptions);
        if (DevicesPerReplica is null)
        {
            assumptions.Add(ScenarioFile.DevicesPerReplicaAssumption);
        }
        assumptions.AddRange(rackAssumptions);
        var policy = ScenarioFile.ReadPolicy(null, assumptions);
        // The query fills the file's keys, every one given, so the draft records the same assumptions as the file
        // ToYaml writes; the lengths' fields name the file's keys, as the file reader's do (applications[0].input_tokens).
        var draft = new ApplicationDraft
        {
            Name = ApplicationName,
            Models = [ModelName],
            Precision = Weights.Name,
            KvPrecision = Kv.Name,
            Engine = "vllm",
            PeakConcurrency = Kind == DemandKind.Concurrency ? Peak : null,
            PeakRate = Kind == DemandKind.Concurrency ? null : Peak,
            InputTokens = LengthDistribution.Fixed(InputTokens, "applications[0].input_tokens"),
            OutputTokens = LengthDistribution.Fixed(OutputTokens, "applications[0].output_tokens"),
            Targets = new TargetsDraft(TtftP90.InSeconds, TpotP90.InSeconds, null) { TtftPercentile = Key(TtftAt), TpotPercentile = Key(TpotAt) },
            Profile = Profile.Name,
        };
        var application = draft.Resolve(catalog, new QueryFields(), assumptions);
        return new Scenario
        {
            Name = Name,
            Source = source,
            Currency = Currency,
            TimeZone = TimeZone ?? ScenarioFile.DefaultTimeZone,
            Device = Device,
            Server = server,
            DevicesPerReplica = DevicesPerReplica,
            Rack = rack,
            Policy = policy,
            Applications = [application],
            Assumptions = assumptions,
        };
    }

    /// <summary>The scenario file of these values (what the planner page offers to download; <c>suanli plan</c> reads it back to the same scenario).</summary>
    public string ToYaml()
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var y = new StringBuilder();
        y.AppendLine("# Scenario written by the Suanli planner page; plan it with: suanli plan scenario.yaml");
        y.AppendLine("# Schema: docs/scenario.md. Every default the planner applies is listed in the report's assumptions.");
        y.AppendLine($"name: {Name}");
        y.AppendLine($"currency: {Currency.Code}");
        if (TimeZone is not null)
        {
            y.AppendLine($"time_zone: {TimeZone}");
        }
        y.AppendLine($"hardware: {Device.Id}");
        if (DevicesPerReplica is { } n)
        {
            y.AppendLine($"devices_per_replica: {n.ToString(CultureInfo.InvariantCulture)}");
        }
        y.AppendLine("applications:");
        y.AppendLine($"  - name: {ApplicationName}");
        y.AppendLine($"    model: {ModelName}");
        y.AppendLine($"    precision: {Weights.Name}");
        y.AppendLine($"    kv_precision: {Kv.Name}");
        y.AppendLine("    engine: vllm");
        y.AppendLine(Kind == DemandKind.Concurrency ? $"    peak_concurrency: {N(Peak)}" : $"    peak_rate: {N(Peak)}");
        y.AppendLine($"    input_tokens: {InputTokens.ToString(CultureInfo.InvariantCulture)}");
        y.AppendLine($"    output_tokens: {OutputTokens.ToString(CultureInfo.InvariantCulture)}");
        y.AppendLine($"    targets: {{ttft_p{Key(TtftAt)}_s: {N(TtftP90.InSeconds)}, tpot_p{Key(TpotAt)}_s: {N(TpotP90.InSeconds)}}}");
        y.AppendLine($"    profile: {Profile.Name}");
        return y.ToString();
    }

    /// <summary>
    /// The query's fields as the draft's keys. Every value was checked against the same limits when the query was read
    /// (the page's own messages), so an error here names the query parameter without a position.
    /// </summary>
    private sealed class QueryFields : IDraftFields
    {
        public string Name(string key) => key switch
        {
            "input_tokens" => "input",
            "output_tokens" => "output",
            // The seconds of a target at any percentile are the query's ttftP90 and tpotP90 (their percentile, ttftPercentile).
            _ when key.StartsWith("targets.ttft_p", StringComparison.Ordinal) => "ttftP90",
            _ when key.StartsWith("targets.tpot_p", StringComparison.Ordinal) => "tpotP90",
            "targets.e2e_p90_s" => "e2eP90",
            _ => string.Concat(key.Split('_', '.').Select((w, i) => i == 0 || w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])),
        };

        public InputException Error(string key, Suanli.Text.Phrase message, string? at = null) => new(Name(key), message);

        public T At<T>(string key, Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (InputException ex) when (ex.Location is null && ex.FieldId is null)
            {
                throw ex.Text is { } text ? new InputException(Name(key), text) : new InputException(Name(key), ex.Detail);
            }
        }
    }
}
