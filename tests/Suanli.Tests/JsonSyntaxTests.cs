using System.Text.RegularExpressions;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Malformed JSON in a user's file is refused at the parser's line and byte with a sentence in the reader's language and a
/// fix (it was .NET's English text in a Chinese frame); and the core's refusals that a file reader re-places at a key carry
/// their phrase, so no reader falls back to English.
/// </summary>
public sealed partial class JsonSyntaxTests
{
    private static InputException Malformed(string json) => Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "m/config.json"));

    [Fact]
    public void A_missing_comma_is_refused_at_its_line_and_byte_in_english_and_chinese()
    {
        // The parser stops at the key that follows 4096 on line 3, byte 2.
        var ex = Malformed("{\n \"hidden_size\": 4096\n \"vocab_size\": 1\n}");
        Assert.Equal("config.json", ex.Field);
        Assert.Equal(new SourceLocation("m/config.json", 3, 2), ex.Location);
        Assert.Equal("Malformed JSON at line 3, byte 2: '\"' follows a value where a comma or the end of the object or list belongs. Put a comma between two entries.", ex.Detail);
        Assert.Equal("JSON 格式错误（第 3 行，第 2 字节）：'\"' 出现在一个值之后，此处应为逗号或对象、列表的结尾。请在两个条目之间加逗号。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Theory]
    [InlineData("{\n \"x\": [1, 2,,]\n}", 2, 13, "json-problem#value", "',' cannot begin a value")]
    [InlineData("{\n \"x\": [1, 2\n", 3, 1, "json-problem#unclosed", "the text ends inside an object")]
    [InlineData("{\n x: 1}", 2, 2, "json-problem#key", "'x' begins a key")]
    [InlineData("{\n \"x\" 1}", 2, 6, "json-problem#after-key", "'1' follows a key where a colon belongs")]
    [InlineData("{\n \"x\": tru}\n", 2, 10, "json-problem#literal", "'tru}' is not true, false or null")]
    [InlineData("{\n \"x\": \"a\tb\"}", 2, 9, "json-problem#string", "text in quotes holds '0x09'")]
    [InlineData("{\n \"x\": 1.e}", 2, 9, "json-problem#number", "a number is malformed")]
    [InlineData("{\"x\": 1}}", 1, 9, "json-problem#after-end", "'}' follows the end of the JSON value")]
    [InlineData("", 1, 1, "json-problem#empty", "the text holds no JSON value")]
    public void Each_kind_of_malformed_text_gets_its_own_sentence_with_a_fix(string json, int line, int column, string key, string start)
    {
        var ex = Malformed(json);
        Assert.Equal(new SourceLocation("m/config.json", line, column), ex.Location);
        Assert.True(ex.Text!.Mentions(key), $"{ex.Detail} is not {key}");
        Assert.StartsWith($"Malformed JSON at line {line}, byte {column}: {start}", ex.Detail, StringComparison.Ordinal);
        // The Chinese sentence holds no English words of its own (the text found, JSON's keywords and its syntax aside).
        var zh = ex.Text.Render(Languages.Chinese, FieldNames.Core);
        Assert.DoesNotContain("Malformed", zh, StringComparison.Ordinal);
        Assert.DoesNotMatch(EnglishWords(), Regex.Replace(zh, @"'[^']*'|true|false|null|JSON|""key"": value", ""));
    }

    [Fact]
    public void A_malformed_safetensors_index_is_refused_at_its_line_with_a_trailing_comma_named()
    {
        // The index is read strictly (as the Hugging Face tools write it): a trailing comma is an error there.
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.CheckpointBytes("{\"metadata\": {\"total_size\": 5,}\n}", "m/model.safetensors.index.json"));
        Assert.Equal("model.safetensors.index.json", ex.Field);
        Assert.Equal(new SourceLocation("m/model.safetensors.index.json", 1, 31), ex.Location);
        Assert.Equal("Malformed JSON at line 1, byte 31: a comma ends an object or a list, with no entry after it. Remove the comma.", ex.Detail);
        Assert.Equal("JSON 格式错误（第 1 行，第 31 字节）：对象或列表以逗号结尾，其后没有条目。请删除该逗号。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_command_line_refuses_a_malformed_config_in_the_language_asked_for()
    {
        var path = TempFiles.Write("config.json", "{\n  \"hidden_size\": 4096,\n  \"num_hidden_layers\": 32\n  \"num_attention_heads\": 32\n}\n");
        var (code, _, en, _) = CliTests.Run("memory", "--model", path);
        Assert.Equal(2, code);
        Assert.Equal($"error: {path}:4:3: Malformed JSON at line 4, byte 3: '\"' follows a value where a comma or the end of the object or list belongs. Put a comma between two entries.", en.Trim());
        var (zhCode, _, zh, _) = CliTests.Run("memory", "--model", path, "--lang", "zh");
        Assert.Equal(2, zhCode);
        Assert.Equal($"错误：{path}:4:3: JSON 格式错误（第 4 行，第 3 字节）：'\"' 出现在一个值之后，此处应为逗号或对象、列表的结尾。请在两个条目之间加逗号。", zh.Trim());
    }

    /// <summary>
    /// The core parsers a catalog, price or calibration file's value goes through refuse with a phrase: the readers place
    /// that phrase at the file's key, and have no English fallback left to take.
    /// </summary>
    [Fact]
    public void The_core_parsers_that_file_readers_call_refuse_with_phrases()
    {
        Action[] refusals =
        [
            () => QuantityText.ParseBytes("80 GiB/s", "memory"),
            () => QuantityText.ParseByteRate("fast", "memory_bandwidth"),
            () => QuantityText.ParsePower("-700 W", "tdp"),
            () => QuantityText.ParseExponentialRate("3.9 TFLOPS", "rate"),
            () => QuantityText.ParseMoney("12 dollars", "per_device_hour"),
            () => QuantityText.ParseTariff("0.65 CNY", "tariff"),
            () => Currency.Parse("XYZ", "currency"),
            () => RentTerms.Parse("weekly", "term"),
            () => (StepTimeParameters.Ideal with { ComputeEfficiency = 2 }).Validated(),
        ];
        foreach (var refuse in refusals)
        {
            var ex = Assert.ThrowsAny<InputException>(refuse);
            Assert.NotNull(ex.Text);
            Assert.False(ex.Text.Mentions("message"), $"'{ex.Detail}' is a bare English message");
            Assert.NotEqual(ex.Text.English, ex.Text.Render(Languages.Chinese, FieldNames.Core));
        }
    }

    // new InputException(field, "literal" ...) or with an interpolated string: a message with no Chinese text.
    [GeneratedRegex(@"new InputException\([^,;()]*(?:\([^()]*\))?[^,;()]*,\s*\$?""")]
    private static partial Regex BareMessage();

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex EnglishWords();

    [Fact]
    public void The_core_library_raises_no_input_error_from_a_bare_english_string()
    {
        Assert.Matches(BareMessage(), "throw new InputException(\"tdp\", $\"tdp must be positive, got {x}.\");");
        Assert.DoesNotMatch(BareMessage(), "throw new InputException(\"tdp\", Phrase.Of(\"tdp\", \"tdp must be positive.\"));");
        var files = Directory.GetFiles(Path.Combine(PlanTests.RepoRoot(), "src", "Suanli"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "QuantityText.cs");
        var offenders = files.SelectMany(f => BareMessage().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}")).ToList();
        Assert.True(offenders.Count == 0, "core refusals that are not phrases: " + string.Join("; ", offenders));
    }
}
