using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A plan sizes llama.cpp's slots (n_parallel) to the replica's KV memory, as an operator does, while simulate keeps
/// llama-server's documented 4 slots (EngineConfig.Planned; docs/methodology-serving.md, "Engine defaults").
/// </summary>
public class PlannedSlotsTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // Seed case C7 (examples/c7-rack-8b-on-cpu.yaml): Llama 3 8B in int8 on AmpereOne, 512-token prompts, 256-token outputs.
    private static Deployment C7(int tp) => new(Catalog.Model("meta-llama/Meta-Llama-3-8B"), Catalog.Device("ampere-ampereone-a192"),
        new Layout(tp, 1, 1), WeightPrecision.Parse("int8", "precision"), NumberFormat.Bf16, Engine.LlamaCpp);

    [Fact]
    public void A_plan_gives_llama_cpp_as_many_slots_as_the_KV_memory_holds_for_the_mean_request()
    {
        var d = C7(2);
        var e = EngineConfig.Planned(d, 512 + 256);
        // Llama 3 8B: 32 layers x 8 KV heads x 128 x (K, V) x 2 bytes (bf16) = 131,072 bytes a token, 65,536 per device
        // at TP=2. 512 GB per device holds about 7.7 million such tokens once the weights (8.03 GB / 2) are placed,
        // about 10,000 sequences of 768 tokens: more than n_batch, so the slots are n_batch, 2,048.
        Assert.True(ServingSimulator.KvCapacity(d, e) / 768 > 9_800);
        Assert.Equal((2048, 2048), (e.MaxNumSeqs, e.MaxBatchedTokens));
        // A 24 GB RTX 4090 with Llama 3 8B in bf16 (16.06 GB of weights) leaves (24 - 16.06) GB / 131,072 bytes / 768
        // = 78.9 sequences of KV before activations and runtime: the KV memory binds.
        var gpu = d with { Device = Catalog.Device("nvidia-rtx-4090"), Layout = new Layout(1, 1, 1), Weights = WeightPrecision.Parse("bf16", "precision") };
        var g = EngineConfig.Planned(gpu, 512 + 256);
        Assert.Equal(ServingSimulator.KvCapacity(gpu, g) / 768, g.MaxNumSeqs);
        Assert.InRange(g.MaxNumSeqs, 50, 78);
        // vLLM keeps its documented caps in a plan.
        var vllm = EngineConfig.Planned(d with { Engine = Engine.Vllm }, 768);
        Assert.Equal(EngineConfig.Default(Engine.Vllm, d.Device), vllm);
    }

    [Fact]
    public void The_plan_capacity_search_runs_C7_on_the_slots_sized_to_the_memory()
    {
        var d = C7(2);
        var mix = new Plan.RequestMix(LengthDistribution.Fixed(512), LengthDistribution.Fixed(256), Fleet.DemandKind.Concurrency);
        var r = Plan.SimulatedReplicaCapacity.Run(CalibrationFiles.Default, d, mix, ServingTargets.FromSeconds(5, 0.1, null), 200);
        Assert.NotNull(r.AtMax);
        Assert.Equal(EngineConfig.Planned(d, 768).MaxNumSeqs, r.AtMax.Engine.MaxNumSeqs);
        Assert.True(r.AtMax.Engine.MaxNumSeqs > 4);
    }

    [Fact]
    public void A_llama_cpp_plan_reports_its_slots_sized_to_the_memory_as_an_assumption()
    {
        var s = ScenarioFile.Parse("name: t\ncurrency: USD\nhardware: ampere-ampereone-a192\napplications:\n  - name: chat\n    model: meta-llama/Meta-Llama-3-8B\n    precision: int8\n    engine: llamacpp\n    peak_concurrency: 20\n    input_tokens: 512\n    output_tokens: 256\n",
            "t.yaml", Catalog);
        var a = Assert.Single(s.Assumptions, a => a.English.StartsWith("chat.scheduler = ", StringComparison.Ordinal));
        Assert.StartsWith("chat.scheduler = llama.cpp slots (-np) sized to the memory (", a.English, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_still_runs_llama_cpp_with_its_4_default_slots()
    {
        var inputs = new ServingInputs { Model = "meta-llama/Meta-Llama-3-8B", Hardware = "ampere-ampereone-a192", Precision = "int8", Engine = "llamacpp", Rate = 0.5, Requests = 20, Input = "512", Output = "16" };
        var json = Assert.IsType<SimulateJson>(ServingRun.Simulate(inputs, Catalog, CalibrationFiles.Default).Json);
        Assert.Equal((4, 2048), (json.Occupancy.MaxNumSeqs, json.Occupancy.MaxBatchedTokens));
    }
}
