using Suanli.Files;
using Suanli.Footprint;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A closed loop of independent users starts staggered and stays out of step; a benchmark client's starts together
/// (docs/methodology-serving.md, "Closed loop").
/// </summary>
public class ClosedLoopStartTests
{
    private const string Example = "deepseek-v32-910c-long-prompts.yaml";

    private static EngineConfig Engine() =>
        EngineConfig.Default(StepTime.Engine.Vllm, CatalogFiles.Embedded.Device("h100-80gb")) with { MaxNumSeqs = 256, MaxBatchedTokens = 8192 };

    private static Workload Pair(ClientStart start) =>
        Workload.ClosedLoop(2, LengthDistribution.Fixed(1000), LengthDistribution.Fixed(10), requests: 200) with { Start = start };

    [Fact]
    public void Two_identical_staggered_clients_never_both_wait_a_full_prefill_behind_each_other()
    {
        // FakeSteps: a 1,000-token prefill alone is 10 + 0.1 x 1,000 = 110 ms; a decode step at batch 1 is 11 ms; one
        // request alone lives 110 + 9 x 11 = 209 ms. The gap between the two first requests is max(209 / 2, 110 + 11) =
        // 121 ms: client 1 arrives as client 0's first decode step ends and is prefilled beside that decode (111 ms).
        // From then on each client returns at the end of a step and is prefilled beside the other's decode: every TTFT
        // after the warm-up is 111 ms, under twice the solo prefill (220 ms).
        var w = Pair(ClientStart.Staggered);
        Assert.Equal(0.121, Workload.StartGap(w, Duration.FromSeconds(0.110), Duration.FromSeconds(0.011), Duration.FromSeconds(0.209)), 12);
        var staggered = ServingSimulator.Run(ServingSimulatorTests.Replica(), w, Engine(), new FakeSteps());
        Assert.Equal(0.111, staggered.Ttft.Max.Value, 9);
        Assert.True(staggered.Ttft.Max.Value < 2 * 0.110);
        // Started together (a benchmark client), both prompts share every prefill step: 10 + 0.1 x 2,000 = 210 ms each time.
        var together = ServingSimulator.Run(ServingSimulatorTests.Replica(), Pair(ClientStart.Together), Engine(), new FakeSteps());
        Assert.Equal(0.210, together.Ttft.P50.Value, 9);
        Assert.Equal(0.210, together.Ttft.Mean.Value, 9);
    }

    [Fact]
    public void A_staggered_closed_loop_is_the_same_run_for_the_same_seed()
    {
        static ServingResult Run(ulong seed) => ServingSimulator.Run(ServingSimulatorTests.Replica(),
            Workload.ClosedLoop(16, LengthDistribution.Uniform(200, 2000), LengthDistribution.Uniform(5, 50), seed: seed, requests: 500) with { Start = ClientStart.Staggered },
            Engine(), new FakeSteps());
        var (a, b, other) = (Run(7), Run(7), Run(8));
        Assert.Equal((a.Work.Steps, a.Work.SimulatedTime, a.Ttft.P90, a.E2e.Mean), (b.Work.Steps, b.Work.SimulatedTime, b.Ttft.P90, b.E2e.Mean));
        Assert.NotEqual(a.Work.SimulatedTime, other.Work.SimulatedTime);
    }

    [Fact]
    public void The_first_requests_of_staggered_clients_arrive_one_gap_apart()
    {
        // Four clients with a 1 s think time, one request each, 100 prompt tokens and 1 output token: a request alone is
        // one 20 ms prefill step, a client's cycle alone 1.020 s, so the gap is max(1.020 / 4, 20 + 11 ms) = 255 ms. The
        // last client starts at 765 ms and finishes 20 ms later; no request waits for another.
        var w = Workload.ClosedLoop(4, LengthDistribution.Fixed(100), LengthDistribution.Fixed(1), Duration.FromSeconds(1), requests: 4) with { Start = ClientStart.Staggered, WarmupFraction = 0 };
        var r = ServingSimulator.Run(ServingSimulatorTests.Replica(), w, Engine(), new FakeSteps());
        Assert.Equal(4, r.Work.Steps);
        Assert.Equal(0.785, r.Work.SimulatedTime.Value, 9);
        Assert.Equal(0.020, r.Ttft.Max.Value, 9);
    }

    private static readonly Lazy<(Scenario Scenario, PlanResult Plan, CapacityProvider Capacity)> Planned = new(() =>
    {
        var scenario = ScenarioFile.Load(Path.Combine(PlanTests.RepoRoot(), "examples", Example), CatalogFiles.Embedded);
        var capacity = PlanRanges.Memoized(SimulatedReplicaCapacity.Provider(CalibrationFiles.Default));
        return (scenario, Planner.Plan(scenario, capacity), capacity);
    });

    [Fact]
    public void A_replicas_client_capacity_never_falls_when_the_prompt_gets_shorter()
    {
        // DeepSeek-V3.2 on 8 x Ascend 910C as the example plans it (DP-attention 8 x EP 8, vLLM),
        // TTFT p90 2 s, TPOT p90 100 ms. Started together, two 24,576-token prompts share every prefill step: 2.79 s
        // against 1.34 s alone, so the search stopped at one client while 32,768-token prompts carried 8. Staggered, the
        // replica carries 10 clients at 24,576 tokens (docs/methodology-serving.md, "Closed loop", quotes these figures).
        var (_, plan, capacity) = Planned.Value;
        var deployment = plan.Applications[0].Deployment;
        Assert.Equal(Layouts.MakeDataParallelAttention(1, 8, 1), deployment.Layout);
        var targets = new ServingTargets(Duration.FromSeconds(2), Duration.FromSeconds(0.1), null);
        RequestMix Mix(int prompt) => new(LengthDistribution.Fixed(prompt), LengthDistribution.Fixed(256), DemandKind.Concurrency);
        var engine = SimulatedReplicaCapacity.Engine(deployment, Mix(24_576));
        ServingResult Together(int clients) => ServingSimulator.Run(deployment,
            Workload.ClosedLoop(clients, LengthDistribution.Fixed(24_576), LengthDistribution.Fixed(256), requests: 100), engine, CalibrationFiles.Default);
        Assert.Equal(1.34, Together(1).Ttft.P90.Value, 2);
        Assert.Equal(2.79, Together(2).Ttft.P90.Value, 2);

        var clients = new[] { 32_768, 28_672, 24_576, 20_480, 16_384 }.Select(p => capacity(deployment, Mix(p), targets).MaxConcurrency).ToList();
        for (var i = 1; i < clients.Count; i++)
        {
            Assert.True(clients[i] >= clients[i - 1], string.Join(", ", clients));
        }
        Assert.Equal((8, 10), (clients[0], clients[2]));
    }

    [Fact]
    public void The_shorter_prompt_sensitivity_line_needs_no_more_than_planning_the_moved_file()
    {
        // The example plans 64 devices (8 replicas of DP-attention 8 x EP 8). Its prompt x0.75 (24,576 tokens) kept that
        // layout and needed 480 devices while the moved file's own plan chose 48, because its clients fell into step
        // and a replica carried one of them. Staggered, the kept layout carries 10 and the line needs 48, as the moved
        // file planned with that layout does, and as its own plan.
        var (scenario, plan, capacity) = Planned.Value;
        var chosen = plan.Applications[0].Deployment;
        var line = Sensitivity.Of(plan, PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 1)), capacity)
            .Lines.Single(l => l.Assumption == "Prompt length");
        var yaml = File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "examples", Example));
        Assert.Contains("input_tokens: 32768", yaml, StringComparison.Ordinal);
        var moved = ScenarioFile.Parse(yaml.Replace("input_tokens: 32768", "input_tokens: 24576", StringComparison.Ordinal), "moved.yaml", CatalogFiles.Embedded);
        var kept = moved with { Applications = [.. moved.Applications.Select(a => a with { Models = [chosen.Model], PinnedLayout = chosen.Layout })] };
        var keptDevices = Planner.Plan(kept, capacity).Fleet.Hardware.Sum(h => h.Devices);
        var freeDevices = Planner.Plan(moved, capacity).Fleet.Hardware.Sum(h => h.Devices);
        Assert.Equal(64, plan.Fleet.Hardware.Sum(h => h.Devices));
        Assert.Equal((48, 48, 48), (line.DevicesDown, keptDevices, freeDevices));
    }

    [Fact]
    public void A_probe_that_measured_nothing_reads_zero_at_any_percentile_a_target_names()
    {
        // A staggered probe whose requests all fall in the ramp measures none; its empty summary is asked for the
        // targets' percentiles (the web page's p95 TPOT), and threw for want of its table of other percentiles.
        Assert.Equal(Duration.Zero, LatencySummary.Empty.At(Percentile.Of(95, "t")));
        Assert.Equal(LatencySummary.Empty, LatencySummary.Empty with { });
    }
}
