using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The API resolves the names users type as the CLI does, and answers an unknown name with the nearest ids.</summary>
public class NameLookupWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("Kimi K2", "kimi-k2", "昇腾 910C", "huawei-ascend-910c")]
    [InlineData("DeepSeek V3.2", "deepseek-v3.2-exp", "昇腾910B", "huawei-ascend-910b")]
    [InlineData("GLM-4.5-Air", "glm-4.5-air", "NVIDIA H100", "nvidia-h100-sxm5-80gb")]
    [InlineData("qwen3-235b", "qwen3-235b-a22b", "P800", "kunlunxin-p800")]
    public async Task Memory_resolves_model_and_device_names_as_users_type_them(string model, string modelId, string device, string deviceId)
    {
        var text = await _client.GetStringAsync($"/api/memory?model={Uri.EscapeDataString(model)}&hardware={Uri.EscapeDataString(device)}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(modelId, doc.RootElement.GetProperty("model").GetString());
        Assert.Equal(deviceId, doc.RootElement.GetProperty("hardware").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_problem_naming_the_nearest_ids()
    {
        var r = await _client.GetAsync("/api/memory?model=deepsek-r1");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Contains("deepseek-r1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
