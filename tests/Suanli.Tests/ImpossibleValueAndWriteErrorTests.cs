using Suanli.Files;
using Suanli.Text;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Measurement values beyond physics are refused at their cell, and a file that cannot be written says which path and
/// what to do in the user's language rather than .NET's English exception text.
/// </summary>
public class ImpossibleValueAndWriteErrorTests
{
    // Llama 3.1 8B on one H100 SXM5, offline, 2,048 + 2,048 tokens: the first row of data/inference.csv with the value replaced.
    private static string Row(string value, string metric = "output_tokens_per_s") =>
        MeasurementFiles.InferenceHeader + $"\nx-1,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,fp8,fp8,trtllm,offline,,,2048,2048,,,{metric},{value},src,note\n";

    private static ValidationResult Validate(string text) =>
        new Validator(new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded), new TrainingRowPredictor(CatalogFiles.Embedded))
            .Run([MeasurementFiles.Parse(text, "mem.csv")]);

    // The value column of format A is the 16th; the fields before it on the row above take 95 characters and commas.
    private static readonly int ValueColumn = Row("1").Split('\n')[1].IndexOf(",1,src", StringComparison.Ordinal) + 2;

    [Theory]
    [InlineData("1e308")]
    [InlineData("1e30")]
    [InlineData("141777")]
    public void An_output_rate_beyond_the_devices_peak_is_refused_at_the_value_cell(string value)
    {
        var text = Row(value);
        var r = Validate(text);
        Assert.Empty(r.Rows);
        var problem = Assert.Single(r.Problems);
        Assert.Equal("value", problem.Field);
        Assert.Equal(new SourceLocation("mem.csv", 2, text.Split('\n')[1].IndexOf("," + value + ",", StringComparison.Ordinal) + 2), problem.Location);
        // The ceiling by hand: the H100 SXM's fastest dense peak (FP8, 1,979 TFLOP/s) over 2 FLOPs a token for Llama 3.1 8B's
        // 6.98e9 active block weights (8.03e9 less the 525M-weight embedding and the 525M-weight head, 128,256 x 4,096 each).
        Assert.Contains("at most 141,776", problem.Message, StringComparison.Ordinal);
        Assert.Contains("1 x 1,979 TFLOP/s", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("列 'value' 为 ", problem.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_just_under_the_ceiling_is_validated_not_refused()
    {
        var r = Validate(Row("141000"));
        Assert.Empty(r.Problems);
        Assert.Single(r.Rows);
    }

    [Fact]
    public void A_request_rate_is_bounded_by_the_token_ceiling_over_its_tokens_per_request()
    {
        // 141,776 tokens/s over 2,048 + 2,048 tokens a request: at most 34.6 requests/s.
        Assert.Empty(Validate(Row("34", "requests_per_s")).Problems);
        Assert.Equal("value", Assert.Single(Validate(Row("35", "requests_per_s")).Problems).Field);
    }

    [Fact]
    public void Latencies_have_no_ceiling_and_are_validated()
    {
        Assert.Empty(Validate(Row("1e12", "tpot_ms")).Problems);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e400")]
    [InlineData("NaN")]
    public void Zero_negative_and_non_finite_values_are_refused_as_they_are_read(string value)
    {
        var file = MeasurementFiles.Parse(Row(value), "mem.csv");
        Assert.Empty(file.Rows);
        var problem = Assert.Single(file.Problems);
        Assert.Equal("value", problem.Field);
        Assert.Equal(2, problem.Location!.Line);
        Assert.Equal(ValueColumn, problem.Location.Column);
    }

    [Fact]
    public void A_training_mfu_over_100_percent_is_refused()
    {
        var text = MeasurementFiles.TrainingHeader + "\nt-1,gpt-3-175b,nvidia-h100-sxm5-80gb,512,fp8,1207959552,2048,mfu,150,src,note\n";
        var problem = Assert.Single(Validate(text).Problems);
        Assert.Equal("value", problem.Field);
        Assert.Contains("at most 100", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validate_cli_refuses_1e308_with_file_line_and_column_and_exit_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"suanli-huge-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, Row("1e308"));
        try
        {
            var (code, output, _, _) = CliTests.Run("validate", path, "--format", "json");
            Assert.Equal(2, code);
            using var doc = System.Text.Json.JsonDocument.Parse(output);
            var problem = doc.RootElement.GetProperty("problems").EnumerateArray().Single();
            Assert.Equal((path, 2, ValueColumn, "value"), (problem.GetProperty("file").GetString(), problem.GetProperty("line").GetInt32(),
                problem.GetProperty("column").GetInt32(), problem.GetProperty("field").GetString()));
            Assert.Contains("Column 'value' is 1E+308 output_tokens_per_s", output, StringComparison.Ordinal);
            Assert.Equal(0, doc.RootElement.GetProperty("rows").GetArrayLength());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Permission_denied_names_the_path_and_the_fix_in_english_and_chinese()
    {
        var e = OutputFiles.WriteError("/srv/out/report.md", "--report", new UnauthorizedAccessException("Access to the path is denied."));
        Assert.Equal("--report", e.Field);
        Assert.Equal("Cannot write /srv/out/report.md: permission denied. Choose a folder you may write to with --report, or change the folder's permissions. Nothing was written.", e.Message);
        Assert.Equal("无法写入 /srv/out/report.md：权限不足。请用 --report 选择一个可写的文件夹，或修改该文件夹的权限。未写入任何文件。", e.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Theory]
    [InlineData(28)]
    [InlineData(122)]
    [InlineData(unchecked((int)0x80070070))]
    public void A_full_disk_names_the_path_and_the_fix(int hresult)
    {
        var e = OutputFiles.WriteError("plan.json", "--out", new IOException("No space left on device", hresult));
        Assert.Equal("Cannot write plan.json: the disk is full (or the quota is spent). Free some space, or give --out a path on another disk. Nothing was written.", e.Message);
        Assert.DoesNotContain("No space left", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_path_through_a_file_says_which_part_is_a_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"suanli-file-{Guid.NewGuid():N}");
        File.WriteAllText(file, "x");
        try
        {
            var (code, _, err, _) = CliTests.Run("validate", "data/training.csv", "--report", Path.Combine(file, "report.md"));
            Assert.Equal(2, code);
            Assert.Contains($"{file} is a file, not a folder. Give --report a path whose folders are folders. Nothing was written.", err, StringComparison.Ordinal);
            Assert.DoesNotContain("Could not find", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_folder_given_as_the_file_to_write_says_it_is_a_folder_even_with_force()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-dir-").FullName;
        try
        {
            var (code, _, err, _) = CliTests.Run("validate", "data/training.csv", "--report", dir, "--force");
            Assert.Equal(2, code);
            Assert.Contains($"{dir} is a folder; --report names the file to write", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Schema_out_into_a_path_through_a_file_is_an_input_error_not_a_dotnet_message()
    {
        var file = Path.Combine(Path.GetTempPath(), $"suanli-file-{Guid.NewGuid():N}");
        File.WriteAllText(file, "x");
        try
        {
            var (code, _, err, _) = CliTests.Run("schema", "--out", Path.Combine(file, "schemas"));
            Assert.Equal(2, code);
            Assert.Contains($"{file} is a file, not a folder. Give --out a path", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
