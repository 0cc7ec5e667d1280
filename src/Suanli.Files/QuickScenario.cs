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
/// <param name="DevicesPerReplica">Devices per replica; null: the fewest that fit.</param>
/// <param name="Kind">Whether <paramref name="Peak"/> is a rate (requests/s) or a concurrency (requests in flight).</param>
/// <param name="Peak">The peak-hour demand.</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Output tokens per request.</param>
/// <param name="TtftP90">Time-to-first-token target.</param>
/// <param name="TpotP90">Time-per-output-token target.</param>
/// <param name="Profile">The hourly traffic profile (a preset).</param>
/// <param name="Currency">The scenario's currency.</param>
/// <param name="TimeZone">The IANA time zone the profile's hours are read in, already checked; null: the file's default (UTC), recorded as an assumption.</param>
public sealed record QuickScenario(ModelEntry Model, Device Device, NumberFormat Weights, NumberFormat Kv, int? DevicesPerReplica, DemandKind Kind, double Peak,
    int InputTokens, int OutputTokens, Duration TtftP90, Duration TpotP90, TrafficProfile Profile, Currency Currency, string? TimeZone = null)
{
    /// <summary>
    /// The application's name in the scenario: the model it runs, so messages about it read "Application
    /// 'llama-3.1-70b' cannot be served" in every language rather than naming a placeholder.
    /// </summary>
    public string ApplicationName => Model.Id;

    /// <summary>The scenario's name: the model on the device.</summary>
    public string Name => $"{Model.Id} on {Device.Id}";

    /// <summary>The scenario, with <paramref name="source"/> as its source; defaults are the scenario file's and are recorded as assumptions in the file's order.</summary>
    public Scenario ToScenario(string source, SuanliCatalog catalog)
    {
        var assumptions = new List<string>();
        if (TimeZone is null)
        {
            assumptions.Add(ScenarioFile.TimeZoneAssumption);
        }
        assumptions.Add(ScenarioFile.TariffAssumption(Currency));
        var server = ScenarioFile.DefaultServer(catalog, Device, assumptions);
        if (DevicesPerReplica is null)
        {
            assumptions.Add(ScenarioFile.DevicesPerReplicaAssumption);
        }
        var rack = ScenarioFile.ReadRack(null, assumptions);
        var policy = ScenarioFile.ReadPolicy(null, assumptions);
        assumptions.Add(ScenarioFile.ProfileAssumption(ApplicationName, Profile));
        // The fields name the file's keys, as the file reader's do (applications[0].input_tokens).
        var input = LengthDistribution.Fixed(InputTokens, "applications[0].input_tokens");
        var output = LengthDistribution.Fixed(OutputTokens, "applications[0].output_tokens");
        var application = new ScenarioApplication
        {
            Name = ApplicationName,
            Models = [Model],
            Precision = Weights,
            KvPrecision = Kv,
            Engine = Engine.Vllm,
            Kind = Kind,
            Peak = Peak,
            InputTokens = input.Mean,
            OutputTokens = output.Mean,
            InputDistribution = input,
            OutputDistribution = output,
            Targets = new ServingTargets(TtftP90, TpotP90, null),
            Profile = Profile,
        };
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
        y.AppendLine($"    model: {Model.Id}");
        y.AppendLine($"    precision: {Weights.Name}");
        y.AppendLine($"    kv_precision: {Kv.Name}");
        y.AppendLine("    engine: vllm");
        y.AppendLine(Kind == DemandKind.Concurrency ? $"    peak_concurrency: {N(Peak)}" : $"    peak_rate: {N(Peak)}");
        y.AppendLine($"    input_tokens: {InputTokens.ToString(CultureInfo.InvariantCulture)}");
        y.AppendLine($"    output_tokens: {OutputTokens.ToString(CultureInfo.InvariantCulture)}");
        y.AppendLine($"    targets: {{ttft_p90_s: {N(TtftP90.InSeconds)}, tpot_p90_s: {N(TpotP90.InSeconds)}}}");
        y.AppendLine($"    profile: {Profile.Name}");
        return y.ToString();
    }
}
