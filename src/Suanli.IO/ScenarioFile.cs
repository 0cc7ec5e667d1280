using System.Globalization;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.IO;

/// <summary>
/// Reads a scenario (YAML; JSON is accepted as YAML's subset) into a <see cref="Scenario"/>. Unknown keys are
/// refused with the nearest valid key, file, line and column; every default applied is listed in the scenario's
/// assumptions. Schema: docs/scenario.md and docs/scenario.schema.json.
/// </summary>
public static class ScenarioFile
{
    /// <summary>Keys valid at the top of a scenario (docs/scenario.schema.json lists the same).</summary>
    public static IReadOnlyList<string> RootKeys { get; } = ["name", "currency", "time_zone", "tariff", "hardware", "server", "devices_per_replica", "rack", "policy", "applications"];

    /// <summary>Keys valid in an application.</summary>
    public static IReadOnlyList<string> ApplicationKeys { get; } = ["name", "model", "models", "precision", "kv_precision", "engine", "peak_concurrency", "peak_rate", "input_tokens", "output_tokens", "targets", "profile", "quality"];

    /// <summary>The scenario `suanli plan` runs with no argument: seed case C2's knowledge base.</summary>
    public const string DefaultEmbedded = "examples/c2-knowledge-base.yaml";

    /// <summary>Reads a scenario file from disk.</summary>
    public static Scenario Load(string path, SuanliCatalog catalog)
    {
        if (!File.Exists(path))
        {
            throw new InputException("scenario", $"Scenario file '{path}' does not exist. Run 'suanli plan' with no argument for the built-in example, or see examples/.");
        }
        return Parse(File.ReadAllText(path), path, catalog);
    }

    /// <summary>Reads the embedded default scenario.</summary>
    public static Scenario LoadDefault(SuanliCatalog catalog) => Parse(CatalogFiles.ReadEmbedded(DefaultEmbedded), DefaultEmbedded, catalog);

    /// <summary>Parses scenario text; <paramref name="file"/> names it in errors.</summary>
    public static Scenario Parse(string text, string file, SuanliCatalog catalog)
    {
        var root = YamlMap.Parse(text, file);
        root.Expect([.. RootKeys]);
        var assumptions = new List<string>();
        T Default<T>(T value, string key, string why)
        {
            assumptions.Add($"{key} = {value} ({why})");
            return value;
        }

        var name = root.OptStr("name") ?? Default(Path.GetFileNameWithoutExtension(file), "name", "file name");
        var currency = root.OptStr("currency") is { } cur ? Currency.Parse(cur, "currency") : Default(Currency.Usd, "currency", "default");
        var timeZone = root.OptStr("time_zone") ?? Default("UTC", "time_zone", "default; hourly profiles are read in this zone");
        var tariff = root.OptStr("tariff");
        if (tariff is null)
        {
            assumptions.Add($"tariff = {PlanPricing.DefaultTariffRegion(currency)} (default for {currency}; see 'suanli catalog prices')");
        }
        var hardwareName = root.OptStr("hardware") ?? throw root.Error("hardware", "Missing required key 'hardware' (a device id such as nvidia-a100-sxm4-80gb; see 'suanli catalog hardware').");
        Device device;
        try
        {
            device = catalog.Device(hardwareName, "hardware");
        }
        catch (InputException ex)
        {
            throw new InputException("hardware", ex.Detail, root.At("hardware"));
        }
        Server server;
        if (root.OptStr("server") is { } serverName)
        {
            try
            {
                server = catalog.Server(serverName, "server");
            }
            catch (InputException ex)
            {
                throw new InputException("server", ex.Detail, root.At("server"));
            }
            if (!string.Equals(server.DeviceId, device.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw root.Error("server", $"Server '{server.Id}' holds {server.DeviceId}, not {device.Id}.");
            }
        }
        else
        {
            var servers = catalog.ServersFor(device);
            server = servers.Count > 0
                ? Default(servers[^1], "server", "catalog server for the device")
                : Default(FleetPlanner.GenericServer(device), "server", "no catalog server for the device: generic node, nameplate 1.8 x device TDP");
        }
        var devicesPerReplica = root.OptInt("devices_per_replica");
        if (devicesPerReplica is { } dpr && (dpr < 1 || dpr > 128))
        {
            throw root.Error("devices_per_replica", $"devices_per_replica must be from 1 to 128, got {dpr}.");
        }
        if (devicesPerReplica is null)
        {
            assumptions.Add("devices_per_replica = fewest that fit, tensor parallel preferred (default)");
        }

        var rack = ReadRack(root.Map("rack"), assumptions);
        var policy = ReadPolicy(root.Map("policy"), assumptions);
        var apps = root.Maps("applications");
        if (apps.Count == 0)
        {
            throw root.Error("applications", "The scenario needs at least one entry under 'applications'.");
        }
        var applications = apps.Select(a => ReadApplication(a, catalog, assumptions)).ToList();
        var duplicate = applications.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw root.Error("applications", $"Two applications are named '{duplicate.Key}'; names must be unique.");
        }
        root.Done();
        return new Scenario
        {
            Name = name,
            Source = file,
            Currency = currency,
            TimeZone = timeZone,
            Tariff = tariff,
            Device = device,
            Server = server,
            DevicesPerReplica = devicesPerReplica,
            Rack = rack,
            Policy = policy,
            Applications = applications,
            Assumptions = assumptions,
        };
    }

    private static Rack ReadRack(YamlMap? m, List<string> assumptions)
    {
        var d = Rack.Default;
        m?.Expect("power", "height_u", "pue");
        if (m is null)
        {
            assumptions.Add("rack = 12.5 kW, 42U, PUE 1.3 (default: seed case C7's rack; PUE per docs/methodology-fleet.md)");
            return d;
        }
        var power = m.OptStr("power") is { } p ? Parse(m, "power", () => QuantityText.ParsePower(p, "rack.power")) : Note(d.PowerBudget, "rack.power = 12.5 kW (default)", assumptions);
        var height = m.OptInt("height_u") ?? Note(d.HeightU, "rack.height_u = 42 (default)", assumptions);
        var pue = m.OptNum("pue") ?? Note(d.Pue, "rack.pue = 1.3 (default)", assumptions);
        if (power.Value <= 0 || height < 1 || height > 60)
        {
            throw m.Error("power", "rack.power must be above zero and rack.height_u from 1 to 60.");
        }
        if (pue is < 1.0 or > 3.0)
        {
            throw m.Error("pue", $"rack.pue must be from 1.0 to 3.0, got {pue.ToString(CultureInfo.InvariantCulture)}.");
        }
        m.Done();
        return new Rack(power, height, pue);
    }

    private static FleetPolicy ReadPolicy(YamlMap? m, List<string> assumptions)
    {
        var d = FleetPolicy.Default;
        m?.Expect("headroom", "min_replicas", "scale_up_delay_minutes");
        if (m is null)
        {
            assumptions.Add("policy = 20% headroom, at least 1 replica, 10-minute scale-up (default)");
            return d;
        }
        var headroom = m.OptNum("headroom") ?? Note(d.Headroom, "policy.headroom = 0.2 (default)", assumptions);
        var min = m.OptInt("min_replicas") ?? Note(d.MinReplicas, "policy.min_replicas = 1 (default)", assumptions);
        var delay = m.OptNum("scale_up_delay_minutes") ?? Note(d.ScaleUpDelay.InMinutes, "policy.scale_up_delay_minutes = 10 (default)", assumptions);
        if (headroom is < 0 or > 10)
        {
            throw m.Error("headroom", $"policy.headroom is a fraction from 0 to 10 (0.2 = 20%), got {headroom.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (min < 0 || delay < 0 || delay > 1440)
        {
            throw m.Error("min_replicas", "policy.min_replicas must be 0 or more and scale_up_delay_minutes from 0 to 1440.");
        }
        m.Done();
        return new FleetPolicy(headroom, min, Duration.FromMinutes(delay));
    }

    private static ScenarioApplication ReadApplication(YamlMap a, SuanliCatalog catalog, List<string> assumptions)
    {
        a.Expect([.. ApplicationKeys]);
        var name = a.Str("name");
        var modelNames = a.Has("models") ? a.StrList("models") : a.Has("model") ? [a.Str("model")] : throw a.Error("model", $"Application '{name}' needs 'model' (or a list under 'models').");
        var models = modelNames.Select(n =>
        {
            try
            {
                return catalog.Model(n, "model");
            }
            catch (InputException ex)
            {
                throw new InputException($"{a.Path}.model", ex.Detail, a.At(a.Has("models") ? "models" : "model"));
            }
        }).ToList();
        var precision = a.OptStr("precision") is { } p ? Parse(a, "precision", () => NumberFormat.Parse(p, "precision")) : Note(NumberFormat.Bf16, $"{name}.precision = bf16 (default)", assumptions);
        var kv = a.OptStr("kv_precision") is { } k
            ? Parse(a, "kv_precision", () => NumberFormat.Parse(k, "kv_precision", NumberFormat.KvFormats))
            : NumberFormat.KvFormats.Contains(precision) ? precision : NumberFormat.Bf16;
        var engine = a.OptStr("engine") is { } e
            ? Enum.TryParse<Engine>(e.Replace("-", "", StringComparison.Ordinal), true, out var en) ? en : throw a.Error("engine", $"Unknown engine '{e}'; use vllm, trtllm, sglang, llamacpp or transformers.")
            : Note(Engine.Vllm, $"{name}.engine = vllm (default)", assumptions);

        var concurrency = a.OptNum("peak_concurrency");
        var rate = a.OptNum("peak_rate");
        if (concurrency is null == rate is null)
        {
            throw a.Error("peak_concurrency", $"Application '{name}' needs exactly one of 'peak_concurrency' (requests in flight at the peak) or 'peak_rate' (requests per second at the peak).");
        }
        var kind = concurrency is null ? DemandKind.Rate : DemandKind.Concurrency;
        var peak = concurrency ?? rate!.Value;
        if (peak <= 0 || peak > 1e8)
        {
            throw a.Error(concurrency is null ? "peak_rate" : "peak_concurrency", $"The peak must be above zero and at most 100,000,000, got {peak.ToString(CultureInfo.InvariantCulture)}.");
        }
        var inputDist = Tokens(a, "input_tokens");
        var outputDist = Tokens(a, "output_tokens");

        var t = a.Map("targets");
        LatencyTargets targets;
        if (t is null)
        {
            targets = new LatencyTargets(Duration.FromSeconds(2), Duration.FromSeconds(0.1), null);
            assumptions.Add($"{name}.targets = TTFT p90 2 s, TPOT p90 100 ms (default: 10 tokens/s per stream, docs/methodology-fleet.md)");
        }
        else
        {
            t.Expect("ttft_p90_s", "tpot_p90_s", "e2e_p90_s");
            targets = new LatencyTargets(Seconds(t, "ttft_p90_s"), Seconds(t, "tpot_p90_s"), Seconds(t, "e2e_p90_s"));
            t.Done();
            if (targets.TtftP90 is null && targets.TpotP90 is null && targets.E2eP90 is null)
            {
                throw a.Error("targets", $"Application '{name}' has an empty 'targets'; give ttft_p90_s, tpot_p90_s and/or e2e_p90_s, or remove the key for the defaults.");
            }
        }

        TrafficProfile profile;
        if (!a.Has("profile"))
        {
            profile = Note(TrafficProfile.OfficeHours, $"{name}.profile = office-hours (default, illustrative)", assumptions);
        }
        else if (a.IsList("profile"))
        {
            var hours = a.NumList("profile");
            try
            {
                profile = TrafficProfile.Custom([.. hours.Select(h => h.Value)], $"{a.Path}.profile");
            }
            catch (InputException ex)
            {
                throw new InputException(ex.Field, ex.Detail, a.At("profile"));
            }
        }
        else
        {
            profile = Parse(a, "profile", () => TrafficProfile.Preset(a.Str("profile"), $"{a.Path}.profile"));
            assumptions.Add($"{name}.profile = {profile.Name}: {profile.Description}");
        }

        Suanli.Cost.QualityFloor? floor = null;
        if (a.OptStr("quality") is { } q)
        {
            floor = Parse(a, "quality", () => Suanli.Cost.QualityFloor.Parse(q, "quality"));
        }
        a.Done();
        return new ScenarioApplication
        {
            Name = name,
            Models = models,
            Precision = precision,
            KvPrecision = kv,
            Engine = engine,
            Kind = kind,
            Peak = peak,
            InputTokens = inputDist.Mean,
            OutputTokens = outputDist.Mean,
            InputDistribution = inputDist,
            OutputDistribution = outputDist,
            Targets = targets,
            Profile = profile,
            QualityFloor = floor,
        };
    }

    private static Suanli.Serving.LengthDistribution Tokens(YamlMap a, string key)
    {
        var text = a.OptStr(key) ?? throw a.Error(key, $"Missing required key '{a.Path}.{key}' (mean tokens per request, e.g. 1500, or a distribution such as lognormal:mean=800,sd=400).");
        return Parse(a, key, () => ServingText.ParseLength(text, $"{a.Path}.{key}"));
    }

    private static Duration? Seconds(YamlMap t, string key)
    {
        var v = t.OptNum(key);
        if (v is null)
        {
            return null;
        }
        if (v <= 0 || v > 86400)
        {
            throw t.Error(key, $"{key} must be above 0 and at most 86,400 seconds, got {v.Value.ToString(CultureInfo.InvariantCulture)}.");
        }
        return Duration.FromSeconds(v.Value);
    }

    private static T Parse<T>(YamlMap m, string key, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InputException ex) when (ex.Location is null)
        {
            throw new InputException(ex.Field, ex.Detail, m.At(key));
        }
    }

    private static T Note<T>(T value, string text, List<string> assumptions)
    {
        assumptions.Add(text);
        return value;
    }
}
