using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>
/// Where a draft's values came from, as its front end sees them: it spells a key of the application (a scenario
/// file's <c>applications[0].peak_rate</c>, the web query's <c>peakRate</c>) and places an error at it (file, line and
/// column, or the query parameter). Keys are the scenario file's, relative to the application, nested with a dot
/// (<c>targets.tpot_p90_s</c>, <c>users.daily_active</c>); docs/scenario.md lists them.
/// </summary>
public interface IDraftFields
{
    /// <summary>The key as the reader names it in a message.</summary>
    /// <param name="key">The key, relative to the application.</param>
    string Name(string key);

    /// <summary>An error about the value at <paramref name="key"/> (or where it would go, when it is missing).</summary>
    /// <param name="key">The key the error names.</param>
    /// <param name="message">What is wrong and what would be right, as a phrase whose fields are spelled with <see cref="Name"/>.</param>
    /// <param name="at">The key whose position the error takes, when not <paramref name="key"/>'s own.</param>
    InputException Error(string key, Phrase message, string? at = null);

    /// <summary>Runs <paramref name="parse"/>, placing an error it raises without a position at <paramref name="key"/>.</summary>
    /// <param name="key">The key whose value is parsed.</param>
    /// <param name="parse">The parse.</param>
    T At<T>(string key, Func<T> parse);
}

/// <summary>Demand stated as users, as given (docs/scenario.md, <c>users</c>); <see cref="ApplicationDraft.Resolve"/> checks it.</summary>
/// <param name="DailyActive">Users active on a day.</param>
/// <param name="Registered">Registered users (with <paramref name="DailyActiveShare"/>), instead of <paramref name="DailyActive"/>.</param>
/// <param name="DailyActiveShare">Share of registered users active on a day.</param>
/// <param name="RequestsPerUserPerDay">Requests each active user sends a day.</param>
public sealed record UsersDraft(double? DailyActive, double? Registered, double? DailyActiveShare, double? RequestsPerUserPerDay);

/// <summary>
/// Latency targets in seconds, each at the percentile its key states (<c>ttft_p99_s</c>; p90 unless stated), as given
/// (docs/scenario.md, <c>targets</c>); <see cref="ApplicationDraft.Resolve"/> checks them.
/// </summary>
/// <param name="Ttft">Time-to-first-token target.</param>
/// <param name="Tpot">Time-per-output-token target.</param>
/// <param name="E2e">End-to-end latency target.</param>
public sealed record TargetsDraft(double? Ttft, double? Tpot, double? E2e)
{
    /// <summary>The percentile of <see cref="Ttft"/> as its key writes it (<c>99</c> of <c>ttft_p99_s</c>); checked by <see cref="ApplicationDraft.Resolve"/>.</summary>
    public string TtftPercentile { get; init; } = "90";

    /// <summary>The percentile of <see cref="Tpot"/> as its key writes it.</summary>
    public string TpotPercentile { get; init; } = "90";

    /// <summary>The percentile of <see cref="E2e"/> as its key writes it.</summary>
    public string E2ePercentile { get; init; } = "90";
}

/// <summary>
/// One application of a scenario as given, every field optional: the scenario file and the planning page's query each
/// fill one, and <see cref="Resolve"/> applies the defaults (recorded as assumptions), checks the ranges and resolves
/// names against the catalog, so both read the same application with the same defaults, limits and assumptions.
/// Errors are phrases (their key is the error's code) that name the key through the front end's <see cref="IDraftFields"/>;
/// assumptions are phrases too (<see cref="Assumption"/>), so each front end renders both in its reader's language.
/// </summary>
public sealed record ApplicationDraft
{
    /// <summary>The name (required).</summary>
    public string Name { get; init; } = "";
    /// <summary>Model names or aliases, first preferred; null: none given.</summary>
    public IReadOnlyList<string>? Models { get; init; }
    /// <summary>True when the models were given as a list (<c>models</c>) rather than one (<c>model</c>): errors point there.</summary>
    public bool ModelList { get; init; }
    /// <summary>True to take every catalog model meeting <see cref="Quality"/> when no model is given (<c>candidates.models: catalog</c>).</summary>
    public bool CatalogModels { get; init; }
    /// <summary>Weight format; null: the released checkpoint's format when the models agree, else bf16.</summary>
    public string? Precision { get; init; }
    /// <summary>KV-cache format; null: the weight format when it is a KV format, else bf16.</summary>
    public string? KvPrecision { get; init; }
    /// <summary>Engine class; null: vLLM.</summary>
    public string? Engine { get; init; }
    /// <summary>Requests in flight at the peak.</summary>
    public double? PeakConcurrency { get; init; }
    /// <summary>Requests per second at the peak.</summary>
    public double? PeakRate { get; init; }
    /// <summary>Demand as users (instead of a peak).</summary>
    public UsersDraft? Users { get; init; }
    /// <summary>Prompt tokens per request (required).</summary>
    public LengthDistribution? InputTokens { get; init; }
    /// <summary>Output tokens per request (required).</summary>
    public LengthDistribution? OutputTokens { get; init; }
    /// <summary>The targets as given (then at least one must be set); null: the default targets.</summary>
    public TargetsDraft? Targets { get; init; }
    /// <summary>The engine's most running sequences as given (<c>max_num_seqs</c>); null: the engine's default for the device.</summary>
    public double? MaxNumSeqs { get; init; }
    /// <summary>The engine's most tokens per step as given (<c>max_batched_tokens</c>); null: the engine's default for the device.</summary>
    public double? MaxBatchedTokens { get; init; }
    /// <summary>Fraction of each prompt the engine's prefix cache holds as given (<c>prefix_hit_rate</c>, 0 to 1); null: none.</summary>
    public double? PrefixHitRate { get; init; }
    /// <summary>A preset traffic profile's name; null with no <see cref="ProfileHours"/>: office hours.</summary>
    public string? Profile { get; init; }
    /// <summary>24 hourly multipliers, instead of a preset.</summary>
    public IReadOnlyList<double>? ProfileHours { get; init; }
    /// <summary>IANA time zone of the profile's hours; null: the scenario's.</summary>
    public string? TimeZone { get; init; }
    /// <summary>Quality floor such as <c>MMLU&gt;=70</c>.</summary>
    public string? Quality { get; init; }

    /// <summary>The default time-to-first-token target at p90 (docs/methodology-fleet.md).</summary>
    public static Duration DefaultTtft { get; } = Duration.FromSeconds(2);

    /// <summary>The default time-per-output-token target at p90: 10 tokens/s per stream (docs/methodology-fleet.md).</summary>
    public static Duration DefaultTpot { get; } = Duration.FromSeconds(0.1);

    /// <summary>The engine of an application that names none.</summary>
    public const StepTime.Engine DefaultEngine = StepTime.Engine.Vllm;

    private static WeightPrecision Released(WeightPrecision precision, string application, List<Phrase> assumptions) =>
        Note(precision, Assumption.Of($"{application}.precision", precision.Name, Assumption.Released(precision)), assumptions);

    /// <summary>The application, defaults applied and added to <paramref name="assumptions"/> in the scenario file's order.</summary>
    /// <param name="catalog">The catalog names resolve against.</param>
    /// <param name="at">The front end's spelling and placing of keys.</param>
    /// <param name="assumptions">The scenario's assumptions, appended to.</param>
    public ScenarioApplication Resolve(SuanliCatalog catalog, IDraftFields at, List<Phrase> assumptions)
    {
        var name = Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            // name: "" planned an application every finding and table called "", and two of them were not "named twice".
            throw at.Error("name", Phrase.Of("draft#empty-name", "{field} is empty; give the application a name, e.g. {field}: chat.", ("field", at.Name("name"))));
        }
        var fromCatalog = CatalogModels && Models is null;
        var modelNames = fromCatalog ? [] : Models ?? throw at.Error("model",
            Phrase.Of("draft#no-model", "Application '{name}' needs 'model' (or a list under 'models', or candidates.models: catalog).", ("name", name)));
        if (modelNames.Count == 0 && !fromCatalog)
        {
            // An empty list reached the search, which refused it with an empty reason ("cannot be served as asked: .").
            throw at.Error("models", Phrase.Of("draft#empty-models", "Application '{name}' has an empty 'models' list; name one model or more, or remove the key.", ("name", name)));
        }
        var models = modelNames.Select(n =>
        {
            try
            {
                return catalog.Model(n, "model");
            }
            catch (InputException ex)
            {
                throw at.Error("model", ex.Text ?? new Phrase("", ex.Detail, []), ModelList ? "models" : "model");
            }
        }).ToList();
        // Without a precision the released checkpoint's format is the default (fp8 for DeepSeek-V3, mxfp4+bf16 for gpt-oss),
        // when every named model agrees on it; otherwise bf16.
        var released = models.Select(m => m.DefaultPrecision).Distinct(StringComparer.Ordinal).ToList();
        var precision = Precision is { } p ? at.At("precision", () => WeightPrecision.Parse(p, "precision"))
            : released.Count == 1 && released[0] != "bf16"
                ? Released(WeightPrecision.Parse(released[0], "precision"), name, assumptions)
                : released.Count > 1
                    ? Note<WeightPrecision>(NumberFormat.Bf16, Assumption.Of($"{name}.precision", "bf16", Phrase.Of("assumption.why#released-differ",
                        "default: the models' released checkpoints differ ({formats}); state precision, or candidates.precisions for optimize, to run each in its own",
                        ("formats", PhraseList.Words(models.Select(m => $"{m.Id} {m.DefaultPrecision}").Distinct(StringComparer.Ordinal))))), assumptions)
                    : Note<WeightPrecision>(NumberFormat.Bf16, Assumption.Defaulted($"{name}.precision", "bf16"), assumptions);
        var kv = KvPrecision is { } k
            ? at.At("kv_precision", () => NumberFormat.Parse(k, "kv_precision", NumberFormat.KvFormats))
            : precision.KvDefault;
        var engine = Engine is { } e
            ? EngineNames.TryParse(e) ?? throw at.Error("engine", EngineNames.Unknown(e))
            : Note(DefaultEngine, Assumption.Defaulted($"{name}.engine", "vllm"), assumptions);
        var caps = Caps(at);
        // A cap the scenario does not state is the engine's documented one for the device, but llama.cpp's slot count,
        // which its operator sizes to the memory (EngineConfig.Planned); stated caps are used as given, not assumed.
        if (caps.MaxNumSeqs is null)
        {
            assumptions.Add(engine == StepTime.Engine.LlamaCpp
                ? Assumption.Of($"{name}.scheduler", Assumption.LlamaCppSlotsToMemory, Assumption.LlamaCppSlotsSized)
                : Assumption.Of($"{name}.scheduler", caps.MaxBatchedTokens is null ? Assumption.EngineSchedulerCaps : Assumption.EngineSequenceCap, Assumption.EngineDefaults));
        }
        else if (caps.MaxBatchedTokens is null)
        {
            assumptions.Add(Assumption.Of($"{name}.scheduler", Assumption.EngineTokenCap, Assumption.EngineDefaults));
        }

        if ((PeakConcurrency is null ? 0 : 1) + (PeakRate is null ? 0 : 1) + (Users is null ? 0 : 1) != 1)
        {
            throw at.Error("peak_concurrency", Phrase.Of("draft#one-demand",
                "Application '{name}' needs exactly one of 'peak_concurrency' (requests in flight at the peak), 'peak_rate' (requests per second at the peak) or 'users' (daily_active and requests_per_user_per_day).",
                ("name", name)));
        }
        var kind = PeakConcurrency is null ? DemandKind.Rate : DemandKind.Concurrency;
        var peak = PeakConcurrency ?? PeakRate ?? 0;
        if (Users is null && (peak < ScenarioApplication.MinPeak || peak > ScenarioApplication.MaxPeak))
        {
            var key = PeakConcurrency is null ? "peak_rate" : "peak_concurrency";
            throw at.Error(key, Phrase.Of("draft#peak-range", "{field} must be from 0.000001 to 100,000,000, got {value}.",
                ("field", at.Name(key)), ("value", Suanli.Text.Fmt.Number(peak))));
        }
        var input = InputTokens ?? throw Missing(at, "input_tokens");
        var output = OutputTokens ?? throw Missing(at, "output_tokens");
        var targets = ResolveTargets(name, at, assumptions);
        var profile = TrafficShape(name, at, assumptions);

        UserDemand? demand = null;
        if (Users is { } users)
        {
            demand = Demand(users, profile, at);
            peak = demand.PeakRate;
            if (peak < ScenarioApplication.MinPeak || peak > ScenarioApplication.MaxPeak)
            {
                throw at.Error("users", Phrase.Of("draft#users-peak-range", "{field} gives {rate} requests/s at the peak; it must be from 0.000001 to 100,000,000.",
                    ("field", at.Name("users")), ("rate", peak.ToString("0.######", CultureInfo.InvariantCulture))));
            }
            assumptions.Add(Assumption.Of($"{name}.peak_rate", UsersValue(demand, profile, peak), Assumption.FromUsers));
        }

        var floor = Quality is { } q ? at.At("quality", () => QualityFloor.Parse(q, "quality")) : null;
        if (fromCatalog)
        {
            // Every catalog model that meets the floor, best score first (so `suanli plan` tries the best first).
            var pool = catalog.Models;
            models = floor is null
                ? [.. pool.OrderBy(m => m.Id, StringComparer.Ordinal)]
                : [.. at.At("quality", () => floor.Filter(pool, at.Name("quality"))).OrderByDescending(m => m.Score(floor.Benchmark)).ThenBy(m => m.Id, StringComparer.Ordinal)];
            assumptions.Add(Assumption.Of($"{name}.models", Assumption.CatalogModels(models.Count, floor?.ToString()), Assumption.CatalogCandidates));
        }
        var zone = TimeZone is { } z ? at.At("time_zone", () => TimeZoneNames.Check(z, at.Name("time_zone"), named: true)) : null;
        return new ScenarioApplication
        {
            Name = name,
            Models = models,
            Precision = precision,
            KvPrecision = kv,
            Engine = engine,
            Kind = kind,
            Peak = peak,
            InputTokens = input.Mean,
            OutputTokens = output.Mean,
            InputDistribution = input,
            OutputDistribution = output,
            Targets = targets,
            Profile = profile,
            TimeZone = zone,
            QualityFloor = floor,
            Users = demand,
            Caps = caps,
        };
    }

    /// <summary>
    /// The scheduler caps as stated: whole numbers in the engine's ranges (<see cref="EngineConfig.Validated"/>), and
    /// <c>max_batched_tokens</c> at least <c>max_num_seqs</c> when both are given (every running sequence takes a token
    /// of the step budget; vLLM refuses the same setting). A cap left out stays null (the engine's default). The prefix
    /// hit rate is a fraction from 0 to 1, as simulate's <c>--prefix-hit-rate</c>.
    /// </summary>
    private StatedCaps Caps(IDraftFields at)
    {
        int? Whole(string key, double? value, int max)
        {
            if (value is not { } v)
            {
                return null;
            }
            if (!(v >= 1 && v <= max && Math.Floor(v) == v))
            {
                throw at.Error(key, Phrase.Of("draft#cap-range", "{field} must be a whole number from 1 to {max}, got {value}.",
                    ("field", at.Name(key)), ("max", max.ToString("N0", CultureInfo.InvariantCulture)), ("value", Suanli.Text.Fmt.Number(v))));
            }
            return (int)v;
        }
        var seqs = Whole("max_num_seqs", MaxNumSeqs, StatedCaps.MostSequences);
        var tokens = Whole("max_batched_tokens", MaxBatchedTokens, StatedCaps.MostTokens);
        if (seqs is { } n && tokens is { } t && t < n)
        {
            throw at.Error("max_batched_tokens", Phrase.Of("draft#cap-tokens-below-seqs",
                "{tokensField} {tokens} is below {seqsField} {seqs}: every running sequence needs a token of the step budget; raise it to at least {seqs} (vLLM refuses the same setting).",
                ("tokensField", at.Name("max_batched_tokens")), ("tokens", t.ToString(CultureInfo.InvariantCulture)), ("seqsField", at.Name("max_num_seqs")), ("seqs", n.ToString(CultureInfo.InvariantCulture))));
        }
        if (PrefixHitRate is { } hit && !(hit >= 0 && hit <= 1))
        {
            throw at.Error("prefix_hit_rate", Phrase.Of("draft#prefix-hit-range",
                "{field} is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got {value}.",
                ("field", at.Name("prefix_hit_rate")), ("value", Suanli.Text.Fmt.Number(hit))));
        }
        return new StatedCaps(seqs, tokens) { PrefixHitRate = PrefixHitRate ?? 0 };
    }

    /// <summary>The assumption recorded for an application's named traffic profile: its name and what it assumes.</summary>
    public static Phrase ProfileAssumption(string application, TrafficProfile profile) =>
        Assumption.Bare($"{application}.profile", Phrase.Of("assumption.value#profile", "{name}: {description}", ("name", profile.Name), ("description", profile.Description)));

    // The derivation of the peak from user counts, each figure as the methodology states it.
    private static Phrase UsersValue(UserDemand demand, TrafficProfile profile, double peak)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        object registered = demand.RegisteredUsers is { } reg
            ? Phrase.Of("assumption.value#users-registered", " ({registered} registered x {share} active a day)",
                ("registered", F(reg, "N0")), ("share", F(demand.DailyActiveShare ?? 0, "0.###")))
            : "";
        return Phrase.Of("assumption.value#users",
            "{users} daily active users{registered} x {perUser} requests a day = {perDay} requests a day; / 86,400 s / {mean} ({profile} mean load of the peak) = {peak} requests/s",
            ("users", F(demand.DailyActiveUsers, "N0")), ("registered", registered), ("perUser", F(demand.RequestsPerUserPerDay, "0.###")),
            ("perDay", F(demand.RequestsPerDay, "N0")), ("mean", F(demand.ProfileMean, "0.###")), ("profile", profile.Name), ("peak", F(peak, "N1")));
    }

    private static InputException Missing(IDraftFields at, string key) =>
        at.Error(key, Phrase.Of("draft#missing-tokens", "Missing required key '{field}' (mean tokens per request, e.g. 1500, or a distribution such as lognormal:mean=800,sd=400).",
            ("field", at.Name(key))));

    private ServingTargets ResolveTargets(string name, IDraftFields at, List<Phrase> assumptions)
    {
        if (Targets is not { } given)
        {
            assumptions.Add(Assumption.Of($"{name}.targets", Assumption.DefaultTargetValues, Assumption.DefaultTargets));
            return new ServingTargets(DefaultTtft, DefaultTpot, null);
        }
        var (ttft, ttftAt) = Target(at, "ttft", given.Ttft, given.TtftPercentile);
        var (tpot, tpotAt) = Target(at, "tpot", given.Tpot, given.TpotPercentile);
        var (e2e, e2eAt) = Target(at, "e2e", given.E2e, given.E2ePercentile);
        var targets = new ServingTargets(ttft, tpot, e2e) { TtftAt = ttftAt, TpotAt = tpotAt, E2eAt = e2eAt };
        if (targets.Ttft is null && targets.Tpot is null && targets.E2e is null)
        {
            throw at.Error("targets", Phrase.Of("draft#empty-targets",
                "Application '{name}' has an empty 'targets'; give ttft_p90_s, tpot_p90_s and/or e2e_p90_s, or remove the key for the defaults.", ("name", name)));
        }
        return targets;
    }

    // One target: its key (targets.ttft_p99_s), its percentile checked there, and whether a plan's probes can estimate it.
    private static (Duration? Target, Percentile At) Target(IDraftFields at, string metric, double? seconds, string percentile)
    {
        var key = $"targets.{metric}_p{percentile}_s";
        var p = at.At(key, () => Percentile.Parse(percentile, at.Name(key)));
        var target = Seconds(at, key, seconds);
        return (target, target is null ? p : at.At(key, () => p.CheckProbe(at.Name(key))));
    }

    private static Duration? Seconds(IDraftFields at, string key, double? value)
    {
        if (value is not { } v)
        {
            return null;
        }
        if (v <= 0 || v > ServingTargets.MaxSeconds)
        {
            var spelled = at.Name(key);
            throw at.Error(key, Phrase.Of("draft#target-range", "{field} must be above 0 and at most 86,400 seconds, got {value}.",
                ("field", spelled[(spelled.LastIndexOf('.') + 1)..]), ("value", Suanli.Text.Fmt.Number(v))));
        }
        if (v < ServingTargets.MinSeconds)
        {
            var spelled = at.Name(key);
            throw at.Error(key, ServingTargets.BelowFloor(spelled[(spelled.LastIndexOf('.') + 1)..], v));
        }
        return Duration.FromSeconds(v);
    }

    private TrafficProfile TrafficShape(string name, IDraftFields at, List<Phrase> assumptions)
    {
        if (ProfileHours is { } hours)
        {
            return at.At("profile", () => TrafficProfile.Custom(hours, at.Name("profile")));
        }
        if (Profile is null)
        {
            return Note(TrafficProfile.OfficeHours, Assumption.Of($"{name}.profile", TrafficProfile.OfficeHours.Name, Assumption.DefaultIllustrative), assumptions);
        }
        var profile = at.At("profile", () => TrafficProfile.Preset(Profile, at.Name("profile")));
        assumptions.Add(ProfileAssumption(name, profile));
        return profile;
    }

    /// <summary>Checks 'users': daily_active (or registered with daily_active_share) and requests_per_user_per_day.</summary>
    private static UserDemand Demand(UsersDraft u, TrafficProfile profile, IDraftFields at)
    {
        var users = at.Name("users");
        if (u.DailyActive is null == u.Registered is null)
        {
            throw at.Error("users.daily_active", Phrase.Of("draft#users-one-count",
                "{users} needs exactly one of 'daily_active' (users active on a day) or 'registered' (with 'daily_active_share').", ("users", users)));
        }
        if (u.Registered is not null && u.DailyActiveShare is null)
        {
            throw at.Error("users.daily_active_share", Phrase.Of("draft#users-no-share",
                "{users}.registered needs 'daily_active_share' (the share of registered users active on a day, e.g. 0.1); Suanli does not assume one.", ("users", users)));
        }
        if (u.DailyActive is not null && u.DailyActiveShare is not null)
        {
            throw at.Error("users.daily_active_share", Phrase.Of("draft#users-share-with-daily",
                "{users}.daily_active_share goes with 'registered', not with 'daily_active'; remove one.", ("users", users)));
        }
        var perUser = u.RequestsPerUserPerDay
            ?? throw at.Error("users.requests_per_user_per_day", Phrase.Of("draft#users-no-requests",
                "{users} needs 'requests_per_user_per_day' (requests each active user sends a day, e.g. 5); a user count alone gives no load.", ("users", users)));
        var count = u.DailyActive ?? u.Registered!.Value;
        var countKey = u.DailyActive is null ? "registered" : "daily_active";
        if (!(count >= 1) || count > 1e11)
        {
            throw at.Error("users." + countKey, Phrase.Of("draft#users-count-range", "{users}.{key} must be from 1 to 100,000,000,000, got {value}.",
                ("users", users), ("key", countKey), ("value", Suanli.Text.Fmt.Number(count))));
        }
        if (u.DailyActiveShare is { } sh && !(sh > 0 && sh <= 1))
        {
            throw at.Error("users.daily_active_share", Phrase.Of("draft#users-share-range",
                "{users}.daily_active_share is a fraction above 0 and at most 1 (0.1 = 10%), got {value}.", ("users", users), ("value", Suanli.Text.Fmt.Number(sh))));
        }
        if (!(perUser > 0) || perUser > 100_000)
        {
            throw at.Error("users.requests_per_user_per_day", Phrase.Of("draft#users-requests-range",
                "{users}.requests_per_user_per_day must be above 0 and at most 100,000, got {value}.", ("users", users), ("value", Suanli.Text.Fmt.Number(perUser))));
        }
        return new UserDemand(u.DailyActive ?? u.Registered!.Value * u.DailyActiveShare!.Value, perUser, u.Registered, u.DailyActiveShare, profile.Mean);
    }

    private static T Note<T>(T value, Phrase text, List<Phrase> assumptions)
    {
        assumptions.Add(text);
        return value;
    }
}
