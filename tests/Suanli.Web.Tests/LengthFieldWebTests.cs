using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// One bad prompt length (a uniform range written backwards) through the three doors: the CLI names its option
/// (<c>--input</c>), the web API its query parameter (<c>input</c>, in the reader's language) and a scenario file its key
/// with the line and column the value sits at (<c>applications[0].input_tokens</c>).
/// </summary>
public sealed class LengthFieldWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string Backwards = "uniform:1024:256";
    private const string Order = "uniform maximum 256 is below the minimum 1024; write uniform:MIN:MAX with MIN <= MAX, e.g. uniform:256:1024.";

    // input_tokens is on line 7, its value at column 19.
    private const string Scenario = "name: s\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: kb\n    model: qwen2.5-7b\n    peak_rate: 1\n    input_tokens: " + Backwards + "\n    output_tokens: 128\n";

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    [Fact]
    public void The_cli_names_its_option()
    {
        var (code, output, err) = ApiTests.Cli("simulate", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "1", "--input", Backwards, "--output", "128");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: --input: " + Order, err.TrimEnd());
    }

    [Theory]
    [InlineData("en", "input: " + Order)]
    [InlineData("zh", "input：均匀分布的最大值 256 小于最小值 1024；请写作 uniform:MIN:MAX 且 MIN <= MAX，例如 uniform:256:1024。")]
    public async Task The_web_names_its_query_parameter_in_the_readers_language(string lang, string detail)
    {
        using var response = await _client.GetAsync($"/api/simulate?model=qwen2.5-7b&hardware=h100&rate=1&input={Backwards}&output=128&lang={lang}");
        var problem = await Problem(response);
        Assert.Equal("input", problem.GetProperty("field").GetString());
        Assert.Equal("length-uniform-order", problem.GetProperty("code").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_scenario_file_names_its_key_and_the_line()
    {
        using var content = new StringContent(Scenario, System.Text.Encoding.UTF8, "application/yaml");
        using var response = await _client.PostAsync("/api/plan", content);
        var problem = await Problem(response);
        Assert.Equal("applications[0].input_tokens", problem.GetProperty("field").GetString());
        Assert.Equal("request body:7:19: applications[0].input_tokens: " + Order, problem.GetProperty("detail").GetString());

        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-length-field-").FullName, "s.yaml");
        File.WriteAllText(path, Scenario);
        var (code, _, err) = ApiTests.Cli("plan", path);
        Assert.Equal(2, code);
        Assert.Equal($"error: {path}:7:19: applications[0].input_tokens: " + Order, err.TrimEnd());
    }

    [Fact]
    public async Task An_output_length_is_named_as_the_output_and_its_dataset_column_is_the_answers()
    {
        var (code, _, err) = ApiTests.Cli("simulate", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "1", "--input", "512", "--output", "normal:mean=x,sd=3");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --output: mean 'x' is not a finite number.", err, StringComparison.Ordinal);
        using var response = await _client.GetAsync("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=1&input=512&output=normal:mean%3Dx,sd%3D3&lang=zh");
        var problem = await Problem(response);
        Assert.Equal("output", problem.GetProperty("field").GetString());
        Assert.StartsWith("output：均值 'x' 不是有限数值。", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
