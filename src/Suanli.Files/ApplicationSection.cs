using Suanli.Catalog;
using Suanli.Plan;

namespace Suanli.Files;

/// <summary>
/// Reads one application of a scenario (<see cref="ScenarioFile.ApplicationKeys"/>) into an <see cref="ApplicationDraft"/>:
/// the keys and the types of their values are checked here, the defaults, ranges and catalog names by the draft, whose
/// errors land at the key's file, line and column (<see cref="YamlFields"/>). Part of <see cref="ScenarioFile"/>.
/// </summary>
internal static class ApplicationSection
{
    /// <summary>
    /// One entry of the scenario's <c>applications</c> list; every default applied is added to <paramref name="assumptions"/>.
    /// A pinned <c>layout</c> that does not divide a model names the layouts that hold the weights and one request on
    /// every one of <paramref name="devices"/> (the scenario's hardware and each candidate device of the search): a
    /// layout that fits one device only would send the search on the others to another refusal.
    /// </summary>
    internal static ScenarioApplication Read(YamlMap a, SuanliCatalog catalog, List<Suanli.Text.Phrase> assumptions, bool catalogModels, IReadOnlyList<Device> devices)
    {
        a.Expect([.. ScenarioFile.ApplicationKeys]);
        var draft = new ApplicationDraft
        {
            Name = a.Str("name"),
            Models = a.Has("models") ? a.StrList("models") : a.Has("model") ? [a.Str("model")] : null,
            ModelList = a.Has("models"),
            CatalogModels = catalogModels,
            Precision = a.OptStr("precision"),
            KvPrecision = a.OptStr("kv_precision"),
            Engine = a.OptStr("engine"),
            PeakConcurrency = a.OptNum("peak_concurrency"),
            PeakRate = a.OptNum("peak_rate"),
            MaxNumSeqs = a.OptNum("max_num_seqs"),
            MaxBatchedTokens = a.OptNum("max_batched_tokens"),
            PrefixHitRate = a.OptNum("prefix_hit_rate"),
        };
        var users = a.Map("users");
        var targets = a.Map("targets");
        var layout = a.Map("layout");
        var fields = new YamlFields(a, users, targets, layout);
        draft = draft with
        {
            Users = users is null ? null : ReadUsers(users),
            InputTokens = Tokens(a, "input_tokens"),
            OutputTokens = Tokens(a, "output_tokens"),
        };
        if (targets is not null)
        {
            draft = draft with { Targets = ReadTargets(targets) };
        }
        draft = a.Has("profile") && a.IsList("profile")
            ? draft with { ProfileHours = [.. a.NumList("profile").Select(h => h.Value)] }
            : draft with { Profile = a.Has("profile") ? a.Str("profile") : null };
        draft = draft with { Quality = a.OptStr("quality"), TimeZone = a.OptStr("time_zone") };
        var pinned = layout is null ? null : ReadLayout(layout);
        a.Done();
        var app = draft.Resolve(catalog, fields, assumptions);
        return pinned is null ? app : app with { StatedLayout = pinned.Resolve(app.Models, fields, m => Fits(app, m, devices)) };
    }

    // Whether a layout holds the weights and one request of the application on each of the devices, as plan tests it; a
    // request the core refuses (the planner reports that at its key) lists every valid layout, as without a device.
    private static Func<Suanli.Footprint.Layout, bool> Fits(ScenarioApplication app, ModelEntry model, IReadOnlyList<Device> devices) => layout =>
    {
        try
        {
            return devices.All(d => Planner.OneRequestFits(Planner.OneRequest(app, model, d), d, layout));
        }
        catch (InputException)
        {
            return true;
        }
    };

    /// <summary>Reads 'layout' as given (tp, pp); the draft checks the degrees against the models.</summary>
    private static LayoutDraft ReadLayout(YamlMap l)
    {
        l.Expect("tp", "pp");
        var layout = new LayoutDraft(l.OptNum("tp"), l.OptNum("pp"));
        l.Done();
        return layout;
    }

    /// <summary>Reads 'users' as given; the draft checks the counts.</summary>
    private static UsersDraft ReadUsers(YamlMap u)
    {
        u.Expect("daily_active", "registered", "daily_active_share", "requests_per_user_per_day");
        var users = new UsersDraft(u.OptNum("daily_active"), u.OptNum("registered"), u.OptNum("daily_active_share"), u.OptNum("requests_per_user_per_day"));
        u.Done();
        return users;
    }

    // A target key: the metric, the percentile as written (ttft_p99_s, tpot_p99.9_s) and the unit.
    private static readonly System.Text.RegularExpressions.Regex TargetKey = new("^(ttft|tpot|e2e)_p(.*)_s$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// Reads 'targets' as given: one key per metric, <c>{ttft|tpot|e2e}_p{percentile}_s</c> (the draft checks the
    /// percentile and the seconds); any other key, or two keys for one metric, is an error at its line.
    /// </summary>
    private static TargetsDraft ReadTargets(YamlMap t)
    {
        var keys = new Dictionary<string, (string Key, string Percentile)>(StringComparer.Ordinal);
        foreach (var key in t.Keys.ToList())
        {
            var m = TargetKey.Match(key);
            if (!m.Success)
            {
                t.Expect("ttft_p90_s", "tpot_p90_s", "e2e_p90_s", "ttft_p99_s", "tpot_p99_s", "e2e_p99_s");
                continue;
            }
            var metric = m.Groups[1].Value;
            if (keys.TryGetValue(metric, out var first))
            {
                throw t.Error(key, Suanli.Text.Phrase.Of("draft#target-twice",
                    "'{key}' and '{first}' both set a {metric} target; keep one: each target is checked at one percentile.",
                    ("key", t.Named(key)), ("first", t.Named(first.Key)), ("metric", metric.ToUpperInvariant())));
            }
            keys[metric] = (key, m.Groups[2].Value);
        }
        double? Seconds(string metric) => keys.TryGetValue(metric, out var k) ? t.OptNum(k.Key) : null;
        string Percentile(string metric) => keys.TryGetValue(metric, out var k) ? k.Percentile : "90";
        var draft = new TargetsDraft(Seconds("ttft"), Seconds("tpot"), Seconds("e2e"))
        {
            TtftPercentile = Percentile("ttft"), TpotPercentile = Percentile("tpot"), E2ePercentile = Percentile("e2e"),
        };
        t.Done();
        return draft;
    }

    private static Suanli.Serving.LengthDistribution? Tokens(YamlMap a, string key) =>
        a.OptStr(key) is { } text ? ScenarioFile.Parse(a, key, () => ServingText.ParseLength(text, $"{a.Path}.{key}")) : null;

    /// <summary>An application's keys in the file: spelled from the top of the scenario, placed at their line and column.</summary>
    private sealed class YamlFields(YamlMap application, YamlMap? users, YamlMap? targets, YamlMap? layout) : IDraftFields
    {
        public string Name(string key) => $"{application.Path}.{key}";

        public InputException Error(string key, Suanli.Text.Phrase message, string? at = null)
        {
            var (map, inner) = Section(at ?? key);
            return new InputException(Name(key), message, map.At(inner));
        }

        public T At<T>(string key, Func<T> parse)
        {
            var (map, inner) = Section(key);
            return ScenarioFile.Parse(map, inner, parse);
        }

        // The map that holds a nested key (users.daily_active), and the key within it.
        private (YamlMap Map, string Key) Section(string key) => key.Split('.', 2) switch
        {
            ["users", var inner] when users is not null => (users, inner),
            ["targets", var inner] when targets is not null => (targets, inner),
            ["layout", var inner] when layout is not null => (layout, inner),
            _ => (application, key),
        };
    }
}
