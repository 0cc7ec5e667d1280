using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Scenario values that could only plan absurd figures (a billion-token prompt, a request every 30,000 years or a
/// trillion a second, a ten-thousandth of a user) are refused at their line with the range, in English and Chinese.
/// </summary>
public sealed class AbsurdScenarioTests
{
    private const string Head = "hardware: h100\napplications:\n  - name: a\n    model: qwen2.5-7b-instruct\n    output_tokens: 256\n";

    [Theory]
    [InlineData("    input_tokens: 1e9\n    peak_concurrency: 10\n", 6, "applications[0].input_tokens: length must be a whole number of tokens from 1 to 10,000,000, got '1e9'.")]
    [InlineData("    input_tokens: 1024\n    peak_rate: 1e-12\n", 7, "applications[0].peak_rate must be from 0.000001 to 100,000,000, got 1e-12.")]
    [InlineData("    input_tokens: 1024\n    peak_rate: 1e12\n", 7, "applications[0].peak_rate must be from 0.000001 to 100,000,000, got 1,000,000,000,000.")]
    [InlineData("    input_tokens: 1024\n    users: {daily_active: 0.0001, requests_per_user_per_day: 10}\n", 7, "applications[0].users.daily_active must be from 1 to 100,000,000,000, got 0.0001.")]
    public void An_absurd_scenario_value_is_refused_at_its_line_with_the_range(string tail, int line, string message)
    {
        var ex = Assert.Throws<InputException>(() => ScenarioFile.Parse(Head + tail, "s.yaml", CatalogFiles.Embedded));
        Assert.Equal(line, ex.Location!.Line);
        Assert.Equal(message, ex.Detail);
        // The Chinese sentence is a translation (CJK text), not the English one passed through.
        var zh = ex.Text!.Render(Languages.Chinese, FieldNames.Core);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", zh);
        Assert.DoesNotContain(" must be ", zh, StringComparison.Ordinal);
    }
}
