using Microsoft.AspNetCore.Mvc.Testing;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The page's script: app.js and its ES modules (wwwroot/js), served as every static file is.</summary>
public class PageScriptTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_page_script_is_modules_of_under_450_lines_each_served_as_javascript_and_preloaded()
    {
        var assets = new EmbeddedAssets(typeof(SuanliWeb).Assembly);
        var html = await _client.GetStringAsync("/");
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
        foreach (var path in assets.Paths.Where(p => p == "app.js" || p.StartsWith("js/", StringComparison.Ordinal)))
        {
            var lines = assets.ReadText(path).Split('\n').Length;
            Assert.True(lines <= 450, $"{path} has {lines} lines");
            using var response = await _client.GetAsync(new Uri("/" + path, UriKind.Relative));
            Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
            // Every module is fetched with the page, not after app.js is read (no request waterfall).
            Assert.True(path == "app.js" || html.Contains($"<link rel=\"modulepreload\" href=\"{path}\">", StringComparison.Ordinal), $"{path} is not preloaded");
        }
    }
}
