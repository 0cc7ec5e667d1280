using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Suanli.StepTime;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// A step-time model that counts its calls and, at a chosen call, hangs the client up: the request is aborted in the
/// middle of its capacity searches, counted in calls rather than timed.
/// </summary>
internal sealed class TrippedStepTime(IStepTimeModel inner) : IStepTimeModel
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The call at which <see cref="HangUp"/> is cancelled; 0 never.</summary>
    public int TripAt { get; set; }

    public CancellationTokenSource HangUp { get; set; } = new();

    /// <summary>Set by the test once the client has let go of the response, so the server has seen the request aborted.</summary>
    public ManualResetEventSlim LetGo { get; } = new(true);

    public StepEstimate Estimate(Deployment deployment, StepShape shape)
    {
        if (Interlocked.Increment(ref _calls) == TripAt)
        {
            // Before the headers the test server aborts the request from the client's token at once; once a stream's
            // headers are read, only the client's disposal of the response aborts it. On a loaded machine the client's
            // continuation could run after the rest of the search, so the search waits here until the client has let go.
            HangUp.Cancel();
            LetGo.Wait(TimeSpan.FromSeconds(60));
        }
        return inner.Estimate(deployment, shape);
    }
}

/// <summary>
/// Capacity searches are remembered per process and step-time model (CapacitySearchMemo) and the plan's layouts are
/// searched side by side (Planner.Choose): a request whose client hangs up mid-search must stop, free its slot, and
/// leave nothing half-done in the memo, so the next identical request gets the whole answer an unbroken run gives.
/// </summary>
public class AbortedSearchMemoTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    // Several layouts and applications' searches on one H100 server: long enough to hang up in the middle of.
    private const string Plan = "/api/plan?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1";
    private const string Stream = "/api/plan/search/stream?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&candidates=qwen2.5-7b,qwen2.5-14b&top=5";

    // Each server has its own step-time model, so its memo starts empty: nothing another test remembered answers for it.
    // Started, so its warm-up's calls (Calls at return) come before any request's.
    private (WebApplicationFactory<Program> Server, TrippedStepTime Model, int WarmUp) Server()
    {
        var model = new TrippedStepTime(factory.Services.GetRequiredService<IStepTimeModel>());
        var server = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStepTimeModel>(model)));
        _ = server.Services.GetRequiredService<TimeLimit>();
        return (server, model, model.Calls);
    }

    private static async Task<string> Answer(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    // The answer without what depends on the clock: the stream's progress lines (sent at intervals) and elapsed times.
    private static string Settled(string body) => System.Text.RegularExpressions.Regex.Replace(
        string.Join('\n', body.Split('\n').Where(l => !l.Contains("\"kind\":\"progress\"", StringComparison.Ordinal))), "\"elapsedSeconds\":[0-9.eE+-]+", "\"elapsedSeconds\":0");

    [Theory]
    // Points at which a search that swallowed its cancellation (a probe taken as failing) changed the repeat's answer.
    [InlineData(Plan, 0.1)]
    [InlineData(Stream, 0.5)]
    public async Task A_request_aborted_mid_search_stops_and_the_repeat_gets_the_whole_answer(string url, double hangUpAt)
    {
        // An unbroken run on a server of its own: the answer, and how many step-time calls it takes.
        var (reference, counted, referenceWarmUp) = Server();
        using (reference)
        {
            var full = await Answer(reference.CreateClient(), url);
            var calls = counted.Calls - referenceWarmUp;
            Assert.True(calls > 100, $"{calls} step-time calls");

            var (server, model, warmUp) = Server();
            using (server)
            {
                var limit = server.Services.GetRequiredService<TimeLimit>();
                var client = server.CreateClient();
                // The client hangs up part of the way through the searches.
                using var hangUp = new CancellationTokenSource();
                model.HangUp = hangUp;
                model.LetGo.Reset();
                model.TripAt = warmUp + (int)(calls * hangUpAt);
                var hungUp = await Record.ExceptionAsync(async () =>
                {
                    using var aborted = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, hangUp.Token);
                    // The stream's headers come at once: read on until the hang-up ends it.
                    var reader = new StreamReader(await aborted.Content.ReadAsStreamAsync(hangUp.Token));
                    while (await reader.ReadLineAsync(hangUp.Token) is not null)
                    {
                    }
                });
                model.LetGo.Set();
                // The client sees its own cancellation, or the test server's abort of the request when that comes first.
                Assert.True(hungUp is OperationCanceledException or IOException, hungUp?.ToString() ?? "the aborted request answered");
                await Waiting.Until(() => limit.Running == 0, TimeSpan.FromSeconds(30));
                Assert.Equal(0, limit.Running);
                var atHangUp = model.Calls;
                // The work stopped well short of the whole run's calls (cancellation is checked within a probe).
                Assert.True(atHangUp - warmUp < calls, $"{atHangUp - warmUp} of {calls} calls before stopping");

                // The same request again: searches finished before the hang-up are remembered, the rest run now, and
                // the answer is the unbroken run's, byte for byte.
                model.TripAt = 0;
                Assert.Equal(Settled(full), Settled(await Answer(client, url)));
                Assert.True(model.Calls > atHangUp, "the repeat ran the searches the hang-up stopped");
            }
        }
    }
}
