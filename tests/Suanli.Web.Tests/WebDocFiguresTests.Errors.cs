using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The status column of docs/web.md's error table, and the statuses its limits table and endpoint notes name, are what
/// the server answers: each row's case is sent (or, for what only Kestrel or a fault can raise, the exception is given
/// to the app's problem mapper) and the status it gets is the one the page must show beside that case.
/// </summary>
public sealed partial class WebDocFiguresTests
{
    private const string Memory = "/api/memory?model=qwen2-72b&hardware=a100-80gb";

    private static StringContent Body(string text, string? type)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = type is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return content;
    }

    private static async Task<int> Status(Task<HttpResponseMessage> sent)
    {
        using var r = await sent;
        return (int)r.StatusCode;
    }

    private static int Mapped(Exception e) => ProblemMapper.Details(e, Suanli.Text.Languages.English, NullLogger.Instance).Status!.Value;

    [Fact]
    public async Task The_error_tables_statuses_are_what_the_server_answers_for_each_case()
    {
        var client = factory.CreateClient();
        const string page = "docs/web.md";
        var badValue = await Status(client.GetAsync(Memory + "&batch=abc"));
        Says(page, F($"text over 200 characters, unknown format | {badValue} | `detail` (the core's sentence"));
        var badJson = await Status(client.PostAsync("/api/memory", Body("{\"model\":", "application/json")));
        Says(page, F($"wrong type, empty or `null` body | {badJson} | `field` is the JSON field"));
        var unknownParameter = await Status(client.GetAsync(Memory + "&bogus=1"));
        Says(page, F($"| unknown query parameter | {unknownParameter} | `field` is the parameter;"));
        var repeatedKey = await Status(client.PostAsync("/api/plan", Body("name: a\nname: b\n", "application/yaml")));
        Says(page, F($"a second YAML document, a key given twice | {repeatedKey} | `detail` has `request body:LINE:COLUMN` |"));
        using (var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/models"))
        {
            foreign.Headers.Host = "attacker.example";
            Says(page, F($"| `Host` header not in the allow-list (below) | {await Status(client.SendAsync(foreign))} | `field` is `Host`;"));
        }
        Says(page, F($"| a path nothing answers (`/api/memroy`) | {await Status(client.GetAsync("/api/memroy"))} | `detail` names the nearest"));
        Says(page, F($"too expensive to run for headers alone) | {await Status(client.PutAsync(Memory, Body("{}", "application/json")))} | `Allow` header;"));
        Says(page, F($"or no `Content-Type` at all | {await Status(client.PostAsync("/api/memory", Body("{}", null)))} | problem details |"));
        Says(page, F($"body content type a scenario is not (`/api/plan`: JSON or YAML) | {await Status(client.PostAsync("/api/plan", Body("name: a", "text/plain")))} | problem details |"));
        var huge = "{\"model\":\"" + new string('a', (int)Limits.MaxBodyBytes * 2) + "\"}";
        Says(page, F($"Kestrel's limit is set to the same) | {await Status(client.PostAsync("/api/perf", Body(huge, "application/json")))} | `detail` says the limit"));
        var slow = new Microsoft.AspNetCore.Http.BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", StatusCodes.Status408RequestTimeout);
        Says(page, F($"(Kestrel's default minimum rate) | {Mapped(slow)} | `detail` says so"));
        Says(page, F($"| anything else | {Mapped(new InvalidOperationException("a fault of the server's"))} | a fixed sentence;"));
        // A 414 is Kestrel's answer before the app runs, which the test server does not reproduce: its limit is pinned above.
        Assert.All(new[] { badValue, badJson, unknownParameter, repeatedKey }, s => Assert.Equal(StatusCodes.Status400BadRequest, s));
        Says(page, F($"Inputs are bounded before any work starts ({badValue} naming the field)"));
        Says(page, F($"A value outside these is a {badValue} whose `field` names the parameter"));
    }

    /// <summary>The 422 of an operation past the time limit and the 429 of a full server, where the page names them.</summary>
    [Fact]
    public async Task The_time_limit_and_full_server_statuses_the_page_names_are_what_the_server_answers()
    {
        const string page = "docs/web.md";
        using var limited = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:OperationTimeLimit", "00:00:00"));
        var timedOut = await Status(limited.CreateClient().GetAsync("/api/perf?model=qwen2.5-7b&hardware=h100"));
        Says(page, F($"({Limits.OperationTimeLimit.TotalSeconds} s) | {timedOut} | `detail`: \"… stopped after N s"));
        Says(page, F($"(simulate, capacity, plan, optimize, compare, perf, train, density); {timedOut} past it |"));
        Says(page, F($"under the same time limit (`Suanli:OperationTimeLimit`, {timedOut} past it)"));

        // One slot, no wait, and its one operation held at the gate: the next one finds the server full.
        using var one = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:MaxConcurrentOperations", "1").UseSetting("Suanli:MaxQueueWait", "00:00:00"));
        using var gated = new GatedServer(one);
        var client = gated.Server.CreateClient();
        using var hangUp = new CancellationTokenSource();
        var held = client.GetAsync("/api/perf?model=qwen2.5-0.5b&hardware=h100", hangUp.Token);
        await Waiting.Until(() => gated.Limit.Running == 1, TimeSpan.FromSeconds(10));
        var busy = await Status(client.GetAsync("/api/perf?model=qwen2.5-0.5b&hardware=h100"));
        // The streamed search answers a full server, and an input error found before it starts, as any endpoint does.
        const string stream = "/api/plan/search/stream?model=qwen2.5-0.5b&hardware=h100&peakConcurrency=20";
        var streamBusy = await Status(client.GetAsync(stream));
        var streamBad = await Status(factory.CreateClient().GetAsync(stream + "&input=abc"));
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        Says(page, F($"for longer than `Suanli:MaxQueueWait` | {busy} | `Retry-After` header"));
        Says(page, F($"how long a request waits for a free slot before its {busy} (a burst of page plans"));
        Says(page, F($"A server at its limit of long operations ({busy}) is asked again after its `Retry-After`"));
        Says(page, F($"Input errors found before the search starts and a full server answer as usual ({streamBad}, {streamBusy})."));
    }

    /// <summary>
    /// The GET /api/plan row's defaults (`input`, `output`, `ttftP90`, `tpotP90`) are those of the scenario the query
    /// fills when it names none of them: its <c>format=yaml</c> answer is that scenario file.
    /// </summary>
    [Fact]
    public async Task The_plan_querys_defaults_the_page_gives_are_the_scenario_it_fills()
    {
        var yaml = await factory.CreateClient().GetStringAsync("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=20&format=yaml");
        string Key(string key)
        {
            var m = Regex.Match(yaml, $@"(?<!\w){key}: ([\d.]+)\b");
            Assert.True(m.Success, $"the scenario GET /api/plan fills has no {key}:\n{yaml}");
            return m.Groups[1].Value;
        }
        Says("docs/web.md", $"`peakConcurrency` or `peakRate`, `input` ({Key("input_tokens")}), `output` ({Key("output_tokens")}), `ttftP90` ({Key("ttft_p90_s")}), `tpotP90` ({Key("tpot_p90_s")}) with `ttftPercentile`");
    }
}
