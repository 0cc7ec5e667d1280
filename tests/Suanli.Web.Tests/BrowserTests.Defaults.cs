using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

public partial class BrowserTests
{
    [Fact]
    public async Task Deepseek_v3_selects_its_fp8_checkpoint_and_the_memory_panel_matches_the_api_without_a_precision_until_the_user_chooses_one()
    {
        var models = (await f.ApiAsync("/api/catalog/models")).GetProperty("models").EnumerateArray().ToList();
        Assert.Equal("fp8", models.Single(m => m.GetProperty("id").GetString() == "deepseek-v3").GetProperty("defaultPrecision").GetString());
        Assert.Equal("bf16", models.Single(m => m.GetProperty("id").GetString() == "qwen2.5-7b-instruct").GetProperty("defaultPrecision").GetString());

        var page = await f.OpenAsync();
        Assert.Equal("bf16", await page.InputValueAsync("#f-precision"));
        await page.FillAsync("#f-model", "deepseek-v3");
        await BrowserFixture.Ready(page);
        Assert.Equal("fp8", await page.InputValueAsync("#f-precision"));
        // The API without a precision takes the released checkpoint's format, as suanli memory does.
        var memory = await f.ApiAsync("/api/memory?model=deepseek-v3&context=1280&batch=16&hardware=nvidia-h100-sxm5-80gb&devices=1");
        Assert.Equal("fp8", memory.GetProperty("precision").GetString());
        Assert.Equal(Gb(memory), await Total(page));
        Assert.DoesNotContain("precision=", page.Url, StringComparison.Ordinal);

        // A model released in bf16 goes back to bf16; once the user picks a precision, a model change keeps it.
        await page.FillAsync("#f-model", "qwen2.5-14b");
        await BrowserFixture.Ready(page);
        Assert.Equal("bf16", await page.InputValueAsync("#f-precision"));
        await page.SelectOptionAsync("#f-precision", "int8");
        await page.FillAsync("#f-model", "deepseek-v3");
        await BrowserFixture.Ready(page);
        Assert.Equal("int8", await page.InputValueAsync("#f-precision"));
        Assert.Contains("precision=int8", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gpt_oss_shows_its_released_mixed_scheme_in_the_precision_field_and_the_memory_panel_matches_the_api()
    {
        var page = await f.OpenAsync();
        await page.FillAsync("#f-model", "gpt-oss-120b");
        await BrowserFixture.Ready(page);
        // Routed experts in MXFP4, the rest in BF16 (the model card's checkpoint): offered beside the uniform formats.
        Assert.Equal("mxfp4+bf16", await page.InputValueAsync("#f-precision"));
        var memory = await f.ApiAsync("/api/memory?model=gpt-oss-120b&context=1280&batch=16&hardware=nvidia-h100-sxm5-80gb&devices=1");
        Assert.Equal("mxfp4+bf16", memory.GetProperty("precision").GetString());
        Assert.Equal(Gb(memory), await Total(page));
        // A uniform format is still a choice, and the choice sticks.
        await page.SelectOptionAsync("#f-precision", "mxfp4");
        await BrowserFixture.Ready(page);
        Assert.Contains("precision=mxfp4", page.Url, StringComparison.Ordinal);
    }
}
