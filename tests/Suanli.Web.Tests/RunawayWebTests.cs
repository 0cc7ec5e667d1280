using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>A request the server gives up on stops using the machine, and a full server says so (429) instead of queueing forever.</summary>
public class RunawayWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    // Uncancelled, this million-request simulation runs for about 9 s on an idle 2-core machine, three times the
    // limit these tests set (with 64-token outputs it finished in 2 s there, inside the limit).
    private const string Runaway = "/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=10&input=512&output=1024&requests=1000000";

    [Fact]
    public async Task A_timed_out_simulation_stops_and_releases_its_slot()
    {
        using var limited = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:OperationTimeLimit", "00:00:00.500"));
        var client = limited.CreateClient();
        var limit = limited.Services.GetRequiredService<TimeLimit>();
        var response = await client.GetAsync(Runaway);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        // The work is cancelled with the answer; it notices within a second (the wait allows for a loaded test machine).
        await Waiting.Until(() => limit.Running == 0 && limit.StoppedAfterTimeOut == 1, TimeSpan.FromSeconds(5));
        Assert.Equal(0, limit.Running);
        // The server counted the answer at the limit, and that work ended by observing its token, not by finishing.
        Assert.Equal(1, limit.TimedOut);
        Assert.Equal(1, limit.StoppedAfterTimeOut);
        Assert.Equal(1, limit.CancelledAfterTimeOut);
    }

    /// <summary>Requests whose work, uncancelled, runs far past the waits of the hang-up test.</summary>
    public static TheoryData<string> LongRequests => new()
    {
        // A simulation four times the runaway's (about 36 s uncancelled on an idle 2-core machine): the shared timed path.
        "/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=10&input=512&output=4096&requests=1000000",
        // The plan search answered in one piece (the streamed one has its own test): a 32k prompt searches for many seconds.
        "/api/plan/search?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=32k&output=256&ttftP90=2&tpotP90=0.1&candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50",
        // The plan answered in one piece: its layouts' capacity searches run side by side (Planner.Choose), each on the
        // request's token. A 30k prompt, since 32k plus the output would pass qwen2.5's 32,768-token context (refused at once).
        "/api/plan?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=30k&output=256&ttftP90=2&tpotP90=0.1",
        // Every catalog model on every device: about 50 s of one core uncancelled; compare ignored its token, so a
        // client that hung up left it running and holding its slot to the end.
        "/api/compare?requestsPerMonth=1e6&model=" + string.Join(',', Suanli.Files.CatalogFiles.Embedded.Models.Select(m => m.Id))
            + "&hardware=" + string.Join(',', Suanli.Files.CatalogFiles.Embedded.Devices.Select(d => d.Id)),
    };

    [Theory]
    [MemberData(nameof(LongRequests))]
    public async Task A_client_that_hangs_up_stops_the_work_and_frees_its_slot(string url)
    {
        // Step times wait at a gate, so the work cannot finish before the client has hung up; the gate is armed once the
        // server has started (its warm-up calls the model too).
        // A failed assertion must not leave the work waiting at the gate: disposing the server opens it.
        using var gated = new GatedServer(factory);
        var limit = gated.Limit;
        using var hangUp = new CancellationTokenSource();
        var request = gated.Server.CreateClient().GetAsync(url, hangUp.Token);
        await Waiting.Until(() => limit.Running == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, limit.Running);
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        // The work goes on only now, its token already cancelled: it must stop well before it could finish.
        gated.Gate.Open();
        await Waiting.Until(() => limit.Running == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, limit.Running);
        Assert.Equal(0, limit.TimedOut);
    }

    [Fact]
    public async Task A_full_server_answers_429_with_retry_after_as_a_problem()
    {
        using var one = factory.WithWebHostBuilder(b => b
            .UseSetting("Suanli:MaxConcurrentOperations", "1")
            .UseSetting("Suanli:MaxQueueWait", "00:00:00")
            .UseSetting("Suanli:OperationTimeLimit", "00:00:03"));
        var client = one.CreateClient();
        var limit = one.Services.GetRequiredService<TimeLimit>();
        var runaway = client.GetAsync(Runaway);
        await Waiting.Until(() => limit.Running == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, limit.Running);

        var busy = await client.GetAsync("/api/perf?model=qwen2.5-0.5b&hardware=h100");
        Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        var retry = busy.Headers.RetryAfter?.Delta;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value.TotalSeconds, 1, 3);
        using var doc = JsonDocument.Parse(await busy.Content.ReadAsStringAsync());
        Assert.Equal(429, doc.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Suanli:MaxConcurrentOperations", doc.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await runaway).StatusCode);
        await Waiting.Until(() => limit.Running == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/perf?model=qwen2.5-0.5b&hardware=h100")).StatusCode);
    }
}

/// <summary>Web errors name the fields a request uses, not the CLI's options.</summary>
public class WebFieldNameTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task A_simulate_error_names_maxBatchedTokens_not_the_cli_option()
    {
        var response = await factory.CreateClient().GetAsync("/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=1&input=512&output=64&maxNumSeqs=256&maxBatchedTokens=128");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = doc.RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("maxBatchedTokens 128 is below maxNumSeqs 256", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("--", detail, StringComparison.Ordinal);
        Assert.Equal("maxBatchedTokens", doc.RootElement.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("--max-batched-tokens 128 is below --max-num-seqs 256", "maxBatchedTokens 128 is below maxNumSeqs 256")]
    [InlineData("give --ttft-p90, --tpot-p90 or the --*-p99 forms", "give ttftP90, tpotP90 or the --*-p99 forms")]
    [InlineData("see 'suanli memory' and pre-trained models", "see 'suanli memory' and pre-trained models")]
    public void Cli_options_in_a_message_become_api_fields(string message, string expected) =>
        Assert.Equal(expected, ProblemMapper.ApiFields(message));
}
