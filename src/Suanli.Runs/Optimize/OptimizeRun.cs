using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>The options of a one-application search described without a scenario file (CLI flags, web query fields).</summary>
public sealed record OptimizeFlags
{
    /// <summary>Candidate models (catalog names).</summary>
    public required IReadOnlyList<string> Models { get; init; }
    /// <summary>Candidate devices.</summary>
    public required IReadOnlyList<string> Hardware { get; init; }
    /// <summary>Weight formats (default bf16).</summary>
    public IReadOnlyList<string> Precisions { get; init; } = [];
    /// <summary>Devices per replica (default 1, 2, 4, 8).</summary>
    public IReadOnlyList<int> DevicesPerReplica { get; init; } = [];
    /// <summary>Engines (default vllm).</summary>
    public IReadOnlyList<string> Engines { get; init; } = [];
    /// <summary>Mean prompt tokens.</summary>
    public required int InputTokens { get; init; }
    /// <summary>Mean output tokens.</summary>
    public required int OutputTokens { get; init; }
    /// <summary>Requests per second to serve (all day).</summary>
    public required double? Rate { get; init; }
    /// <summary>TTFT target in seconds, at <see cref="TtftPercentile"/> (p90 unless given).</summary>
    public required double Ttft { get; init; }
    /// <summary>TPOT target in seconds, at <see cref="TpotPercentile"/> (p90 unless given).</summary>
    public required double Tpot { get; init; }
    /// <summary>The field <see cref="Ttft"/> was given as, which its errors name: <c>--ttft</c>, or its old name <c>--ttft-p90</c>.</summary>
    public FieldName TtftField { get; init; } = FieldNames.Ttft;
    /// <summary>The field <see cref="Tpot"/> was given as: <c>--tpot</c>, or its old name <c>--tpot-p90</c>.</summary>
    public FieldName TpotField { get; init; } = FieldNames.Tpot;
    /// <summary>The percentile <see cref="Ttft"/>'s target is checked at instead of p90, as given (99, p99); null: p90.</summary>
    public string? TtftPercentile { get; init; }
    /// <summary>The percentile <see cref="Tpot"/>'s target is checked at instead of p90, as given; null: p90.</summary>
    public string? TpotPercentile { get; init; }
    /// <summary>Quality floor text, e.g. "MMLU >= 70".</summary>
    public string? Quality { get; init; }
    /// <summary>Reporting currency.</summary>
    public string Currency { get; init; } = "USD";
}

/// <summary>
/// What <c>suanli optimize</c> and <c>/api/optimize</c> both run: the scenario search priced from the prices
/// catalog, with its findings, laid out as a report.
/// </summary>
public static class OptimizeRun
{
    /// <summary>What to give when neither a scenario nor one application's model, device and rate were given.</summary>
    public static Phrase NeedsApplication { get; } = Phrase.Of("optimize-needs-application",
        "Give a scenario file (e.g. {scenario}), or describe one application with {model}, {hardware} and {rate} (e.g. {model} qwen2.5-14b, {hardware} h100-sxm, {rate} 10).",
        ("scenario", CommandRefs.OptimizeScenario), ("model", FieldNames.Model), ("hardware", FieldNames.Hardware), ("rate", FieldNames.Rate));

    /// <summary>A one-application scenario and its candidates from flags; the assumptions are stated in the scenario.</summary>
    public static (Scenario Scenario, CandidateSettings Settings) FromFlags(OptimizeFlags f, SuanliCatalog catalog)
    {
        var models = f.Models.Select(n => catalog.Model(n, FieldNames.Model)).DistinctBy(m => m.Id).ToList();
        var hw = f.Hardware.Select(h => catalog.Device(h, FieldNames.Hardware)).DistinctBy(d => d.Id).ToList();
        if (models.Count == 0 || hw.Count == 0 || f.Rate is not { } peak)
        {
            // The first of the three that is missing is the field at fault.
            FieldName missing = models.Count == 0 ? FieldNames.Model : hw.Count == 0 ? FieldNames.Hardware : FieldNames.Rate;
            throw new InputException(missing, NeedsApplication);
        }
        var app = new ScenarioApplication
        {
            Name = "application",
            Models = models,
            Precision = NumberFormat.Bf16,
            KvPrecision = NumberFormat.Bf16,
            Engine = Engine.Vllm,
            Kind = DemandKind.Rate,
            Peak = Guard.InRange(peak, ScenarioApplication.MinPeak, ScenarioApplication.MaxPeak, FieldNames.Rate),
            InputTokens = f.InputTokens,
            OutputTokens = f.OutputTokens,
            InputDistribution = LengthDistribution.Fixed(f.InputTokens, FieldNames.Input),
            OutputDistribution = LengthDistribution.Fixed(f.OutputTokens, FieldNames.Output),
            Targets = new ServingTargets(ServingTargets.Seconds(f.Ttft, f.TtftField), ServingTargets.Seconds(f.Tpot, f.TpotField), null)
            {
                TtftAt = At(f.TtftPercentile, FieldNames.TtftPercentile),
                TpotAt = At(f.TpotPercentile, FieldNames.TpotPercentile),
            },
            Profile = TrafficProfile.Flat,
            QualityFloor = f.Quality is { } q ? QualityFloor.Parse(q) : null,
        };
        var scenario = new Scenario
        {
            Name = "command line",
            Source = "flags",
            Currency = Quantities.Currency.Parse(f.Currency, FieldNames.Currency),
            TimeZone = "UTC",
            Device = hw[0],
            Server = FleetPlanner.DefaultServer(catalog, hw[0], Rack.Default),
            Rack = Rack.Default,
            Policy = FleetPolicy.Default,
            Applications = [app],
            Assumptions =
            [
                Assumption.Of("profile", TrafficProfile.Flat.Name, Phrase.Of("assumption.why#rate-all-day", "the {rate} holds all day", ("rate", FieldNames.Rate))),
                Assumption.Defaulted("policy", Assumption.DefaultPolicy),
                Assumption.Defaulted("rack", "12.5 kW, 42U, PUE 1.3"),
            ],
        };
        var settings = new CandidateSettings
        {
            Hardware = hw,
            Precisions = f.Precisions.Count > 0 ? [.. f.Precisions.Select(p => WeightPrecision.Parse(p, FieldNames.Precision)).Distinct()] : [NumberFormat.Bf16],
            DevicesPerReplica = f.DevicesPerReplica.Count > 0 ? [.. f.DevicesPerReplica.Distinct()] : CandidateSettings.DefaultDevicesPerReplica,
            Engines = f.Engines.Count > 0 ? [.. f.Engines.Select(e => EngineNames.Parse(e)).Distinct()] : [Engine.Vllm],
        };
        return (scenario, settings);
    }

    /// <summary>One candidate devices-per-replica value of <c>--devices</c>: a whole number from 1 to <see cref="Footprint.MemoryModel.MaxDevicesSearched"/>.</summary>
    public static int ParseDevices(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Footprint.MemoryModel.MaxDevicesSearched
            ? n
            : throw new InputException(FieldNames.Devices, Phrase.Of("devices-whole-numbers", "{devices} takes whole numbers from 1 to {max}, got '{value}'.", ("devices", FieldNames.Devices), ("max", Footprint.MemoryModel.MaxDevicesSearched.ToString(CultureInfo.InvariantCulture)), ("value", InputEcho.Clip(text))));

    /// <summary>Runs the search, prices it and builds the report.</summary>
    public static (OptimizeResult Result, Report Report) Run(Scenario scenario, CandidateSettings settings, PriceBook book, SuanliCatalog catalog, IStepTimeModel model,
        DateOnly today, int top, ScenarioSearchOptions options, IProgress<long>? progress = null)
    {
        var hardware = settings.Hardware ?? [scenario.Device];
        var pricing = PriceSelection.Resolve(hardware, book, scenario.Currency, settings.Tariff ?? scenario.Tariff ?? ElectricityDefaults.TariffRegion(scenario.Currency), today,
            settings.RentTerm, settings.PurchaseKind, settings.Tariff is null && scenario.Tariff is not null ? (FieldRef)FieldNames.Tariff : default(FieldRef));
        options = options with
        {
            ServerFor = options.ServerFor ?? scenario.ServerFor(catalog),
            Lengths = options.Lengths ?? (app => (app.InputDistribution, app.OutputDistribution)),
            Interval = options.Interval ?? (model is CalibratedStepTimeModel ? c => IntervalFiles.Find(IntervalFiles.Embedded, PredictionKind.Capacity, c.Engine, c.Device) : null),
        };
        var result = ScenarioSearch.Run(scenario, settings, pricing.Devices, model, options, progress);
        var findings = new List<Finding>(pricing.Findings);
        findings.AddRange(PriceSelection.RateFindings(pricing.Converter, book, today));
        findings.Add(Finding.Info("evaluator",
            "Shortlisted candidates are verified with the serving simulator's capacity search ({requests} requests per probe, engine defaults per device, {stepModel} step times); the rest are pruned or rejected with the analytic bound.",
            ("requests", options.RequestsPerProbe.ToString("N0", CultureInfo.InvariantCulture)), ("stepModel", model.GetType().Name)));
        return (result, OptimizeReport.Build(result, top, findings));
    }

    // A stated percentile, checked against what a probe can estimate; none: p90.
    private static Percentile At(string? text, FieldName field) => text is null ? Percentile.P90 : Percentile.Parse(text, field).CheckProbe(field);
}
