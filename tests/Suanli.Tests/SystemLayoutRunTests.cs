using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary><c>perf</c>, <c>simulate</c> and <c>capacity</c> on a whole system: the split into replicas, pinned or chosen, and the system's figures.</summary>
public class SystemLayoutRunTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly IStepTimeModel Model = CalibrationFiles.Default;

    private static readonly PerfInputs Llama70BOn8H100 = new()
    {
        Model = "llama-3.1-70b", Hardware = "h100", Precision = "fp8", SystemDevices = 8, InputTokens = 1024, OutputTokens = 256, Batch = "1,64",
    };

    [Fact]
    public void Perf_on_8_h100_splits_llama_70b_fp8_into_four_tp2_replicas_the_best_per_device()
    {
        Assert.Equal(15, ((PerfJson)PerfRun.Run(Llama70BOn8H100 with { SystemDevices = null, Devices = 1 }, Catalog, Model).Json).MaxBatchThatFits);
        Assert.Equal(379, ((PerfJson)PerfRun.Run(Llama70BOn8H100 with { SystemDevices = null, Devices = 2 }, Catalog, Model).Json).MaxBatchThatFits);
        // 72.7 GB of FP8 weights: TP=1 leaves 3.3 GB of an H100 for KV, 15 sequences of 1,280 tokens ('suanli memory'); TP=2 holds
        // 379, beyond the engine's batch limit, while TP=4 and 8 add all-reduces without more work per device.
        var json = (PerfJson)PerfRun.Run(Llama70BOn8H100, Catalog, Model).Json;
        Assert.Equal(new SystemLayoutJson(4, 2, 1, 1, 1, 2, 8), json.Layout);
        Assert.StartsWith("chosen as the split with the most output tokens/s per device of ", json.LayoutReason);
        foreach (var row in json.Rows)
        {
            Assert.Equal(row.OutputTokensPerSecond * 4, row.SystemOutputTokensPerSecond!.Value, 0);
        }

        // The rule itself: the chosen split's per-device throughput at its largest batch is at least every other candidate's
        // without pipeline stages (splits with stages are candidates only when none without fits).
        var entry = Catalog.Model("llama-3.1-70b");
        var device = Catalog.Device("h100");
        var fp8 = NumberFormat.Parse("fp8");
        var defaults = SchedulerDefaults.For(Engine.Vllm, device);
        var request = new FootprintRequest(entry, fp8, fp8, 1024 + 256, 1, RuntimeReserve.Default).Validated();
        double PerDevice(Layout l)
        {
            var batch = (int)Math.Clamp(MemoryModel.OnDevice(request, l, device.Memory, RuntimeReserve.Default.MemoryUtilization).MaxSequences, 1, defaults.MaxNumSeqs);
            return SteadyState.At(Model, new Deployment(entry, device, l, fp8, fp8, Engine.Vllm), 1024, 256, batch, defaults.MaxBatchedTokens).OutputTokensPerSecond.Value / l.Devices;
        }
        var candidates = SystemLayouts.Candidates(entry.Architecture, 8, 8,
            l => MemoryModel.OnDevice(request, l, device.Memory, RuntimeReserve.Default.MemoryUtilization).MaxSequences >= 1, dataParallelAttention: false)
            .Where(c => c.Replica.Pp == 1).ToList();
        Assert.True(candidates.Count > 1);
        var chosen = PerDevice(Layouts.Make(entry.Architecture, 2, 1));
        Assert.All(candidates, c => Assert.True(chosen >= PerDevice(c.Replica) * 0.9999, $"{c}: {PerDevice(c.Replica)} > {chosen}"));
    }

    [Fact]
    public void A_pinned_layout_is_used_and_reported_as_pinned()
    {
        var json = (PerfJson)PerfRun.Run(Llama70BOn8H100 with { Tp = 4 }, Catalog, Model).Json;
        Assert.Equal(new SystemLayoutJson(2, 4, 1, 1, 1, 4, 8), json.Layout);
        Assert.Equal("pinned", json.LayoutReason);
        Assert.Equal(4, json.Tp);
    }

    [Fact]
    public void A_pinned_three_way_tp_on_8_devices_is_refused_with_the_valid_splits()
    {
        var e = Assert.ThrowsAny<InputException>(() => PerfRun.Run(Llama70BOn8H100 with { Tp = 3 }, Catalog, Model));
        Assert.Equal("--tp", e.Field);
        Assert.Contains("64 attention heads do not divide over TP=3", e.Detail);
        Assert.Contains("valid splits of 8 devices that fit memory: 8 replicas x (TP=1 PP=1); 4 replicas x (TP=2 PP=1)", e.Detail);
    }

    [Fact]
    public void Replicas_that_do_not_divide_the_system_are_refused()
    {
        var e = Assert.ThrowsAny<InputException>(() => PerfRun.Run(Llama70BOn8H100 with { Tp = 2, Replicas = 3 }, Catalog, Model));
        // The count that cannot divide the system is the one named, whatever TP is pinned beside it.
        Assert.Equal("--replicas", e.Field);
        Assert.Contains("3 does not divide the system's 8 devices into equal replicas", e.Detail);
    }

    [Fact]
    public void Tensor_parallel_across_nodes_is_only_used_when_pinned_and_then_said()
    {
        // An H100 server holds 8 devices: unpinned, 16 devices are never one TP=16 group.
        var chosen = (PerfJson)PerfRun.Run(Llama70BOn8H100 with { SystemDevices = 16 }, Catalog, Model).Json;
        Assert.True(chosen.Layout!.Tp * chosen.Layout.AttentionDp <= 8);
        Assert.DoesNotContain(chosen.Findings, f => f.Code == "layout-crosses-nodes");
        var pinned = (PerfJson)PerfRun.Run(Llama70BOn8H100 with { SystemDevices = 16, Tp = 16 }, Catalog, Model).Json;
        Assert.Equal(new SystemLayoutJson(1, 16, 1, 1, 1, 16, 16), pinned.Layout);
        Assert.Contains(pinned.Findings, f => f.Code == "layout-crosses-nodes" && f.Message.Contains("crosses nodes of 8 devices", StringComparison.Ordinal));
    }

    [Fact]
    public void Devices_and_system_devices_together_are_refused_and_pins_need_a_system()
    {
        Assert.Equal("--devices", Assert.ThrowsAny<InputException>(() => PerfRun.Run(Llama70BOn8H100 with { Devices = 2 }, Catalog, Model)).Field);
        Assert.Equal("--replicas", Assert.ThrowsAny<InputException>(() => PerfRun.Run(Llama70BOn8H100 with { SystemDevices = null, Replicas = 2 }, Catalog, Model)).Field);
        var serving = new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Rate = 1, Input = "512", Output = "128", Layout = new() { Tp = 2 } };
        Assert.Equal("--tp", Assert.ThrowsAny<InputException>(() => ServingRun.Simulate(serving, Catalog, Model)).Field);
        Assert.Equal("--devices", Assert.ThrowsAny<InputException>(() => ServingRun.Simulate(serving with { Layout = serving.Layout with { SystemDevices = 4, Devices = 2 } }, Catalog, Model)).Field);
    }

    [Fact]
    public void Llama_cpp_systems_are_split_by_layers_never_by_tensors()
    {
        var json = (PerfJson)PerfRun.Run(Llama70BOn8H100 with { Model = "llama-3.1-8b", Precision = "q4_k_m", Engine = "llamacpp", SystemDevices = 2 }, Catalog, Model).Json;
        Assert.Equal(1, json.Layout!.Tp);
        Assert.Equal(2, json.Layout.Replicas * json.Layout.Pp);
    }

    [Fact]
    public void Llama_cpp_on_two_rtx_4090_holds_a_70b_q4_k_m_that_a_0_9_memory_fraction_refuses()
    {
        // Llama-3-70B in Q4_K_M is about 42.5 GB: 21.2 GB per 24 GB card split by layers, plus 1 GiB of runtime context
        // and activations. llama.cpp keeps no memory fraction, so all 24 GB are usable; vLLM's 0.9 leaves 21.6 GB, too
        // little before any KV cache.
        var perf = new PerfInputs { Model = "llama-3-70b", Hardware = "rtx-4090", Devices = 2, Precision = "q4_k_m", Engine = "llamacpp", InputTokens = 512, OutputTokens = 128, Batch = "1" };
        var llama = (PerfJson)PerfRun.Run(perf, Catalog, Model).Json;
        Assert.Equal((1, 2), (llama.Tp, llama.Pp));
        Assert.True(llama.MaxBatchThatFits >= 1, $"{llama.MaxBatchThatFits}");
        Assert.True(((PerfJson)PerfRun.Run(perf with { Engine = "vllm" }, Catalog, Model).Json).MaxBatchThatFits < 1);
        Assert.Equal(new SystemLayoutJson(1, 1, 2, 1, 1, 2, 2), ((PerfJson)PerfRun.Run(perf with { Devices = null, SystemDevices = 2 }, Catalog, Model).Json).Layout);

        var simulate = new ServingInputs { Model = "llama-3-70b", Hardware = "rtx-4090", Precision = "q4_k_m", Engine = "llamacpp", Concurrency = 1, Input = "512", Output = "128", Requests = 20, Layout = new() { Devices = 2 } };
        var json = (SimulateJson)ServingRun.Simulate(simulate, Catalog, Model).Json;
        Assert.Equal((2, 1, 2), (json.Inputs.Devices, json.Inputs.Tp, json.Inputs.Pp));
        Assert.Equal("--devices", Assert.ThrowsAny<InputException>(() => ServingRun.Simulate(simulate with { Engine = "vllm" }, Catalog, Model)).Field);
        // A fraction given explicitly still wins over the engine's own.
        Assert.Equal("--devices", Assert.ThrowsAny<InputException>(() => ServingRun.Simulate(simulate with { EngineSettings = new() { GpuMemoryUtilization = 0.9 } }, Catalog, Model)).Field);
    }

    [Fact]
    public void A_replica_count_that_does_not_divide_the_system_is_refused_with_the_valid_splits_not_as_a_memory_problem()
    {
        var perf = Assert.ThrowsAny<InputException>(() => PerfRun.Run(Llama70BOn8H100 with { Replicas = 5 }, Catalog, Model));
        Assert.Equal("--replicas", perf.Field);
        Assert.StartsWith("--replicas 5 does not divide the system's 8 devices into equal replicas; valid splits of 8 devices that fit memory: 8 replicas x (TP=1 PP=1); 4 replicas x (TP=2 PP=1);", perf.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("No split", perf.Message, StringComparison.Ordinal);
        var serving = new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Rate = 1, Input = "512", Output = "128", Layout = new() { SystemDevices = 8, Replicas = 3 } };
        Assert.Equal("--replicas", Assert.ThrowsAny<InputException>(() => ServingRun.Simulate(serving, Catalog, Model)).Field);
    }

    [Fact]
    public void One_replica_larger_than_a_node_keeps_tensor_parallel_within_the_node_unless_pinned_and_then_says_it_crosses()
    {
        // An HGX H100 node holds 8 GPUs: 16 devices of one replica are TP=8 x PP=2 unless TP=16 is pinned.
        var perf = Llama70BOn8H100 with { SystemDevices = null, Devices = 16 };
        var chosen = (PerfJson)PerfRun.Run(perf, Catalog, Model).Json;
        Assert.Equal((8, 2), (chosen.Tp, chosen.Pp));
        Assert.DoesNotContain(chosen.Findings, f => f.Code == "replica-crosses-nodes");
        var pinned = (PerfJson)PerfRun.Run(perf with { Tp = 16 }, Catalog, Model).Json;
        Assert.Equal((16, 1), (pinned.Tp, pinned.Pp));
        var warning = Assert.Single(pinned.Findings, f => f.Code == "replica-crosses-nodes");
        Assert.Equal("warning", warning.Severity);
        Assert.Contains("16 devices (TP=16 PP=1) spans more than a node of 8 x nvidia-h100-sxm5-80gb", warning.Message, StringComparison.Ordinal);

        var simulate = new ServingInputs { Model = "llama-3.1-70b", Hardware = "h100", Precision = "fp8", Concurrency = 2, Input = "512", Output = "64", Requests = 20, Layout = new() { Devices = 16 } };
        var json = (SimulateJson)ServingRun.Simulate(simulate, Catalog, Model).Json;
        Assert.Equal((8, 2), (json.Inputs.Tp, json.Inputs.Pp));
    }

    [Fact]
    public void Simulate_spreads_a_rate_evenly_over_the_replicas_and_multiplies_their_throughput()
    {
        var inputs = new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Rate = 8, Input = "512", Output = "128", Requests = 300, Layout = new() { SystemDevices = 4, Tp = 1 } };
        var json = (SimulateJson)ServingRun.Simulate(inputs, Catalog, Model).Json;
        var system = json.System!;
        Assert.Equal(new SystemLayoutJson(4, 1, 1, 1, 1, 1, 4), system.Layout);
        Assert.Equal(2.0, json.Inputs.RequestRate!.Value, 9);
        Assert.Equal(json.Throughput.OutputTokensPerSecond * 4, system.OutputTokensPerSecond, json.Throughput.OutputTokensPerSecond * 1e-5);
        Assert.Equal(json.Throughput.RequestsPerSecond * 4, system.RequestsPerSecond, json.Throughput.RequestsPerSecond * 1e-5);
    }

    [Fact]
    public void Capacity_of_a_system_is_its_replicas_times_one_replicas_capacity()
    {
        var replica = new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Input = "512", Output = "128", Requests = 300, Targets = new() { TtftP90 = 1, TpotP90 = 0.05 } };
        var one = (CapacityJson)ServingRun.Capacity(replica, "rate", Catalog, Model).Json;
        var system = (CapacityJson)ServingRun.Capacity(replica with { Layout = new() { SystemDevices = 4, Tp = 1 } }, "rate", Catalog, Model).Json;
        Assert.NotNull(one.MaxRequestsPerSecond);
        Assert.Equal(new SystemLayoutJson(4, 1, 1, 1, 1, 1, 4), system.Layout);
        Assert.Equal(one.MaxRequestsPerSecond, system.MaxRequestsPerSecond);
        Assert.Equal(one.MaxRequestsPerSecond!.Value * 4, system.SystemMaxRequestsPerSecond!.Value, one.MaxRequestsPerSecond.Value * 1e-5);
    }

    [Fact]
    public void Capacity_without_a_pin_uses_the_split_with_the_largest_capacity_per_device()
    {
        var inputs = new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Input = "512", Output = "128", Requests = 300, Targets = new() { TtftP90 = 1, TpotP90 = 0.05 }, Layout = new() { SystemDevices = 2 } };
        var chosen = (CapacityJson)ServingRun.Capacity(inputs, "rate", Catalog, Model).Json;
        Assert.StartsWith("chosen as the split with the largest load per device meeting the targets of 2 candidates", chosen.LayoutReason);
        foreach (var (tp, replicas) in new[] { (1, 2), (2, 1) })
        {
            var other = (CapacityJson)ServingRun.Capacity(inputs with { Layout = inputs.Layout with { Tp = tp } }, "rate", Catalog, Model).Json;
            Assert.Equal(replicas, other.Layout!.Replicas);
            Assert.True(chosen.SystemMaxRequestsPerSecond >= other.SystemMaxRequestsPerSecond, $"TP={tp}: {other.SystemMaxRequestsPerSecond} > {chosen.SystemMaxRequestsPerSecond}");
        }
    }
}
