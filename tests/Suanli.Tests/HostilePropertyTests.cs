using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Footprint;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Hostile input in bulk, in process so thousands of cases stay quick: scenario text built from YAML's awkward pieces,
/// well-formed scenarios whose values are out of range or absurd, config.json files with hostile numbers, and command
/// lines with one hostile value. Each is a located input error or a sane answer (finite, not negative), never another
/// exception. Together with <see cref="PropertyTests"/> the default run draws at least 10^4 cases (docs/performance.md,
/// "Property tests").
/// </summary>
public class HostilePropertyTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static void Check(int fallback, Property property) =>
        FsCheck.Check.One(PropertyTests.Seeded(Config.QuickThrowOnFailure.WithMaxTest(PropertyTests.Cases(fallback)).WithQuietOnSuccess(true)), property);

    /// <summary>
    /// A message fit for a user: one line, no stack frame, no .NET type name (System.Nullable`1[...] leaked so before),
    /// no NaN or infinity unless the input had one (a message quotes what the user wrote).
    /// </summary>
    internal static bool Clean(string message, string input) =>
        !message.Contains('\n', StringComparison.Ordinal) && !message.Contains("   at ", StringComparison.Ordinal)
        && !message.Contains("System.", StringComparison.Ordinal) && !message.Contains("Exception", StringComparison.Ordinal)
        && !message.Contains("`1[", StringComparison.Ordinal)
        && (input.Contains("nan", StringComparison.OrdinalIgnoreCase) || !message.Contains("NaN", StringComparison.Ordinal))
        && (input.Contains("inf", StringComparison.OrdinalIgnoreCase) || (!message.Contains("Infinity", StringComparison.Ordinal) && !message.Contains('∞', StringComparison.Ordinal)));

    /// <summary>Runs <paramref name="work"/>: true when it returns, or throws an input error with a clean message; anything else fails with its text.</summary>
    private static Property InputErrorOr(Func<string> work, string shown)
    {
        try
        {
            var why = work();
            return (why.Length == 0).Label(why + " for " + shown);
        }
        catch (InputException ex)
        {
            return Clean(ex.Message, shown).Label($"unclean message '{ex.Message}' for {shown}");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return false.Label($"{ex.GetType().Name}: {ex.Message} for {shown}");
        }
    }

    private static readonly string[] Pieces =
    [
        "hardware: h100\n", "applications:\n", "  - name: a\n", "    model: qwen2.5-0.5b\n", "    peak_rate: 1\n", "    peak_concurrency: 3\n",
        "    input_tokens: 100\n", "    output_tokens: 10\n", "    targets: {ttft_p90_s: 2}\n", "time_zone: Asia/Shanghai\n", "rack: {power: 10 kW}\n",
        "[", "]", "{", "}", ":", "- ", ",", "'", "\"", "\n", "  ", "#", "&a ", "*a", "<<: *a\n", "!!int ", "!!binary ", "!custom ", "|", ">", "%YAML 1.2\n",
        "@", "`", "---\n", "...\n", "? ", "1e308", "-1", "0", "1e-300", ".nan", ".inf", "-.inf", "NaN", "~", "null", "\t", "\r", "\u0000", "\uFEFF", "é",
        "\u202E", "key", "applications", "name", "99999999999999999999",
    ];

    [Fact]
    public void Scenario_text_of_hostile_pieces_parses_or_is_a_clean_input_error() =>
        Check(PropertyCases.ScenarioText, Prop.ForAll(Arb.From(Gen.Elements(Pieces).ArrayOf().Select(a => string.Concat(a))), text =>
            InputErrorOr(() =>
            {
                var (scenario, _) = ScenarioFile.ParseSearch(text, "s.yaml", Catalog);
                return scenario.Applications.Count is >= 1 and <= Scenario.MaxApplications ? "" : $"{scenario.Applications.Count} applications accepted";
            }, JsonSerializer.Serialize(text))));

    private static readonly string[] Numbers =
        ["0", "-1", "1e-300", "1e308", "0.000001", "100000000", "1e9", ".nan", ".inf", "-.inf", "NaN", "1k", "32k", "1M", "abc", "~", "[]", "{}", "'5'", "4097", "2147483648", "0x10", "0.5", "1", "7", "1000"];

    private static readonly string[] Zones = ["UTC", "Asia/Shanghai", "Mars/Olympus", "../../etc/passwd", "", "Asia/Shangai", "Etc/GMT+14", "UTC+8", "\"\""];

    /// <summary>A well-formed scenario whose every value comes from a hostile set.</summary>
    private static Gen<string> AbsurdScenario =>
        from rateKey in Gen.Elements("peak_rate", "peak_concurrency", "users")
        from values in Gen.Elements(Numbers).ArrayOf(9)
        from zone in Gen.Elements(Zones)
        from model in Gen.Elements("qwen2.5-0.5b", "qwen2.5-7b", "llama-3.1-405b", "deepseek-v3", "no-such-model")
        from hardware in Gen.Elements("h100", "a100-80gb", "rtx-4090", "xeon-6980p", "no-such-device")
        select $"hardware: {hardware}\ntime_zone: {zone}\nrack: {{power: {values[0]} kW, height_u: {values[1]}}}\npolicy: {{headroom: {values[2]}, min_replicas: {values[3]}}}\n"
             + $"applications:\n  - name: a\n    model: {model}\n    {rateKey}: {values[4]}\n    input_tokens: {values[5]}\n    output_tokens: {values[6]}\n"
             + $"    targets: {{ttft_p90_s: {values[7]}, tpot_p90_s: {values[8]}}}\n";

    [Fact]
    public void Absurd_scenario_values_are_refused_or_planned_with_sane_numbers()
    {
        // Replica capacities from the smallest to the largest a simulation reports, so the fleet's divisions meet extremes
        // without simulating (the capacity search's own bounds are the serving properties' concern).
        var capacities = new[] { 1e-6, 0.01, 1, 37.5, 1e6 };
        Check(PropertyCases.AbsurdScenario, Prop.ForAll(Arb.From(from yaml in AbsurdScenario from c in Gen.Elements(capacities) select (yaml, c)), x =>
            InputErrorOr(() =>
            {
                var scenario = ScenarioFile.Parse(x.yaml, "s.yaml", Catalog);
                CapacityProvider fixedCapacity = (_, _, _) => new ReplicaCapacity(x.c, x.c * 10, "ttft", true, []);
                var (_, report) = ScenarioFile.Located(scenario, () => PlanReport.Run(scenario, fixedCapacity, PriceFiles.Embedded, new DateOnly(2026, 12, 4)));
                return PropertyTests.BadNumbers(ReportText.Json(report));
            }, $"capacity {x.c}:\n{x.yaml}")));
    }

    private static readonly string[] ConfigNumbers =
        ["0", "-1", "1", "2", "3", "7", "8", "32", "64", "128", "4096", "4097", "1e308", "-1e308", "1e-300", "0.5", "2147483648", "99999999999999999999", "null", "\"32\"", "true", "[]", "{}", "1.5e3"];

    private static readonly string[] ConfigKeys =
        ["hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "vocab_size", "head_dim", "max_position_embeddings",
         "num_local_experts", "num_experts_per_tok", "moe_intermediate_size", "kv_lora_rank", "sliding_window", "tie_word_embeddings"];

    [Fact]
    public void Config_json_with_hostile_numbers_is_an_error_naming_a_field_or_a_finite_model()
    {
        var baseline = new Dictionary<string, string> { ["hidden_size"] = "4096", ["num_hidden_layers"] = "32", ["num_attention_heads"] = "32", ["num_key_value_heads"] = "8", ["intermediate_size"] = "14336", ["vocab_size"] = "128256" };
        Check(PropertyCases.ConfigJson, Prop.ForAll(Arb.From(
            from type in Gen.Elements("llama", "qwen2", "mixtral", "deepseek_v3", "gemma2", "no_such_type")
            from changed in Gen.Elements(ConfigKeys).ArrayOf(3)
            from values in Gen.Elements(ConfigNumbers).ArrayOf(3)
            select (type, changed, values)), x =>
        {
            var fields = new Dictionary<string, string>(baseline);
            for (var i = 0; i < x.changed.Length && i < x.values.Length; i++)
            {
                fields[x.changed[i]] = x.values[i];
            }
            var json = $"{{\"model_type\": \"{x.type}\", " + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
            return InputErrorOr(() =>
            {
                var a = HuggingFaceConfig.Parse(json, "config.json");
                var weights = MemoryModel.WeightBytes(a, NumberFormat.Bf16).Value;
                var kv = MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value;
                return double.IsFinite(weights) && weights > 0 && double.IsFinite(kv) && kv >= 0 ? "" : $"weights {weights} B, KV {kv} B per token";
            }, json);
        }));
    }

    private static readonly string[] Values =
        ["0", "-1", "1e-300", "1e308", "-1e308", "NaN", "Infinity", "-Infinity", "1k", "1M", "1G", "abc", "", " ", "0x10", "9999999999", "2147483648", "1e8", "0.5", "1", "8", "64", "1,8", "1,,8", "-", "--", "'", "%s", "\u0000", "é"];

    /// <summary>Commands quick enough to run by the hundred (density and compare simulate, so they are left to the replay tests), each with the options a hostile value goes into.</summary>
    private static readonly (string[] Base, string[] Options)[] Commands =
    [
        (["memory", "--model", "qwen2.5-7b", "--hardware", "h100"], ["--context", "--batch", "--devices", "--precision", "--kv-precision", "--hardware"]),
        (["perf", "--model", "qwen2.5-0.5b", "--hardware", "h100"], ["--batch", "--input", "--output", "--devices", "--tp", "--pp", "--accept"]),
        (["chinchilla"], ["--flops", "--params", "--tokens"]),
        (["train", "--model", "llama-3.1-8b", "--hardware", "h100", "--tokens", "1T"], ["--devices", "--days", "--mfu", "--zero", "--tp", "--pp", "--seq-len"]),
    ];

    [Fact]
    public void A_hostile_option_value_is_exit_2_with_one_clean_line_or_a_sane_answer() =>
        Check(PropertyCases.OptionValue, Prop.ForAll(Arb.From(
            from c in Gen.Elements(Commands) from option in Gen.Elements(c.Options) from value in Gen.Elements(Values)
            select (string[])[.. c.Base, option, value, "--format", "json"]), args =>
        {
            var (code, output, err, _) = CliTests.Run(args);
            var shown = string.Join(' ', args.Select(a => JsonSerializer.Serialize(a)));
            if (code == 2)
            {
                using var doc = JsonDocument.Parse(err);
                var message = doc.RootElement.GetProperty("error").GetProperty("message").GetString()!;
                return (output.Length == 0 && err.TrimEnd().Split('\n').Length == 1 && Clean(message, shown)).Label($"exit 2 with '{err.Trim()}' for {shown}");
            }
            var why = code == 0 ? PropertyTests.BadNumbers(output) : $"exit {code}: {err.Trim()}";
            return (why.Length == 0).Label(why + " for " + shown);
        }));
}

/// <summary>
/// Cases each property draws by default. The default run (the CI run) draws their sum, at least 10^4; a nightly run sets
/// SUANLI_PROPERTY_SCALE=10 for at least 10^5 (docs/performance.md, "Property tests").
/// </summary>
internal static class PropertyCases
{
    public const int Memory = 100;
    public const int Perf = 60;
    public const int Simulate = 30;
    public const int Capacity = 6;
    public const int Plan = 8;
    public const int HostilePlan = 150;
    public const int ScenarioText = 5_000;
    public const int AbsurdScenario = 1_000;
    public const int ConfigJson = 3_500;
    public const int OptionValue = 400;

    /// <summary>Every default above.</summary>
    public static IReadOnlyList<int> All => [Memory, Perf, Simulate, Capacity, Plan, HostilePlan, ScenarioText, AbsurdScenario, ConfigJson, OptionValue];
}
