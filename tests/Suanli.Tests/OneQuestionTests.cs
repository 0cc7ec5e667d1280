using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// One question, one number, through every command that answers it: the README's default plan and the examples'
/// rate-driven ChatGLM2-6B plan, asked of <c>plan</c>, <c>optimize</c> and <c>compare</c> as JSON. The web API and the
/// page's quick plan are checked against <c>plan</c> by the web tests (EndpointTests, BrowserTests.Applications).
/// </summary>
public sealed class OneQuestionTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
        Assert.True(code == 0, $"suanli {string.Join(' ', args)}: {err}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string Example(string file) => Path.Combine(PlanTests.RepoRoot(), "examples", file);

    /// <summary>
    /// <c>optimize</c> on a one-application scenario whose own deployment is the cheapest (the default C2 knowledge base,
    /// C3's ChatGLM2-6B) picks the deployment <c>plan</c> sizes, and gives it the same requests/s and requests in flight per
    /// replica, devices at the peak and cost per month (both size replicas with SimulatedReplicaCapacity and cost the
    /// autoscaled fleet).
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("c3-chatglm2-6b.yaml")]
    public void Optimize_gives_the_plans_deployment_the_plans_capacity_devices_and_cost(string? file)
    {
        var scenario = file is null ? Example("c2-knowledge-base.yaml") : Example(file);
        var plan = file is null ? Json("plan") : Json("plan", scenario);
        var app = Assert.Single(plan.GetProperty("applications").EnumerateArray());
        var cheapest = Assert.Single(Json("optimize", scenario).GetProperty("applications").EnumerateArray()).GetProperty("cheapest");
        var (layout, deployment) = (app.GetProperty("layout"), cheapest.GetProperty("deployment"));
        Assert.Equal((layout.GetProperty("tp").GetInt32(), layout.GetProperty("pp").GetInt32(), layout.GetProperty("devices").GetInt32()),
            (deployment.GetProperty("tp").GetInt32(), deployment.GetProperty("pp").GetInt32(), deployment.GetProperty("devicesPerReplica").GetInt32()));
        var (planned, optimized) = (app.GetProperty("capacity"), cheapest.GetProperty("capacity"));
        Assert.Equal(planned.GetProperty("maxRequestsPerSecond").GetDouble(), optimized.GetProperty("requestsPerSecond").GetDouble());
        Assert.Equal(planned.GetProperty("maxConcurrency").GetDouble(), optimized.GetProperty("concurrency").GetDouble());
        Assert.Equal(plan.GetProperty("fleet").GetProperty("devices").GetInt32(), cheapest.GetProperty("fleet").GetProperty("devices").GetInt32());
        var autoscaled = plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(s => s.GetProperty("strategy").GetString() == "autoscaled");
        Assert.Equal(autoscaled.GetProperty("own").GetProperty("perMonth").GetDecimal(), cheapest.GetProperty("cost").GetProperty("ownPerMonth").GetProperty("amount").GetDecimal());
    }

    /// <summary>
    /// <c>compare</c> sizes a self-hosted replica of C3's ChatGLM2-6B (the example's lengths and targets, rate demand) at
    /// the requests/s per replica <c>plan</c> gives the example, on the same layout. (A concurrency-driven plan such as
    /// the default C2 one answers another question, a closed loop of clients, which compare's monthly volume cannot ask.)
    /// </summary>
    [Fact]
    public void Compare_sizes_the_c3_replica_at_the_plans_requests_per_second()
    {
        var app = Assert.Single(Json("plan", Example("c3-chatglm2-6b.yaml")).GetProperty("applications").EnumerateArray());
        var compare = Json("compare", "--requests-per-month", "1M", "--model", "THUDM/chatglm2-6b", "--precision", "fp16", "--hardware", "nvidia-a100-sxm4-80gb",
            "--input", "70", "--output", "1330", "--ttft-p90", "2", "--tpot-p90", "0.1", "--self-host", "rent", "--today", "2026-12-05");
        var sized = compare.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "replica-capacity").GetProperty("args");
        var layout = app.GetProperty("layout");
        Assert.Equal($"TP={layout.GetProperty("tp").GetInt32()} PP={layout.GetProperty("pp").GetInt32()}", sized.GetProperty("layout").GetString());
        Assert.Equal(app.GetProperty("capacity").GetProperty("maxRequestsPerSecond").GetDouble().ToString("0.###", CultureInfo.InvariantCulture), sized.GetProperty("capacity").GetString());
    }

    /// <summary>
    /// Seed case C2's call-centre intent on a 7B model: the pruned search (the default) finds the plan the exhaustive one
    /// finds. Its prompts dominate and pipeline layouts overlap them, which the pruning bound once missed: the default
    /// search then skipped TP=2 x PP=2 and answered TP=4 on 28 devices for 16% more a month.
    /// </summary>
    [Fact]
    public void The_pruned_search_on_the_call_centre_example_finds_the_exhaustive_searchs_cheapest_plan()
    {
        static JsonElement Cheapest(JsonElement optimize) => Assert.Single(optimize.GetProperty("applications").EnumerateArray()).GetProperty("cheapest");
        var pruned = Json("optimize", Example("c2-call-intent-7b.yaml"));
        var exhaustive = Json("optimize", Example("c2-call-intent-7b.yaml"), "--exhaustive");
        Assert.Equal(Cheapest(exhaustive).GetProperty("deployment").GetRawText(), Cheapest(pruned).GetProperty("deployment").GetRawText());
        Assert.Equal(Cheapest(exhaustive).GetProperty("cost").GetRawText(), Cheapest(pruned).GetProperty("cost").GetRawText());
        Assert.DoesNotContain(pruned.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString()!.StartsWith("bound-violated", StringComparison.Ordinal));
    }

    /// <summary>
    /// One memory number: <c>memory</c> on the plan's device sizes one copy at the plan's request (prompt plus output,
    /// batch 1) exactly as plan does, activations for the step token budget of the engine plan assumes (vLLM's server
    /// on an H100: 8,192 tokens, within the 9,000-token request), not a fixed 2,048-token chunk. /api/memory builds its
    /// request with the same function (MemoryReport.Request).
    /// </summary>
    [Fact]
    public void Memory_on_the_plans_device_gives_the_plans_memory_per_copy_with_the_engines_step_budget()
    {
        var scenario = TempFiles.Write("one-memory.yaml", "name: one memory\ncurrency: USD\nhardware: h100\napplications:\n  - name: chat\n    model: llama-3.1-8b\n"
            + "    precision: bf16\n    peak_rate: 1\n    input_tokens: 8000\n    output_tokens: 1000\n    profile: flat\n");
        var app = Assert.Single(Json("plan", scenario).GetProperty("applications").EnumerateArray());
        var memory = Json("memory", "--model", "llama-3.1-8b", "--precision", "bf16", "--context", "9000", "--hardware", "h100");
        Assert.Equal(8192, memory.GetProperty("prefillChunkTokens").GetInt32());
        Assert.Equal(app.GetProperty("memoryBytesPerReplica").GetInt64(), memory.GetProperty("totalBytes").GetInt64());
        // Without hardware no engine budget is known: the 2,048-token chunk, and less activation memory than on the H100.
        var bare = Json("memory", "--model", "llama-3.1-8b", "--precision", "bf16", "--context", "9000");
        Assert.Equal(2048, bare.GetProperty("prefillChunkTokens").GetInt32());
        Assert.True(bare.GetProperty("activationBytes").GetInt64() < memory.GetProperty("activationBytes").GetInt64());
    }
}
