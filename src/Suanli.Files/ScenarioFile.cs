using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// Reads a scenario (YAML; JSON is accepted as YAML's subset) into a <see cref="Scenario"/>. Unknown keys are
/// refused with the nearest valid key, file, line and column; every default applied is listed in the scenario's
/// assumptions. Schema: docs/scenario.md and docs/scenario.schema.json.
/// </summary>
public static class ScenarioFile
{
    /// <summary>Keys valid at the top of a scenario (docs/scenario.schema.json lists the same).</summary>
    public static IReadOnlyList<string> RootKeys { get; } = ["name", "currency", "time_zone", "tariff", "rent_term", "hardware", "server", "devices_per_replica", "rack", "policy", "applications", "candidates"];

    /// <summary>Keys valid in an application.</summary>
    public static IReadOnlyList<string> ApplicationKeys { get; } = ["name", "model", "models", "precision", "kv_precision", "engine", "max_num_seqs", "max_batched_tokens", "prefix_hit_rate", "peak_concurrency", "peak_rate", "users", "input_tokens", "output_tokens", "targets", "profile", "time_zone", "quality", "layout"];

    /// <summary>The scenario `suanli plan` runs with no argument: seed case C2's knowledge base.</summary>
    public const string DefaultEmbedded = "examples/c2-knowledge-base.yaml";

    /// <summary>Keys valid in the optional <c>candidates</c> section (what <c>suanli optimize</c> searches).</summary>
    public static IReadOnlyList<string> CandidateKeys { get; } = ["models", "hardware", "precisions", "devices_per_replica", "engines", "cost", "tariff", "rent_term", "purchase"];

    /// <summary>Reads a scenario file and its <c>candidates</c> section (defaults when absent) for <c>suanli optimize</c>.</summary>
    public static (Scenario Scenario, CandidateSettings Candidates) LoadSearch(string path, SuanliCatalog catalog)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InputException("scenario", Phrase.Of("scenario-missing#search", "Scenario file '{path}' does not exist. See examples/c2-optimize.yaml and examples/c3-optimize.yaml.", ("path", path)));
        }
        return ParseSearch(InputFiles.ReadText(path, "scenario"), path, catalog);
    }

    /// <summary>Parses scenario text with its <c>candidates</c> section.</summary>
    public static (Scenario Scenario, CandidateSettings Candidates) ParseSearch(string text, string file, SuanliCatalog catalog) => ParseAll(text, file, catalog);

    /// <summary>Reads a scenario file from disk.</summary>
    public static Scenario Load(string path, SuanliCatalog catalog)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            // Only the command line reads a scenario from a path, so the command is spelled as it runs.
            throw new InputException("scenario", Phrase.Of("scenario-missing", "Scenario file '{path}' does not exist. Run {command} with no argument for the built-in example, or see examples/.",
                ("path", path), ("command", "'suanli plan'")));
        }
        return Parse(InputFiles.ReadText(path, "scenario"), path, catalog);
    }

    /// <summary>Reads the embedded default scenario.</summary>
    public static Scenario LoadDefault(SuanliCatalog catalog) => Parse(CatalogFiles.ReadEmbedded(DefaultEmbedded), DefaultEmbedded, catalog);

    /// <summary>A value as a person reads it in an assumption: a catalog entry by its id, never a record's program text.</summary>
    internal static string Named(object? value) => value switch
    {
        null => "none",
        Server s => s.Id,
        Device d => d.Id,
        ModelEntry m => m.Id,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Parses scenario text; <paramref name="file"/> names it in errors.</summary>
    public static Scenario Parse(string text, string file, SuanliCatalog catalog) => ParseAll(text, file, catalog).Scenario;

    private static (Scenario Scenario, CandidateSettings Candidates) ParseAll(string text, string file, SuanliCatalog catalog)
    {
        var root = YamlMap.Parse(text, file);
        var marks = root.Marks();
        root.Expect([.. RootKeys]);
        var assumptions = new List<Phrase>();
        T Default<T>(T value, string key, Phrase why)
        {
            assumptions.Add(Assumption.Of(key, Named(value), why));
            return value;
        }

        var name = root.OptStr("name") ?? Default(Path.GetFileNameWithoutExtension(file), "name", Assumption.FileName);
        var currency = root.OptStr("currency") is { } cur ? Parse(root, "currency", () => Currency.Parse(cur, "currency")) : Default(Currency.Usd, "currency", Assumption.Default);
        var timeZone = root.OptStr("time_zone") is { } zone
            ? Parse(root, "time_zone", () => TimeZoneNames.Check(zone, "time_zone"))
            : Note(DefaultTimeZone, TimeZoneAssumption, assumptions);
        var tariff = root.OptStr("tariff");
        if (tariff is null)
        {
            assumptions.Add(TariffAssumption(currency));
        }
        // The rent term the plan is pinned to (docs/scenario.md); without one the plan chooses among the terms
        // (docs/methodology-cost.md, "Choosing the rent term"). candidates.rent_term, when given, overrides it for the search.
        var rentTerm = root.OptStr("rent_term") is { } term
            ? Parse(root, "rent_term", () => Suanli.Cost.RentTerms.Parse(term, "rent_term"))
            : (Suanli.Cost.RentTerm?)null;
        var candidates = ReadCandidates(root.Map("candidates"), catalog, rentTerm);
        Device device;
        if (root.OptStr("hardware") is { } hardwareName)
        {
            device = Parse(root, "hardware", () => catalog.Device(hardwareName, "hardware"));
        }
        else if (candidates.Hardware is { Count: > 0 } listed)
        {
            device = Default(listed[0], "hardware", Assumption.FirstCandidateDevice);
        }
        else
        {
            throw new InputException(FieldNames.Hardware, Phrase.Of("scenario-hardware-missing",
                "Missing required key '{hardware}' (a device id such as nvidia-a100-sxm4-80gb; see {catalog}), or list devices under candidates.hardware.",
                ("hardware", FieldNames.Hardware), ("catalog", CommandRefs.CatalogHardware)), root.At("hardware"), FieldNames.Scenario(null));
        }
        // The rack is read before the default server, which must fit it; its assumptions keep their place after the server's.
        var rackAssumptions = new List<Phrase>();
        var rack = ReadRack(root.Map("rack"), rackAssumptions);
        Server server;
        if (root.OptStr("server") is { } serverName)
        {
            server = Parse(root, "server", () => catalog.Server(serverName, "server"));
            if (!string.Equals(server.DeviceId, device.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw root.Error("server", Phrase.Of("scenario-server-device", "Server '{server}' holds {holds}, not {device}; name a server of {device} or leave server out.",
                    ("server", server.Id), ("holds", server.DeviceId), ("device", device.Id)));
            }
        }
        else
        {
            server = DefaultServer(catalog, device, rack, assumptions);
        }
        var devicesPerReplica = root.OptInt("devices_per_replica");
        if (devicesPerReplica is { } dpr && (dpr < 1 || dpr > 128))
        {
            throw root.Error("devices_per_replica", Phrase.Of("scenario-devices-per-replica", "devices_per_replica must be from 1 to 128, got {value}.", ("value", dpr.ToString(CultureInfo.InvariantCulture))));
        }
        // What sizes the replicas goes here once the applications are read: a pinned layout is stated as itself, and the
        // default devices_per_replica only when an application pins none (docs/scenario.md).
        var replicaSizeAt = assumptions.Count;

        assumptions.AddRange(rackAssumptions);
        var policy = ReadPolicy(root.Map("policy"), assumptions);
        var apps = root.Maps("applications");
        if (apps.Count == 0)
        {
            throw root.Error("applications", Phrase.Of("scenario-applications-empty", "The scenario needs at least one entry under 'applications'."));
        }
        if (apps.Count > Scenario.MaxApplications)
        {
            throw root.Error("applications", Phrase.Of("scenario-too-many-applications", "The scenario has {count} applications, over the limit of {max}; split it into several scenario files.",
                ("count", Fmt.Number(apps.Count)), ("max", Fmt.Number(Scenario.MaxApplications))));
        }
        // A pinned layout serves plan on the scenario's device and optimize on each candidate device: its suggestions fit them all.
        IReadOnlyList<Device> layoutDevices = [.. new[] { device }.Concat(candidates.Hardware ?? []).DistinctBy(d => d.Id)];
        var applications = apps.Select(a => ApplicationSection.Read(a, catalog, assumptions, candidates.CatalogModels, layoutDevices)).ToList();
        var duplicate = applications.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw root.Error("applications", Phrase.Of("scenario-duplicate-application", "Two applications are named '{name}'; names must be unique.", ("name", duplicate.Key)));
        }
        List<Phrase> replicaSize = [.. applications.Where(a => a.StatedLayout is not null).Select(a => Assumption.Of($"{a.Name}.layout", a.StatedLayout!.ToString(), Assumption.PinnedLayout))];
        if (devicesPerReplica is null && applications.Any(a => a.StatedLayout is null))
        {
            replicaSize.Insert(0, DevicesPerReplicaAssumption);
        }
        assumptions.InsertRange(replicaSizeAt, replicaSize);
        root.Done();
        var scenario = new Scenario
        {
            Name = name,
            Source = file,
            Currency = currency,
            TimeZone = timeZone,
            Tariff = tariff,
            RentTerm = rentTerm,
            Device = device,
            Server = server,
            DevicesPerReplica = devicesPerReplica,
            Rack = rack,
            Policy = policy,
            Applications = applications,
            Assumptions = assumptions,
            Marks = marks,
        };
        return (scenario, candidates);
    }

    /// <summary>
    /// Runs a step (plan, search) on a scenario read from a file, turning an input error the core raises with a logical
    /// field into one that names the scenario's key as the user wrote it (<c>applications[0].input_tokens</c>) at its
    /// file, line and column, never a command-line option (docs/scenario.md, "Errors"). A key the file leaves out (a
    /// default was used) is located at the nearest enclosing key; a field the file has no key for (the search limit of
    /// <c>suanli optimize</c>) keeps its option spelling and no position.
    /// </summary>
    public static T Located<T>(Scenario scenario, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (InputException ex) when (ex is { FieldId: { } field, Text: { } text, Spelling: null, Location: null } && scenario.Marks.Count > 0)
        {
            var spell = FieldNames.Scenario(ex.Application);
            var key = spell(field);
            throw new InputException(field, text, key.StartsWith('-') ? null : Mark(scenario, key), spell) { Application = ex.Application };
        }
    }

    /// <summary>The position of <paramref name="key"/>, else of its nearest enclosing key, else the file.</summary>
    private static SourceLocation Mark(Scenario scenario, string key)
    {
        for (var k = key; k.Length > 0; k = k[..Math.Max(0, k.LastIndexOfAny(['.', '[']))])
        {
            if (scenario.Marks.TryGetValue(k, out var at))
            {
                return at;
            }
        }
        return new SourceLocation(scenario.Source);
    }

    private static CandidateSettings ReadCandidates(YamlMap? m, SuanliCatalog catalog, Suanli.Cost.RentTerm? scenarioTerm)
    {
        if (m is null)
        {
            return new CandidateSettings { RentTerm = scenarioTerm };
        }
        m.Expect([.. CandidateKeys]);
        List<T>? Many<T>(string key, Func<string, T> parse)
        {
            if (!m.Has(key))
            {
                return null;
            }
            var items = m.Items(key);
            if (items.Count == 0)
            {
                throw m.Error(key, Phrase.Of("candidates-empty", "candidates.{key} is empty; list at least one value or remove the key for its default.", ("key", key)));
            }
            return [.. items.Select(v => Parse(m, key, () => parse(v))).Distinct()];
        }
        var models = m.OptStr("models")?.Trim().ToLowerInvariant();
        if (models is not (null or "application" or "catalog"))
        {
            throw m.Error("models", Phrase.Of("candidates-models", "candidates.models is 'application' (each application's model or models, the default) or 'catalog' (every catalog model meeting the application's quality floor), got '{value}'.", ("value", m.OptStr("models") ?? "")));
        }
        var costText = m.OptStr("cost");
        var cost = costText is null ? CostBasis.Cheaper : CostBases.TryParse(costText)
            ?? throw m.Error("cost", Phrase.Of("candidates-cost", "candidates.cost is cheaper (the default: own or rent, whichever costs less), own or rent, got '{value}'.", ("value", costText.Trim().ToLowerInvariant())));
        var settings = new CandidateSettings
        {
            Hardware = Many("hardware", h => catalog.Device(h, "candidates.hardware")),
            Precisions = Many("precisions", p => WeightPrecision.Parse(p, "candidates.precisions")),
            DevicesPerReplica = Many("devices_per_replica", d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Suanli.Footprint.MemoryModel.MaxDevicesSearched
                ? n
                : throw new InputException("candidates.devices_per_replica", Phrase.Of("candidates-devices-per-replica", "candidates.devices_per_replica takes whole numbers from 1 to {max}, got '{value}'.",
                    ("max", Suanli.Footprint.MemoryModel.MaxDevicesSearched.ToString(CultureInfo.InvariantCulture)), ("value", d)))),
            Engines = Many("engines", e => EngineNames.Parse(e, "candidates.engines")),
            CatalogModels = models == "catalog",
            Basis = cost,
            Tariff = m.OptStr("tariff"),
            RentTerm = m.OptStr("rent_term") is { } term ? Parse(m, "rent_term", () => Suanli.Cost.RentTerms.Parse(term, "candidates.rent_term")) : scenarioTerm,
            PurchaseKind = m.OptStr("purchase") is { } kind ? Parse(m, "purchase", () => Suanli.Cost.PurchaseChoice.Parse(kind, "candidates.purchase")) : null,
        };
        m.Done();
        return settings;
    }

    /// <summary>The time zone of a scenario that names none.</summary>
    internal const string DefaultTimeZone = "UTC";

    /// <summary>The assumption recorded when a scenario names no time zone.</summary>
    internal static Phrase TimeZoneAssumption { get; } = Assumption.Of("time_zone", DefaultTimeZone, Assumption.DefaultTimeZone);

    /// <summary>The assumption recorded when a scenario fixes no devices per replica.</summary>
    internal static Phrase DevicesPerReplicaAssumption { get; } = Assumption.Defaulted("devices_per_replica", Assumption.MostLoadPerDevice);

    /// <summary>
    /// The assumption recorded when a scenario names no tariff, a phrase so a front end can spell the command its own
    /// way; the scenario's assumptions keep its English with the command line's spelling (the reports' JSON).
    /// </summary>
    internal static Phrase TariffAssumption(Currency currency) => Phrase.Of("assumption#default-tariff", "tariff = {region} (default for {currency}; see {prices})",
        ("region", ElectricityDefaults.TariffRegion(currency)), ("currency", currency.ToString()), ("prices", CommandRefs.CatalogPrices));

    /// <summary>The server of a scenario that names none (<see cref="FleetPlanner.DefaultServer"/>), recorded as an assumption.</summary>
    internal static Server DefaultServer(SuanliCatalog catalog, Device device, Rack rack, List<Phrase> assumptions)
    {
        var chosen = FleetPlanner.DefaultServer(catalog, device, rack);
        var why = FleetPlanner.IsGeneric(chosen, device) ? Assumption.GenericServer : Assumption.CatalogServer;
        assumptions.Add(Assumption.Of("server", Named(chosen), why));
        return chosen;
    }

    /// <summary>A rack from its map; null: the default rack, recorded as an assumption.</summary>
    internal static Rack ReadRack(YamlMap? m, List<Phrase> assumptions)
    {
        var d = Rack.Default;
        m?.Expect("power", "height_u", "pue");
        if (m is null)
        {
            assumptions.Add(Assumption.Of("rack", "12.5 kW, 42U, PUE 1.3", Assumption.DefaultRack));
            return d;
        }
        var power = m.OptStr("power") is { } p ? Parse(m, "power", () => QuantityText.ParsePower(p, "rack.power")) : Note(d.PowerBudget, Assumption.Defaulted("rack.power", "12.5 kW"), assumptions);
        var height = m.OptInt("height_u") ?? Note(d.HeightU, Assumption.Defaulted("rack.height_u", "42"), assumptions);
        var pue = m.OptNum("pue") ?? Note(d.Pue, Assumption.Defaulted("rack.pue", "1.3"), assumptions);
        // One sentence for both named rack.power, at power's line, when only height_u (100,000) was wrong.
        if (power.Value <= 0)
        {
            throw m.Error("power", Phrase.Of("rack-power-not-positive", "rack.power must be above zero; give the IT power one rack may draw, e.g. 12.5 kW."));
        }
        if (power.InKilowatts > Rack.MaxPowerKw)
        {
            throw m.Error("power", Phrase.Of("rack-power-too-large", "rack.power must be at most {max} (a megawatt rack, the largest announced), got {value}; give the IT power one rack may draw, e.g. 12.5 kW.",
                ("max", Fmt.I($"{Rack.MaxPowerKw:N0} kW")), ("value", m.OptStr("power")!)));
        }
        if (height is < 1 or > Rack.MaxHeightU)
        {
            throw m.Error("height_u", Phrase.Of("rack-height-range", "rack.height_u must be from 1 to 60 rack units, got {value}; the industry-standard rack is 42U.",
                ("value", Suanli.Text.Fmt.Number(height))));
        }
        if (pue is < 1.0 or > 3.0)
        {
            throw m.Error("pue", Phrase.Of("rack-pue-range", "rack.pue must be from 1.0 to 3.0, got {value}; a data centre's PUE is total power over IT power, 1.3 by default.", ("value", Suanli.Text.Fmt.Number(pue))));
        }
        m.Done();
        return new Rack(power, height, pue);
    }

    /// <summary>A fleet policy from its map; null: the default policy, recorded as an assumption.</summary>
    internal static FleetPolicy ReadPolicy(YamlMap? m, List<Phrase> assumptions)
    {
        var d = FleetPolicy.Default;
        m?.Expect("headroom", "min_replicas", "scale_up_delay_minutes");
        if (m is null)
        {
            assumptions.Add(Assumption.Defaulted("policy", Assumption.DefaultPolicy));
            return d;
        }
        var headroom = m.OptNum("headroom") ?? Note(d.Headroom, Assumption.Defaulted("policy.headroom", "0.2"), assumptions);
        var min = m.OptInt("min_replicas") ?? Note(d.MinReplicas, Assumption.Defaulted("policy.min_replicas", "1"), assumptions);
        var delay = m.OptNum("scale_up_delay_minutes") ?? Note(d.ScaleUpDelay.InMinutes, Assumption.Defaulted("policy.scale_up_delay_minutes", "10"), assumptions);
        if (headroom is < 0 or > 10)
        {
            throw m.Error("headroom", Phrase.Of("policy-headroom", "policy.headroom is a fraction from 0 to 10 (0.2 = 20%), got {value}.", ("value", Fmt.Number(headroom))));
        }
        if (min is < 0 or > FleetPolicy.MaxMinReplicas)
        {
            // 1e9 passed here and was refused by the fleet planner as "min_replicas must be between 0 and 100000", at no line.
            throw m.Error("min_replicas", Phrase.Of("policy-min-replicas", "{field} must be a whole number from 0 to 100,000, got {value}.",
                ("field", m.Named("min_replicas")), ("value", min.ToString("N0", CultureInfo.InvariantCulture))));
        }
        if (delay is < 0 or > 1440)
        {
            // A delay of -1 was told as "policy.min_replicas must be 0 or more and scale_up_delay_minutes from 0 to 1440", at min_replicas.
            throw m.Error("scale_up_delay_minutes", Phrase.Of("policy-scale-up-delay", "{field} must be from 0 to 1,440 minutes (one day), got {value}.",
                ("field", m.Named("scale_up_delay_minutes")), ("value", Suanli.Text.Fmt.Number(delay))));
        }
        m.Done();
        return new FleetPolicy(headroom, min, Duration.FromMinutes(delay));
    }

    /// <summary>Runs a parse of the value at <paramref name="key"/>, placing its error at that key's line.</summary>
    internal static T Parse<T>(YamlMap m, string key, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InputException ex) when (ex.Location is null)
        {
            throw Placed(ex, ex.Field, m.At(key));
        }
    }

    /// <summary>
    /// <paramref name="ex"/> placed at <paramref name="at"/> under <paramref name="field"/>, keeping its phrase when its
    /// fields were spelled when it was made (so a front end still renders it in its reader's language).
    /// </summary>
    internal static InputException Placed(InputException ex, string field, SourceLocation at) =>
        ex.Text is { } text && ex.FieldId is null ? new InputException(field, text, at) : new InputException(field, ex.Detail, at);

    /// <summary>A default applied, recorded as an assumption.</summary>
    internal static T Note<T>(T value, Phrase text, List<Phrase> assumptions)
    {
        assumptions.Add(text);
        return value;
    }
}
