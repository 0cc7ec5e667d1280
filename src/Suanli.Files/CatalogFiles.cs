using System.Reflection;
using Suanli.Catalog;
using Suanli.Text;
using Suanli.Quantities;

namespace Suanli.Files;

/// <summary>
/// Loads the catalog embedded in this assembly (catalog/ of the repository) and user catalog files, which add
/// entries in the same formats. Every entry is validated; errors name the file, line and key.
/// </summary>
public static partial class CatalogFiles
{
    private static readonly Lazy<SuanliCatalog> EmbeddedCatalog = new(LoadEmbedded);
    private static readonly string[] ConfigNames = ["config.json", "config.reconstructed.json"];

    /// <summary>The embedded catalog, loaded once per process (it is immutable).</summary>
    public static SuanliCatalog Embedded => EmbeddedCatalog.Value;

    /// <summary>
    /// Parses and validates the embedded catalog anew, bypassing the per-process copy: what the first use of
    /// <see cref="Embedded"/> costs (issue 14 asks for under 100 ms; measured by bench/Suanli.Bench).
    /// </summary>
    public static SuanliCatalog LoadEmbeddedAgain() => LoadEmbedded();

    /// <summary>
    /// Reads every embedded file a command may use into its per-process copy: the catalog, the step-time calibration, the
    /// prices and the prediction intervals (about a third of a cold <c>suanli plan</c>; docs/performance.md). The CLI runs
    /// it on a second core at start; a bad embedded file still fails where a command first uses it, with the same error,
    /// since each copy keeps the exception it was loaded with.
    /// </summary>
    public static void LoadEmbeddedFiles()
    {
        _ = Embedded;
        _ = CalibrationFiles.Default;
        _ = PriceFiles.Embedded;
        _ = IntervalFiles.Embedded;
    }

    /// <summary>Reads an embedded catalog file by its path under catalog/, e.g. <c>hardware/devices.yaml</c>.</summary>
    public static string ReadEmbedded(string path)
    {
        var asm = typeof(CatalogFiles).Assembly;
        using var stream = asm.GetManifestResourceStream(path.StartsWith("examples/", StringComparison.Ordinal) ? path : "catalog/" + path)
            ?? throw new InvalidOperationException($"The embedded catalog lacks {path}; the build did not embed catalog/.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Paths of every embedded catalog file under a folder.</summary>
    public static IEnumerable<string> EmbeddedPaths(string folder) =>
        typeof(CatalogFiles).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("catalog/" + folder, StringComparison.Ordinal))
            .Select(n => n["catalog/".Length..]);

    /// <summary>
    /// The embedded catalog plus user files: a devices/servers/models YAML file, or a folder holding
    /// <c>devices.yaml</c>, <c>servers.yaml</c> and/or <c>models.yaml</c> (with model folders beside it).
    /// </summary>
    public static SuanliCatalog WithUserFiles(IEnumerable<string> paths)
    {
        var catalog = Embedded;
        var servers = new List<(Server Server, YamlMap Map)>();
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.GetFiles(path, "*.yaml").Concat(Directory.GetFiles(path, "*.yml")).Order(StringComparer.Ordinal).ToArray()
                : File.Exists(path) ? [path] : throw new InputException(FieldNames.Catalog, Phrase.Of("catalog-path-missing", "Catalog path '{path}' does not exist.", ("path", path)));
            if (files.Length == 0)
            {
                throw new InputException(FieldNames.Catalog, Phrase.Of("catalog-folder-empty",
                    "Catalog folder '{path}' holds no .yaml or .yml file, so it adds nothing: give a folder with devices.yaml, servers.yaml or models.yaml, or one such file.", ("path", path)));
            }
            foreach (var file in files)
            {
                var map = YamlMap.Parse(InputFiles.ReadText(file, FieldNames.Catalog), file);
                var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
                catalog = AddAll(catalog, [.. map.Maps("devices").Select(m => (ReadDevice(m), m))], (c, e) => c.With(e, [], []));
                var fileServers = map.Maps("servers").Select(m => (ReadServer(m), m)).ToList();
                catalog = AddAll(catalog, fileServers, (c, e) => c.With([], e, []));
                servers.AddRange(fileServers);
                // A model's files are named in errors beside the catalog file as the user gave it (they read catalog/models/, the embedded catalog's folder).
                var shown = Path.GetDirectoryName(file) ?? "";
                catalog = AddAll(catalog, [.. map.Maps("models").Select(m => (ReadModel(m, p => InputFiles.ReadText(Path.Combine(folder, p), FieldNames.Catalog), p => File.Exists(Path.Combine(folder, p)), p => Path.Combine(shown, p)), m))],
                    (c, e) => c.With([], [], e));
                map.Done();
            }
        }
        // A server's device may come from any file given; an unknown one failed only where a command used the server.
        foreach (var (server, m) in servers)
        {
            Located(m, "device", () => catalog.Device(server.DeviceId, m.Named("device")));
        }
        return catalog;
    }

    /// <summary>
    /// Adds one file's entries of one kind in one step. Added one at a time, each rebuilt the catalog's name index: a file
    /// of 100,000 servers (under the 10 MiB cap) ran for hours. A name two entries share is still reported at the entry
    /// that repeats it, the last of the shortest prefix that fails (a name clash, once in, stays), found by bisection.
    /// </summary>
    private static SuanliCatalog AddAll<T>(SuanliCatalog catalog, List<(T Entry, YamlMap Map)> entries, Func<SuanliCatalog, IEnumerable<T>, SuanliCatalog> with)
    {
        // The catalog with the first `count` entries, or null where they hold a name twice.
        SuanliCatalog? Attempt(int count)
        {
            try
            {
                return with(catalog, entries.Take(count).Select(e => e.Entry));
            }
            catch (InputException ex) when (ex.Location is null && ex.Text is not null)
            {
                return null;
            }
        }

        return entries.Count == 0 ? catalog : Attempt(entries.Count) ?? Bisect();

        SuanliCatalog Bisect()
        {
            int passes = 0, fails = entries.Count;
            while (fails - passes > 1)
            {
                var mid = passes + ((fails - passes) / 2);
                (passes, fails) = Attempt(mid) is null ? (passes, mid) : (mid, fails);
            }
            return Located(entries[fails - 1].Map, "id", () => with(catalog, entries.Take(fails).Select(e => e.Entry)));
        }
    }

    // The catalog's own errors (a name used twice, an unknown device) know no file: raised again at the entry's key.
    private static T Located<T>(YamlMap m, string key, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (InputException ex) when (ex.Location is null && ex.Text is not null)
        {
            throw new InputException(m.Named(key), ex.Text, m.At(key));
        }
    }

    /// <summary>
    /// A model from a config.json path or a folder holding one (with an optional model.safetensors.index.json
    /// beside it for the exact checkpoint size). Returns null when <paramref name="nameOrPath"/> is not a path.
    /// </summary>
    public static ModelEntry? ModelFromPath(string nameOrPath)
    {
        string? config = null;
        if (Directory.Exists(nameOrPath))
        {
            config = Path.Combine(nameOrPath, "config.json");
            if (!File.Exists(config))
            {
                throw new InputException(FieldNames.Model, Phrase.Of("model-folder-no-config",
                    "Folder '{path}' has no config.json; point {model} at a Hugging Face model folder or its config.json.", ("path", nameOrPath), ("model", FieldNames.Model)));
            }
        }
        else if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            config = File.Exists(nameOrPath) ? nameOrPath : throw new InputException(FieldNames.Model, Phrase.Of("model-config-missing", "File '{path}' does not exist.", ("path", nameOrPath)));
        }
        if (config is null)
        {
            return null;
        }
        var architecture = HuggingFaceConfig.Parse(InputFiles.ReadText(config, FieldNames.Model), config);
        var index = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config))!, "model.safetensors.index.json");
        var name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(config))) ?? "model";
        return new ModelEntry
        {
            Id = name,
            Architecture = architecture,
            CheckpointBytes = File.Exists(index) ? HuggingFaceConfig.CheckpointBytes(InputFiles.ReadText(index, FieldNames.Model), index) : null,
            Source = config,
            ConfigKind = "user",
        };
    }

    private static SuanliCatalog LoadEmbedded()
    {
        var devices = YamlMap.ParseEmbedded(ReadEmbedded("hardware/devices.yaml"), "catalog/hardware/devices.yaml");
        var servers = YamlMap.ParseEmbedded(ReadEmbedded("hardware/servers.yaml"), "catalog/hardware/servers.yaml");
        var models = YamlMap.ParseEmbedded(ReadEmbedded("models/models.yaml"), "catalog/models/models.yaml");
        var deviceList = devices.Maps("devices").Select(ReadDevice).ToList();
        var serverList = servers.Maps("servers").Select(ReadServer).ToList();
        var names = new HashSet<string>(EmbeddedPaths("models/"), StringComparer.Ordinal);
        var modelList = models.Maps("models")
            .Select(m => ReadModel(m, p => ReadEmbedded("models/" + p), p => names.Contains("models/" + p)))
            .ToList();
        devices.Done();
        servers.Done();
        models.Done();
        return new SuanliCatalog(deviceList, serverList, modelList);
    }

    /// <summary>Reads one device entry.</summary>
    public static Device ReadDevice(YamlMap m)
    {
        var peakMap = m.Map("peak");
        var peak = new Dictionary<ComputeType, FlopRate>();
        if (peakMap is not null)
        {
            foreach (var key in peakMap.Keys.ToList())
            {
                if (!Enum.TryParse<ComputeType>(key, ignoreCase: true, out var type))
                {
                    throw peakMap.Error(key, Phrase.Of("device-peak-unknown-type", "Unknown compute type '{key}' under peak; use fp32, tf32, bf16, fp16, fp8, int8, int4 or fp4.", ("key", key)));
                }
                var text = peakMap.OptStr(key);
                if (text is not null)
                {
                    peak[type] = Quantity(peakMap, key, QuantityText.ParseFlopRate);
                    // A zero peak used to pass here and fail at first use as "no arithmetic peak", naming neither file nor line.
                    if (peak[type].Value <= 0)
                    {
                        throw peakMap.Error(key, Phrase.Of("device-peak-not-positive",
                            "{key} is '{text}'; a peak must be greater than zero. Omit a precision the device has no fast path for.", ("key", peakMap.Named(key)), ("text", text)));
                    }
                    CheckPeakBounds(peakMap, key, text, peak[type]);
                }
            }
            peakMap.Done();
        }
        var device = new Device
        {
            Id = m.Str("id"),
            Aliases = m.StrList("aliases"),
            Vendor = m.Str("vendor"),
            Name = m.Str("name"),
            Category = Category(m),
            Architecture = m.OptStr("architecture") ?? "",
            Memory = Quantity(m, "memory", QuantityText.ParseBytes),
            MemoryBandwidth = Quantity(m, "memory_bandwidth", QuantityText.ParseByteRate),
            Peak = peak,
            Tdp = m.Has("tdp") ? Quantity(m, "tdp", QuantityText.ParsePower) : null,
            IdlePower = m.Has("idle_power") ? Quantity(m, "idle_power", QuantityText.ParsePower) : null,
            Interconnect = new DeviceLink(m.OptStr("interconnect") ?? "", m.Has("interconnect_bandwidth") ? Quantity(m, "interconnect_bandwidth", QuantityText.ParseByteRate) : null),
            ExpRate = ExpRate(m),
            LaunchYear = m.OptInt("launch_year"),
            Price = Quote(m, "price", "price_source", "price_date"),
            RentPerHour = Quote(m, "rent_per_hour", "rent_source", "rent_date"),
            Confidence = m.OptStr("confidence") ?? "medium",
            Sources = m.StrList("sources"),
            SourcesRead = m.OptDate("sources_read"),
            Notes = m.OptStr("notes") ?? "",
        };
        m.Allow("verified");
        m.Done();
        if (peak.Count == 0)
        {
            throw m.Error("peak", Phrase.Of("device-no-peak",
                "Device '{device}' has no dense peak; give one or more under {key}, e.g. bf16: \"989 TFLOP/s\".", ("device", device.Id), ("key", m.Named("peak"))));
        }
        if (device.Memory.Value <= 0 || device.MemoryBandwidth.Value <= 0)
        {
            var key = device.Memory.Value <= 0 ? "memory" : "memory_bandwidth";
            throw m.Error(key, Phrase.Of("device-memory-not-positive", "{key} is '{text}'; device '{device}' needs a memory capacity and bandwidth greater than zero, e.g. memory: \"80 GiB\", memory_bandwidth: \"3350 GB/s\".",
                ("key", m.Named(key)), ("text", m.Str(key)), ("device", device.Id)));
        }
        CheckBandwidthBounds(m, device);
        // A zero TDP made the rack hold infinitely many servers (an overflow, exit 70, in plan); a zero interconnect made
        // every collective take NaN seconds ("duration must be a finite number, got NaN", naming no file).
        foreach (var (key, zero) in new[] { ("tdp", device.Tdp is { } t && t.Value <= 0), ("interconnect_bandwidth", device.Interconnect.Bandwidth is { } b && b.Value <= 0) })
        {
            if (zero)
            {
                throw m.Error(key, Phrase.Of("device-figure-not-positive", "{key} is '{text}'; it must be greater than zero. Leave the key out when the figure is unknown.", ("key", m.Named(key)), ("text", m.Str(key))));
            }
        }
        return device;
    }

    // exp_rate: { rate: "3.9 Texp/s", basis: published | derived, source: "..." } (catalog/hardware/SOURCES.md).
    private static ExponentialRate? ExpRate(YamlMap m)
    {
        if (m.Map("exp_rate") is not { } e)
        {
            return null;
        }
        // Named with its parent key (exp_rate.rate), so the message says which of a device's rates is wrong.
        FlopRate rate;
        try
        {
            rate = QuantityText.ParseExponentialRate(e.Str("rate"), e.Named("rate"));
        }
        catch (InputException ex) when (ex.Text is { } phrase)
        {
            throw new InputException(e.Named("rate"), phrase, e.At("rate"));
        }
        // A zero rate would make every attention score take forever (the bound divides by it).
        if (rate.Value <= 0)
        {
            throw e.Error("rate", Phrase.Of("device-figure-not-positive", "{key} is '{text}'; it must be greater than zero. Leave the key out when the figure is unknown.", ("key", e.Named("rate")), ("text", e.Str("rate"))));
        }
        if (rate.Value < ExponentialRate.SmallestRate)
        {
            throw e.Error("rate", Phrase.Of("device-exp-rate-too-small", "{key} is '{text}', slower than 1 Gexp/s (one exponential a clock at 1 GHz; the slowest catalog device does 1.018 Texp/s): check the unit, e.g. '3.9 Texp/s' for an H100 SXM5.",
                ("key", e.Named("rate")), ("text", e.Str("rate"))));
        }
        var basis = e.Str("basis");
        if (basis is not ("published" or "derived"))
        {
            throw e.Error("basis", Phrase.Of("device-exp-rate-basis", "{key} is '{text}'; write published (a figure stated for this device) or derived (computed from a cited formula, given in source).", ("key", e.Named("basis")), ("text", basis)));
        }
        var source = e.Str("source");
        e.Done();
        return new ExponentialRate(rate, basis == "derived", source);
    }

    /// <summary>Reads one server entry.</summary>
    public static Server ReadServer(YamlMap m)
    {
        var server = new Server
        {
            Id = m.Str("id"),
            Aliases = m.StrList("aliases"),
            Name = m.Str("name"),
            DeviceId = m.Str("device"),
            DevicesPerNode = m.OptInt("devices_per_node") ?? throw m.Error("devices_per_node", Phrase.Of("yaml#missing-key", "Missing required key '{key}'.", ("key", "devices_per_node"))),
            Power = Quantity(m, "power", QuantityText.ParsePower),
            HeightU = m.OptInt("height_u") ?? throw m.Error("height_u", Phrase.Of("yaml#missing-key", "Missing required key '{key}'.", ("key", "height_u"))),
            Price = Quote(m, "price", "price_source", "price_date"),
            ScaleOutBandwidth = m.Has("scale_out_bandwidth") ? Quantity(m, "scale_out_bandwidth", QuantityText.ParseByteRate) : null,
            Sources = m.StrList("sources"),
            Notes = m.OptStr("notes") ?? "",
        };
        m.Allow("source_date");
        m.Done();
        if (server.Power.Value <= 0)
        {
            // A server drawing nothing filled a rack with infinitely many: an overflow, exit 70, in density.
            throw m.Error("power", Phrase.Of("server-power-not-positive", "Server '{server}' needs a power draw greater than zero at {key}, e.g. 10.2 kW.", ("server", server.Id), ("key", m.Named("power"))));
        }
        if (server.ScaleOutBandwidth is { } so && so.Value <= 0)
        {
            throw m.Error("scale_out_bandwidth", Phrase.Of("server-scale-out-not-positive", "Server '{server}' needs {key} greater than zero, per device and direction (e.g. 50 GB/s for one 400 Gb/s NIC per GPU), or no such key.",
                ("server", server.Id), ("key", m.Named("scale_out_bandwidth"))));
        }
        if (server.DevicesPerNode < 1)
        {
            throw m.Error("devices_per_node", Phrase.Of("server-devices-below-one", "Server '{server}' has {key} {value}; give the devices of one node, 1 or more.",
                ("server", server.Id), ("key", m.Named("devices_per_node")), ("value", server.DevicesPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        if (server.HeightU is < 1 or > Server.MaxHeightU)
        {
            // 100,000U was read: density then put no server in any rack, and plan refused every rack as too small.
            throw m.Error("height_u", Phrase.Of("server-height-range", "Server '{server}' has {key} {value}; a node is 1 to {max} rack units tall (16 racks of 60U; the tallest in the catalog, CloudMatrix 384, spans 16 racks, 672U). Give the height of one node in rack units (1U = 44.45 mm).",
                ("server", server.Id), ("key", m.Named("height_u")), ("value", server.HeightU.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("max", Server.MaxHeightU.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
        }
        if (server.DevicesPerNode > Server.MaxDevicesPerNode)
        {
            throw m.Error("devices_per_node", Phrase.Of("server-devices-too-many", "Server '{server}' has {key} {value}; a node holds at most {max} devices (the largest in the catalog, CloudMatrix 384, holds 384). Give the devices of one node.",
                ("server", server.Id), ("key", m.Named("devices_per_node")), ("value", server.DevicesPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("max", Server.MaxDevicesPerNode.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
        }
        return server;
    }

    /// <summary>
    /// Reads one model entry; <paramref name="read"/> opens files relative to the catalog folder and <paramref name="shown"/>
    /// names them in errors (the embedded catalog's <c>catalog/models/...</c> when null).
    /// </summary>
    public static ModelEntry ReadModel(YamlMap m, Func<string, string> read, Func<string, bool> exists, Func<string, string>? shown = null)
    {
        shown ??= p => "catalog/models/" + p;
        var folder = m.Str("folder");
        var configPath = ConfigNames.Select(f => $"{folder}/{f}").FirstOrDefault(exists)
            ?? throw m.Error("folder", Phrase.Of("model-folder-no-config-file", "Model folder '{folder}' has no config.json or config.reconstructed.json.", ("folder", folder)));
        var weightsPath = $"{folder}/weights.json";
        var architecture = HuggingFaceConfig.Parse(read(configPath), shown(configPath));
        var benchmarks = m.Maps("benchmarks").Select(b =>
        {
            var score = new BenchmarkScore(b.Str("name"), b.Num("score"), b.OptInt("shots"), b.Str("source"));
            b.Allow("notes", "date", "variant", "metric");
            b.Done();
            return score;
        }).ToList();
        var entry = new ModelEntry
        {
            Id = m.Str("id"),
            HfRepo = m.OptStr("hf_repo"),
            Aliases = m.StrList("aliases"),
            Family = m.OptStr("family") ?? "",
            ConfigKind = m.OptStr("config_kind") ?? "verbatim",
            Architecture = architecture,
            PublishedParameters = m.OptNum("published_parameters"),
            PublishedParametersSource = m.OptStr("published_parameters_source") ?? "",
            ActiveParameters = m.OptNum("active_parameters"),
            ActiveParametersScope = m.OptStr("active_parameters_scope") is { } scope
                ? scope is "all" or "no-embedding" or "no-embedding-no-head" ? scope
                    : throw m.Error("active_parameters_scope", Phrase.Of("model-active-scope-unknown", "active_parameters_scope '{scope}' is not one of all, no-embedding, no-embedding-no-head.", ("scope", scope)))
                : "all",
            ActiveParameterCheckException = m.OptStr("active_parameter_check"),
            DefaultPrecision = m.OptStr("default_precision") is { } dp ? WeightPrecision.Parse(dp, "default_precision").Name : "bf16",
            ContextLength = m.OptInt("context_length") ?? 0,
            Licence = m.OptStr("licence") ?? "",
            CheckpointBytes = exists(weightsPath) ? HuggingFaceConfig.CheckpointBytes(read(weightsPath), shown(weightsPath)) : null,
            Benchmarks = benchmarks,
            Source = configPath,
            Notes = m.OptStr("notes") ?? "",
        };
        m.Allow("release_date", "release_date_source", "release_date_unknown", "sources", "active_parameters_source", "quality_source", "licence_source");
        entry = entry with { ParameterCheckException = m.OptStr("parameter_check") };
        m.Done();
        return entry;
    }

    private static DeviceCategory Category(YamlMap m)
    {
        var text = m.Str("category");
        var key = text.Replace("-", "", StringComparison.Ordinal);
        return Enum.TryParse<DeviceCategory>(key, ignoreCase: true, out var c)
            ? c
            : throw m.Error("category", Phrase.Of("device-category-unknown", "Unknown category '{text}'; use one of datacenter-gpu, consumer-gpu, datacenter-accelerator, cloud-accelerator, server-cpu, soc-unified-memory, phone-soc.", ("text", text)));
    }

    private static PriceQuote? Quote(YamlMap m, string amountKey, string sourceKey, string dateKey)
    {
        if (!m.Has(amountKey))
        {
            m.Allow(sourceKey, dateKey);
            return null;
        }
        var amount = Quantity(m, amountKey, (text, field) => QuantityText.ParseMoney(text, field));
        var source = m.OptStr(sourceKey) ?? throw m.Error(sourceKey, Phrase.Of("price-needs-source", "'{amount}' needs '{source}': every price carries where it was published.", ("amount", amountKey), ("source", sourceKey)));
        var date = m.OptDate(dateKey) ?? throw m.Error(dateKey, Phrase.Of("price-needs-date", "'{amount}' needs '{date}': every price carries the date it was published or read.", ("amount", amountKey), ("date", dateKey)));
        return new PriceQuote(amount, source, date);
    }

    private static T Quantity<T>(YamlMap m, string key, Func<string, string, T> parse)
    {
        var text = m.Str(key);
        try
        {
            return parse(text, key);
        }
        catch (InputException ex) when (ex.Text is { } phrase)
        {
            throw new InputException(key, phrase, m.At(key));
        }
    }
}
