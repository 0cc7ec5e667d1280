using System.Globalization;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Files;

/// <summary>
/// Reads one application of a scenario (<see cref="ScenarioFile.ApplicationKeys"/>): models, formats, engine, demand
/// (peak concurrency, peak rate or users), lengths, targets, profile and quality floor. Part of
/// <see cref="ScenarioFile"/>, kept apart because an application is the largest section of a scenario.
/// </summary>
internal static class ApplicationSection
{
    /// <summary>One entry of the scenario's <c>applications</c> list; every default applied is added to <paramref name="assumptions"/>.</summary>
    internal static ScenarioApplication Read(YamlMap a, SuanliCatalog catalog, List<string> assumptions, bool catalogModels)
    {
        a.Expect([.. ScenarioFile.ApplicationKeys]);
        var name = a.Str("name");
        var fromCatalog = catalogModels && !a.Has("models") && !a.Has("model");
        IReadOnlyList<string> modelNames = fromCatalog ? [] : a.Has("models") ? a.StrList("models") : a.Has("model") ? [a.Str("model")] : throw a.Error("model", $"Application '{name}' needs 'model' (or a list under 'models', or candidates.models: catalog).");
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
        // Without a precision the released checkpoint's format is the default (fp8 for DeepSeek-V3, mxfp4 for gpt-oss),
        // when every named model agrees on it; otherwise bf16.
        var released = models.Select(m => m.DefaultPrecision).Distinct(StringComparer.Ordinal).ToList();
        var precision = a.OptStr("precision") is { } p ? ScenarioFile.Parse(a, "precision", () => NumberFormat.Parse(p, "precision"))
            : released.Count == 1 && released[0] != "bf16"
                ? ScenarioFile.Note(NumberFormat.Parse(released[0], "precision"), $"{name}.precision = {released[0]} (the released checkpoint's format)", assumptions)
                : ScenarioFile.Note(NumberFormat.Bf16, $"{name}.precision = bf16 (default)", assumptions);
        var kv = a.OptStr("kv_precision") is { } k
            ? ScenarioFile.Parse(a, "kv_precision", () => NumberFormat.Parse(k, "kv_precision", NumberFormat.KvFormats))
            : NumberFormat.KvFormats.Contains(precision) ? precision : NumberFormat.Bf16;
        var engine = a.OptStr("engine") is { } e
            ? Enum.TryParse<Engine>(e.Replace("-", "", StringComparison.Ordinal), true, out var en) ? en : throw a.Error("engine", $"Unknown engine '{e}'; use vllm, trtllm, sglang, llamacpp or transformers.")
            : ScenarioFile.Note(Engine.Vllm, $"{name}.engine = vllm (default)", assumptions);

        var concurrency = a.OptNum("peak_concurrency");
        var rate = a.OptNum("peak_rate");
        var users = a.Map("users");
        if ((concurrency is null ? 0 : 1) + (rate is null ? 0 : 1) + (users is null ? 0 : 1) != 1)
        {
            throw a.Error("peak_concurrency", $"Application '{name}' needs exactly one of 'peak_concurrency' (requests in flight at the peak), 'peak_rate' (requests per second at the peak) or 'users' (daily_active and requests_per_user_per_day).");
        }
        var kind = concurrency is null ? DemandKind.Rate : DemandKind.Concurrency;
        var peak = concurrency ?? rate ?? 0;
        if (users is null && (peak < ScenarioApplication.MinPeak || peak > ScenarioApplication.MaxPeak))
        {
            var key = concurrency is null ? "peak_rate" : "peak_concurrency";
            throw a.Error(key, $"{a.Path}.{key} must be from 0.000001 to 100,000,000, got {peak.ToString(CultureInfo.InvariantCulture)}.");
        }
        var inputDist = Tokens(a, "input_tokens");
        var outputDist = Tokens(a, "output_tokens");

        var t = a.Map("targets");
        ServingTargets targets;
        if (t is null)
        {
            targets = new ServingTargets(Duration.FromSeconds(2), Duration.FromSeconds(0.1), null);
            assumptions.Add($"{name}.targets = TTFT p90 2 s, TPOT p90 100 ms (default: 10 tokens/s per stream, docs/methodology-fleet.md)");
        }
        else
        {
            t.Expect("ttft_p90_s", "tpot_p90_s", "e2e_p90_s");
            targets = new ServingTargets(Seconds(t, "ttft_p90_s"), Seconds(t, "tpot_p90_s"), Seconds(t, "e2e_p90_s"));
            t.Done();
            if (targets.Ttft is null && targets.Tpot is null && targets.E2e is null)
            {
                throw a.Error("targets", $"Application '{name}' has an empty 'targets'; give ttft_p90_s, tpot_p90_s and/or e2e_p90_s, or remove the key for the defaults.");
            }
        }

        TrafficProfile profile;
        if (!a.Has("profile"))
        {
            profile = ScenarioFile.Note(TrafficProfile.OfficeHours, $"{name}.profile = office-hours (default, illustrative)", assumptions);
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
            profile = ScenarioFile.Parse(a, "profile", () => TrafficProfile.Preset(a.Str("profile"), $"{a.Path}.profile"));
            assumptions.Add(ScenarioFile.ProfileAssumption(name, profile));
        }

        UserDemand? demand = null;
        if (users is not null)
        {
            demand = ReadUsers(users, profile, a.Path);
            peak = demand.PeakRate;
            if (peak < ScenarioApplication.MinPeak || peak > ScenarioApplication.MaxPeak)
            {
                throw a.Error("users", $"{a.Path}.users gives {peak.ToString("0.######", CultureInfo.InvariantCulture)} requests/s at the peak; it must be from 0.000001 to 100,000,000.");
            }
            assumptions.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}.peak_rate = {demand.DailyActiveUsers:N0} daily active users{(demand.RegisteredUsers is { } reg ? $" ({reg:N0} registered x {demand.DailyActiveShare:0.###} active a day)" : "")} x {demand.RequestsPerUserPerDay:0.###} requests a day = {demand.RequestsPerDay:N0} requests a day; / 86,400 s / {demand.ProfileMean:0.###} ({profile.Name} mean load of the peak) = {peak:N1} requests/s (users; docs/methodology-fleet.md, 'Demand from users')"));
        }

        Suanli.Cost.QualityFloor? floor = null;
        if (a.OptStr("quality") is { } q)
        {
            floor = ScenarioFile.Parse(a, "quality", () => Suanli.Cost.QualityFloor.Parse(q, "quality"));
        }
        if (fromCatalog)
        {
            // Every catalog model that meets the floor, best score first (so `suanli plan` tries the best first).
            var pool = catalog.Models;
            models = floor is null
                ? [.. pool.OrderBy(m => m.Id, StringComparer.Ordinal)]
                : [.. ScenarioFile.Parse(a, "quality", () => floor.Filter(pool, $"{a.Path}.quality")).OrderByDescending(m => m.Score(floor.Benchmark)).ThenBy(m => m.Id, StringComparer.Ordinal)];
            assumptions.Add($"{name}.models = {models.Count} catalog models{(floor is null ? "" : $" meeting {floor}")} (candidates.models: catalog)");
        }
        var zone = a.OptStr("time_zone") is { } z ? ScenarioFile.Parse(a, "time_zone", () => ScenarioFile.TimeZoneName(z, $"{a.Path}.time_zone")) : null;
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
            TimeZone = zone,
            QualityFloor = floor,
            Users = demand,
        };
    }

    /// <summary>Reads 'users': daily_active (or registered with daily_active_share) and requests_per_user_per_day.</summary>
    private static UserDemand ReadUsers(YamlMap u, TrafficProfile profile, string appPath)
    {
        u.Expect("daily_active", "registered", "daily_active_share", "requests_per_user_per_day");
        var daily = u.OptNum("daily_active");
        var registered = u.OptNum("registered");
        var share = u.OptNum("daily_active_share");
        if (daily is null == registered is null)
        {
            throw u.Error("daily_active", $"{appPath}.users needs exactly one of 'daily_active' (users active on a day) or 'registered' (with 'daily_active_share').");
        }
        if (registered is not null && share is null)
        {
            throw u.Error("daily_active_share", $"{appPath}.users.registered needs 'daily_active_share' (the share of registered users active on a day, e.g. 0.1); Suanli does not assume one.");
        }
        if (daily is not null && share is not null)
        {
            throw u.Error("daily_active_share", $"{appPath}.users.daily_active_share goes with 'registered', not with 'daily_active'; remove one.");
        }
        var perUser = u.OptNum("requests_per_user_per_day")
            ?? throw u.Error("requests_per_user_per_day", $"{appPath}.users needs 'requests_per_user_per_day' (requests each active user sends a day, e.g. 5); a user count alone gives no load.");
        var count = daily ?? registered!.Value;
        var countKey = daily is null ? "registered" : "daily_active";
        if (!(count >= 1) || count > 1e11)
        {
            throw u.Error(countKey, $"{appPath}.users.{countKey} must be from 1 to 100,000,000,000, got {count.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (share is { } sh && !(sh > 0 && sh <= 1))
        {
            throw u.Error("daily_active_share", $"{appPath}.users.daily_active_share is a fraction above 0 and at most 1 (0.1 = 10%), got {sh.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (!(perUser > 0) || perUser > 100_000)
        {
            throw u.Error("requests_per_user_per_day", $"{appPath}.users.requests_per_user_per_day must be above 0 and at most 100,000, got {perUser.ToString(CultureInfo.InvariantCulture)}.");
        }
        u.Done();
        return new UserDemand(daily ?? registered!.Value * share!.Value, perUser, registered, share, profile.Mean);
    }

    private static Suanli.Serving.LengthDistribution Tokens(YamlMap a, string key)
    {
        var text = a.OptStr(key) ?? throw a.Error(key, $"Missing required key '{a.Path}.{key}' (mean tokens per request, e.g. 1500, or a distribution such as lognormal:mean=800,sd=400).");
        return ScenarioFile.Parse(a, key, () => ServingText.ParseLength(text, $"{a.Path}.{key}"));
    }

    private static Duration? Seconds(YamlMap t, string key)
    {
        var v = t.OptNum(key);
        if (v is null)
        {
            return null;
        }
        if (v <= 0 || v > ServingTargets.MaxSeconds)
        {
            throw t.Error(key, $"{key} must be above 0 and at most 86,400 seconds, got {v.Value.ToString(CultureInfo.InvariantCulture)}.");
        }
        return Duration.FromSeconds(v.Value);
    }
}
