using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Suanli.Web.Api;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Defects found by attacking the API with absurd but well-formed values; each is now a 4xx naming the field or bounded work.</summary>
public class RobustWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string Compare = "/api/compare?requestsPerMonth=1M&model=qwen2.5-7b&hardware=h100&";

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData("en", "rentPerHour of 1,000,000,000 USD times")]
    [InlineData("zh", "rentPerHour 为 1,000,000,000 USD，乘以")]
    public async Task A_training_rent_past_any_budget_is_a_400_naming_rentPerHour_not_a_500(string lang, string start)
    {
        // 1e30 tokens take 2.8e22 H100-hours; at 1e9 USD an hour the rent (2.8e31) overflowed the decimal type (a 500).
        var body = await Problem(await _client.GetAsync($"/api/train?model=qwen2.5-7b-instruct&hardware=h100&tokens=1e30&rentPerHour=1e9%20USD&lang={lang}"), HttpStatusCode.BadRequest);
        Assert.Equal("rentPerHour", body.GetProperty("field").GetString());
        Assert.Equal("money-product-beyond-budget", body.GetProperty("code").GetString());
        Assert.StartsWith(start, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_list_over_the_length_limit_is_not_told_to_pick_a_catalog_name()
    {
        var batches = string.Join(',', Enumerable.Range(1, 100));
        var body = await Problem(await _client.GetAsync($"/api/perf?model=qwen2.5-7b-instruct&hardware=h100&batch={batches}"), HttpStatusCode.BadRequest);
        Assert.Equal("batch", body.GetProperty("field").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("batch is 291 characters long; a field takes at most 200", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Pick a name", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_think_time_beside_a_rate_is_a_400_naming_thinkTime_rather_than_dropped()
    {
        var body = await Problem(await _client.GetAsync("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&requests=20&rate=1&thinkTime=5"), HttpStatusCode.BadRequest);
        Assert.Equal("thinkTime", body.GetProperty("field").GetString());
        Assert.Equal("think-time-closed-loop-only", body.GetProperty("code").GetString());
        Assert.StartsWith("thinkTime applies only to a closed loop of clients (concurrency N)", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_capacity_target_past_a_day_is_a_400_naming_the_target()
    {
        var body = await Problem(await _client.GetAsync("/api/capacity?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&tpotP90=1e300"), HttpStatusCode.BadRequest);
        Assert.Equal("tpotP90", body.GetProperty("field").GetString());
        Assert.StartsWith("tpotP90 must be between 0 and 86,400", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&requests=20&concurrency=5&thinkTime=1e308", "thinkTime", "thinkTime must be between 0 and 86,400, got 1e308.")]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&rate=5&requests=10&duration=100", "duration",
        "Nothing was measured: all 10 requests arrived within the first 10.0 s of duration 100 s, the warm-up the statistics leave out. Give more requests (or drop it), or a shorter duration.")]
    // A count given twice, or with a thousands separator, read "'32k,64k' is not a number": a value nobody typed.
    [InlineData("/api/memory?model=qwen2.5-7b&context=32k&context=64k", "context",
        "context takes one whole number, got '32k,64k': the parameter given twice, or a comma as a thousands separator (write 32768 or 32k).")]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&rate=1&requests=1,000", "requests",
        "requests takes one whole number, got '1,000': the parameter given twice, or a comma as a thousands separator (write 2000 or 2k).")]
    // The queue overflowed before the warm-up ended: a 200 with every latency 0, or with a duration a 400 blaming it.
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&input=1024&output=2048&rate=500&requests=300000&duration=2592000", "rate",
        "The replica is saturated: more than 20,000 requests were waiting after 42.10 s of simulated time, so the simulation stopped; 500.000 requests/s is more than one replica of qwen2.5-7b on 1 x nvidia-h100-sxm5-80gb carries. Lower the load, add replicas, or find the limit with GET /api/capacity. It stopped before the warm-up the statistics leave out had ended, so no request was measured and there is no latency to report.")]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=lognormal:mean=800,sd=400,sd=5&output=16&rate=1&requests=20", "input",
        "input: 'sd' is given twice in lognormal; give it once, e.g. lognormal:mean=800,sd=400.")]
    [InlineData("/api/perf?model=qwen2.5-7b&hardware=h100&input=10000000&output=10000000", "input",
        "input 10,000,000 plus output 10,000,000 is 20,000,000 tokens per sequence, more than the 10,000,000 Suanli models; shorten the prompt or the output.")]
    [InlineData("/api/density?model=llama-3-8b&server=dgx-h100&input=1000000&context=10", "context",
        "input 1,000,000 plus output 256 is more than the 10 tokens a session holds (context); raise context or shorten the turn.")]
    // The core named these "amortisation years", "maintenance share per year" and "server overhead": no API field.
    [InlineData(Compare + "years=0", "years", "years must be between 0.25 and 30, got 0.")]
    [InlineData(Compare + "maintenance=5", "maintenance", "maintenance must be between 0 and 1, got 5.")]
    [InlineData(Compare + "serverOverhead=-1", "serverOverhead", "serverOverhead must be between 0 and 10, got -1.")]
    // Values a run used to take and answer with zeros or the last of two.
    [InlineData(Compare + "custom=x;build=5%20USD;build=7%20USD", "custom", "'build' in custom 'x' sets the same value as 'build' before it; keep one of them.")]
    [InlineData("/api/memory?model=qwen2.5-7b&devices=4", "devices",
        "devices 4 says how many devices you have for the answer whether the model fits, which needs hardware; add hardware or drop devices.")]
    [InlineData("/api/compare?requestsPerMonth=1M&api=gpt-4o-mini&months=5", "months",
        "months spreads the build cost of a custom option, but none is given; add custom or drop months.")]
    [InlineData("/api/train?model=qwen2.5-0.5b&hardware=h100&tokens=1e9&loraRank=5", "loraRank",
        "loraRank sizes a LoRA or QLoRA adapter, but method is full; give method lora or qlora, or drop loraRank.")]
    [InlineData("/api/train?model=qwen2.5-0.5b&hardware=h100&tokens=1e9&teacherBatch=5", "teacherBatch",
        "teacherBatch sets the distillation teacher, but no teacher is given; add teacher MODEL or drop teacherBatch.")]
    // The message offered "a list of 24 hourly multipliers", a form this field does not take.
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakRate=1&profile=0.5,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "profile",
        "Unknown traffic profile '0.5,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1'. Use one of office-hours, call-centre, consumer-evening, flat; hourly multipliers of your own need a scenario file.")]
    public async Task Inputs_answered_with_zeros_dropped_or_misnamed_are_400s_naming_the_api_field(string url, string field, string detail)
    {
        var body = await Problem(await _client.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Density_runs_under_the_time_limit_and_its_session_sizing_observes_the_token()
    {
        // Under the limiter, as every endpoint that simulates: the operation declares the time-limit and busy answers.
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var responses = doc.RootElement.GetProperty("paths").GetProperty("/api/density").GetProperty("get").GetProperty("responses");
        Assert.True(responses.TryGetProperty("422", out _));
        Assert.True(responses.TryGetProperty("429", out _));

        // One model on one server: the loop's own check passes before the first step time, so the cancellation the
        // step-time model raises mid-simulation must be observed by the session sizing itself.
        using var cancel = new CancellationTokenSource();
        var model = new CancellingStepTime(CalibrationFiles.Default, cancel);
        var input = new DensityInput { Model = ["llama-3-8b"], Server = ["dgx-h100"] };
        Assert.ThrowsAny<OperationCanceledException>(() => DensityApi.Build(input, CatalogFiles.Embedded, model, cancel.Token));
        Assert.True(model.Calls >= 1);
    }

    [Theory]
    // perf dropped the request's token: a client that hung up, or a request past the time limit, left every batch size
    // and every system layout computed to the end, holding its slot.
    [InlineData("1,8,64", null)]
    [InlineData("1", "8")]
    public void Perf_observes_the_token_between_batch_sizes_and_system_layouts(string batch, string? systemDevices)
    {
        var input = new PerfInput { Model = "llama-3.1-8b", Hardware = "h100", Batch = batch, SystemDevices = systemDevices };
        using var unused = new CancellationTokenSource();
        var whole = new CancellingStepTime(CalibrationFiles.Default, unused);
        PerfApi.Build(input, CatalogFiles.Embedded, whole);

        using var cancel = new CancellationTokenSource();
        var model = new CancellingStepTime(CalibrationFiles.Default, cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => PerfApi.Build(input, CatalogFiles.Embedded, model, cancel.Token));
        Assert.InRange(model.Calls, 1, whole.Calls - 1);
    }

    [Fact]
    public void Train_observes_a_cancelled_token_rather_than_estimating()
    {
        // train dropped the request's token, as perf did.
        var input = new TrainInput { Model = "llama-3.1-8b", Hardware = "h100", Tokens = "1T" };
        Assert.NotNull(TrainApi.Train(input, CatalogFiles.Embedded, CalibrationFiles.Default, TimeProvider.System).Json);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TrainApi.Train(input, CatalogFiles.Embedded, CalibrationFiles.Default, TimeProvider.System, cancel.Token));
    }

    [Fact]
    public async Task A_chunked_body_past_kestrels_limit_is_the_servers_413_with_its_limit_not_kestrels_sentence()
    {
        // Kestrel's limit equals Suanli:MaxBodyBytes and trips first on a body without a Content-Length: the answer was
        // 413 titled "Bad request" with Kestrel's English sentence, in either language.
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.ContentType = "application/json";
        http.Request.Body = new KestrelLimitStream();
        var reader = new Suanli.Web.Http.RequestBody(Microsoft.Extensions.Options.Options.Create(new Suanli.Web.Http.WebLimits()));
        var e = await Assert.ThrowsAsync<Suanli.Web.Http.BodyTooLargeException>(() => reader.ReadAsync<PerfInput>(http.Request, CancellationToken.None));
        Assert.Equal(1024 * 1024, e.LimitBytes);
        var details = Suanli.Web.Http.ProblemMapper.Details(e, Suanli.Text.Languages.English, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(413, details.Status);
        Assert.Equal("Request body too large", details.Title);
        Assert.StartsWith("The request body is larger than 1,048,576 bytes, the server's limit (Suanli:MaxBodyBytes).", details.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Request timeout", "The request body arrived too slowly (under 240 bytes/s after the first 5 s, the server's minimum rate) and was abandoned; send the whole body at once.")]
    [InlineData("zh", "请求超时", "请求体到达太慢（前 5 秒之后低于服务器的最低速率 240 字节/秒），已被放弃；请一次发送完整的请求体。")]
    public void A_body_sent_too_slowly_is_a_408_titled_and_worded_by_the_server_not_kestrels_sentence(string lang, string title, string detail)
    {
        // A client that stalls mid-body got 408 titled "Bad request" with "... See MinRequestBodyDataRate.", in both languages.
        var slow = new Microsoft.AspNetCore.Http.BadHttpRequestException("Reading the request body timed out due to data arriving too slowly. See MinRequestBodyDataRate.", 408);
        var language = lang == "zh" ? Suanli.Text.Languages.Chinese : Suanli.Text.Languages.English;
        var details = Suanli.Web.Http.ProblemMapper.Details(slow, language, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(408, details.Status);
        Assert.Equal(title, details.Title);
        Assert.Equal(detail, details.Detail);
    }

    /// <summary>A request body that fails as Kestrel's does when a body sent without a length passes its limit.</summary>
    private sealed class KestrelLimitStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large. The max request body size is 1048576 bytes.", 413);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large. The max request body size is 1048576 bytes.", 413);
    }

    /// <summary>A step-time model that cancels its token on the first call and counts the calls.</summary>
    private sealed class CancellingStepTime(IStepTimeModel inner, CancellationTokenSource cancel) : IStepTimeModel
    {
        public int Calls { get; private set; }

        public StepEstimate Estimate(Deployment deployment, StepShape shape)
        {
            Calls++;
            cancel.Cancel();
            return inner.Estimate(deployment, shape);
        }
    }
}
