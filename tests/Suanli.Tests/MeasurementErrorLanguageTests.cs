using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The errors of a measurement file (<c>suanli validate</c>) are phrases: each names the file, line and column and says
/// the fix, in English and, with <c>--lang zh</c>, in Chinese (they were English-only sentences).
/// </summary>
public sealed class MeasurementErrorLanguageTests
{
    private static readonly string Header = MeasurementFiles.InferenceHeader;

    [Fact]
    public void An_unknown_header_names_the_file_line_and_both_formats_in_the_readers_language()
    {
        var path = TempFiles.Write("bad.csv", "id,model\nx,y\n");
        var (code, _, en, _) = CliTests.Run("validate", path);
        Assert.Equal(2, code);
        Assert.Contains("bad.csv:1:1: Unknown header 'id,model': it ends after column 2, where format A goes on with 'hardware'. Use format A (" + Header + ", optionally followed by any of tp, pp, ep,", en, StringComparison.Ordinal);
        var (_, _, zh, _) = CliTests.Run("validate", path, "--lang", "zh");
        Assert.Contains("未知的表头 'id,model'：它在第 2 列后结束，而格式 A 接下来应为 'hardware'。请使用格式 A（" + Header + "，其后可接 tp、pp、ep、", zh, StringComparison.Ordinal);
        Assert.Contains("或格式 B（" + MeasurementFiles.TrainingHeader + "）。", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_missing_a_column_names_the_first_column_that_differs_in_the_readers_language()
    {
        // A header without 'devices' read only "Unknown header" and both formats: the reader had to diff 18 names by eye.
        var path = TempFiles.Write("nodevices.csv", Header.Replace(",devices,", ",", StringComparison.Ordinal) + "\nx\n");
        var (code, _, en, _) = CliTests.Run("validate", path);
        Assert.Equal(2, code);
        Assert.Contains("nodevices.csv:1:1: Unknown header 'id,model,hardware,precision,kv_precision,framework,scenario,concurrency,request_...': column 4 is 'precision' where format A has 'devices'. Use format A (", en, StringComparison.Ordinal);
        var (_, _, zh, _) = CliTests.Run("validate", path, "--lang", "zh");
        Assert.Contains("：第 4 列是 'precision'，而格式 A 此处应为 'devices'。请使用格式 A（", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_row_and_a_word_where_a_number_goes_name_their_line_and_column_in_the_readers_language()
    {
        // Row 2 has two fields too few (the header has 18); row 3 says 'eight' devices (column 4, at character 38).
        var path = TempFiles.Write("rows.csv", Header + "\n"
            + "a,llama-3.1-8b,nvidia-h100-sxm5-80gb,1,bf16,,vllm,offline,1,,100,100,,,output_tps,5\n"
            + "b,llama-3.1-8b,nvidia-h100-sxm5-80gb,eight,bf16,,vllm,offline,1,,100,100,,,output_tps,5,src,note\n");
        var (code, en, _, _) = CliTests.Run("validate", path, "--format", "markdown");
        Assert.Equal(2, code);
        Assert.Contains("rows.csv:2:1: The row has 16 fields; the header has 18. Quote fields that contain commas.", en, StringComparison.Ordinal);
        Assert.Contains("rows.csv:3:38: Column 'devices' must be a number, got 'eight'.", en, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run("validate", path, "--format", "markdown", "--lang", "zh");
        Assert.Contains("rows.csv:2:1：该行有 16 个字段，而表头有 18 个。含逗号的字段请用双引号括起。", zh, StringComparison.Ordinal);
        Assert.Contains("rows.csv:3:38：列 'devices' 必须是数字，实际为 'eight'。", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("must be a number", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Validates_json_problems_read_in_the_readers_language_and_keep_their_code()
    {
        // The rows of the test above; problems[].message follows --lang as the table's error lines do, file, line,
        // column, field and code stay.
        var path = TempFiles.Write("rows.csv", Header + "\n"
            + "a,llama-3.1-8b,nvidia-h100-sxm5-80gb,1,bf16,,vllm,offline,1,,100,100,,,output_tps,5\n"
            + "b,llama-3.1-8b,nvidia-h100-sxm5-80gb,eight,bf16,,vllm,offline,1,,100,100,,,output_tps,5,src,note\n");
        List<System.Text.Json.JsonElement> Problems(params string[] lang)
        {
            var (code, output, _, _) = CliTests.Run(["validate", path, "--format", "json", .. lang]);
            Assert.Equal(2, code);
            return [.. System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.Clone())];
        }
        var en = Problems();
        var zh = Problems("--lang", "zh");
        Assert.Equal(["The row has 16 fields; the header has 18. Quote fields that contain commas.", "Column 'devices' must be a number, got 'eight'."],
            en.Select(p => p.GetProperty("message").GetString()));
        Assert.Equal(["该行有 16 个字段，而表头有 18 个。含逗号的字段请用双引号括起。", "列 'devices' 必须是数字，实际为 'eight'。"],
            zh.Select(p => p.GetProperty("message").GetString()));
        Assert.Equal(["measurement-row-fields", "measurement-column-number"], zh.Select(p => p.GetProperty("code").GetString()));
        Assert.Equal(en.Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("column").GetInt32(), p.GetProperty("field").GetString(), p.GetProperty("code").GetString())),
            zh.Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("column").GetInt32(), p.GetProperty("field").GetString(), p.GetProperty("code").GetString())));
    }
}
