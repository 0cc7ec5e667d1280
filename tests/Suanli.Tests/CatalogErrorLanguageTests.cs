using System.Text.RegularExpressions;
using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The refusals of a user's catalog, price, calibration and interval files are phrases: the English sentence stays as it
/// was, and with the language zh the reader gets the Chinese one, with the file's keys and values verbatim.
/// </summary>
public sealed partial class CatalogErrorLanguageTests
{
    private const string Device = "id: x\nvendor: v\nname: n\ncategory: CATEGORY\nmemory: \"8 GB\"\nmemory_bandwidth: \"100 GB/s\"\n";

    private static InputException DeviceRefusal(string yaml) =>
        Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(yaml, "devices.yaml")));

    [Fact]
    public void An_unknown_device_category_is_refused_at_its_line_in_english_and_chinese()
    {
        var ex = DeviceRefusal(Device.Replace("CATEGORY", "datacenter-gpus", StringComparison.Ordinal));
        Assert.Equal("category", ex.Field);
        Assert.Equal(new SourceLocation("devices.yaml", 4, 11), ex.Location);
        Assert.Equal("Unknown category 'datacenter-gpus'; use one of datacenter-gpu, consumer-gpu, datacenter-accelerator, cloud-accelerator, server-cpu, soc-unified-memory, phone-soc.", ex.Detail);
        Assert.Equal("类别 'datacenter-gpus' 未知；请使用 datacenter-gpu、consumer-gpu、datacenter-accelerator、cloud-accelerator、server-cpu、soc-unified-memory、phone-soc 之一。",
            ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void An_unknown_compute_type_under_peak_is_refused_in_chinese_with_the_key_verbatim()
    {
        var ex = DeviceRefusal(Device.Replace("CATEGORY", "datacenter-gpu", StringComparison.Ordinal) + "peak:\n  bf17: \"100 TFLOPS\"\n");
        Assert.Equal("peak.bf17", ex.Field);
        Assert.Equal("Unknown compute type 'bf17' under peak; use fp32, tf32, bf16, fp16, fp8, int8, int4 or fp4.", ex.Detail);
        Assert.Equal("peak 下的计算类型 'bf17' 未知；请使用 fp32、tf32、bf16、fp16、fp8、int8、int4 或 fp4。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void A_rent_row_on_unknown_hardware_suggests_the_nearest_ids_joined_in_chinese()
    {
        const string rent = "rent:\n  - {provider: X, hardware: nvidia-t5, per_device_hour: \"0.5 USD\", term: on-demand, source: s, date: 2026-01-01}\n";
        var ex = Assert.Throws<InputException>(() => PriceFiles.Read(rent, "p.yaml", CatalogFiles.Embedded));
        Assert.Equal("rent[0].hardware", ex.Field);
        Assert.Equal("Unknown hardware 'nvidia-t5' in a rent row; did you mean nvidia-t4, nvidia-l2, nvidia-l4? Rent rows use hardware catalog ids.", ex.Detail);
        Assert.Equal("租用行中的硬件 'nvidia-t5' 未知；您是否想要 nvidia-t4、nvidia-l2、nvidia-l4？租用行使用硬件目录中的 id。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_command_line_refuses_a_price_without_a_source_in_the_language_asked_for()
    {
        var path = TempFiles.Write("p.yaml", "rent:\n  - {provider: X, hardware: nvidia-t4, per_device_hour: \"0.5 USD\", term: on-demand, date: 2026-01-01}\n");
        string[] args = ["compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b", "--hardware", "nvidia-t4", "--self-host", "rent", "--prices", path];
        var (code, _, en, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Contains("Every price needs a 'source': where it was published.", en, StringComparison.Ordinal);
        var (zhCode, _, zh, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(2, zhCode);
        Assert.Contains("每个价格都需要 'source'：它的发布出处。", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("Every price", zh, StringComparison.Ordinal);
    }

    // A string literal, plain or interpolated, as the message of Error(...) or new InputException(...): the first
    // argument may hold one call (m.Named("rate")), the message follows its comma. Phrase.Of(...) as the first argument
    // does not match, as its literals sit inside its own parentheses.
    [GeneratedRegex(@"(?:\bError|new InputException)\([^,;()]*(?:\([^()]*\))?[^,;()]*,\s*\$?""")]
    private static partial Regex LiteralMessage();

    [Fact]
    public void No_refusal_of_a_user_file_is_a_bare_english_string()
    {
        Assert.Matches(LiteralMessage(), "throw m.Error(\"kind\", $\"Unknown kind '{kindText}'.\");");
        Assert.Matches(LiteralMessage(), "throw new InputException(e.Named(\"rate\"),\n    \"Rate must be positive.\", e.At(\"rate\"));");
        Assert.DoesNotMatch(LiteralMessage(), "throw m.Error(\"kind\", Phrase.Of(\"purchase-kind-unknown\", \"Unknown kind '{kind}'.\", (\"kind\", kindText)));");
        Assert.DoesNotMatch(LiteralMessage(), "throw field.Error(Phrase.Of(\"input-is-folder\", \"'{path}' is a folder; give a file.\", (\"path\", path)));");
        var files = Directory.GetFiles(Path.Combine(PlanTests.RepoRoot(), "src", "Suanli.Files"), "*.cs");
        // The config reader's files are among them (HuggingFaceConfig*.cs: every config refusal a phrase too).
        Assert.Contains(files, f => Path.GetFileName(f) == "PriceFiles.cs");
        Assert.True(files.Count(f => Path.GetFileName(f).StartsWith("HuggingFaceConfig", StringComparison.Ordinal)) >= 10, "the config reader's files are missing");
        Assert.Matches(LiteralMessage(), "throw c.Error(\"hc_mult\", $\"config.json field 'hc_mult' is {n}.\");");
        var offenders = files.SelectMany(f => LiteralMessage().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}")).ToList();
        Assert.True(offenders.Count == 0, "refusals that are not phrases: " + string.Join("; ", offenders));
    }
}
