using Xunit;

namespace Suanli.Web.Tests;

public partial class ChineseReportTests
{
    [Theory]
    [InlineData("/api/memory?model=gpt-oss-120b&hardware=nvidia-h100-sxm5-80gb", "## gpt-oss-120b（mxfp4+bf16，KV bf16），批大小 1 x 上下文 4,096，运行于 nvidia-h100-sxm5-80gb")]
    [InlineData("/api/density?", "## 机柜密度（种子案例 C7）")]
    [InlineData("/api/catalog/hardware?", " 种设备（稠密峰值）")]
    public async Task The_chinese_markdown_of_memory_density_and_the_catalog_has_no_english_heading(string query, string title)
    {
        var response = await _client.GetAsync(query + "&format=markdown&lang=zh");
        var markdown = await response.Content.ReadAsStringAsync();
        output.WriteLine(markdown);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(title, markdown.Split('\n')[0], StringComparison.Ordinal);
        var headings = markdown.Split('\n').Where(l => l.StartsWith('#')).ToList();
        Assert.True(headings.Count >= 2, markdown);
        Assert.Empty(headings.SelectMany(h => EnglishWords(h.TrimStart('#')).Select(w => $"'{h}': {w}")));
    }
}
