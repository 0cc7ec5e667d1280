using Suanli.Catalog;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The engines' documented scheduler caps (SchedulerDefaults), the values read from each engine's source
/// (docs/methodology-serving.md, "Engine defaults"), and how a stated cap replaces them.
/// </summary>
public class SchedulerDefaultsTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static (int Seqs, int Tokens) Caps(Engine engine, string device, EntryPoint entry = EntryPoint.Server)
    {
        var d = SchedulerDefaults.For(engine, Catalog.Device(device), entry);
        return (d.MaxNumSeqs, d.MaxBatchedTokens);
    }

    [Fact]
    public void Vllm_takes_1024_sequences_and_8192_tokens_on_devices_of_70_GiB_or_more_except_the_A100()
    {
        // vllm/engine/arg_utils.py _set_default_args: >= 70 GiB and not "a100" -> 1024 seqs, 8192 tokens (OpenAI
        // server) / 16384 (LLM class); otherwise 256 seqs, 2048 / 8192 tokens.
        Assert.Equal((1024, 8192), Caps(Engine.Vllm, "nvidia-h100-sxm5-80gb"));
        Assert.Equal((1024, 16384), Caps(Engine.Vllm, "nvidia-h100-sxm5-80gb", EntryPoint.Offline));
        Assert.Equal((1024, 8192), Caps(Engine.Vllm, "amd-mi325x"));
        Assert.Equal((256, 2048), Caps(Engine.Vllm, "nvidia-a100-sxm4-80gb"));
        Assert.Equal((256, 8192), Caps(Engine.Vllm, "nvidia-a100-sxm4-80gb", EntryPoint.Offline));
        // 48 GB is 44.7 GiB, under the 70 GiB line.
        Assert.Equal((256, 2048), Caps(Engine.Vllm, "nvidia-l40s"));
    }

    [Fact]
    public void TensorRT_LLM_takes_its_build_defaults_of_2048_sequences_and_8192_tokens_on_every_device()
    {
        foreach (var device in new[] { "nvidia-h100-sxm5-80gb", "nvidia-b200-sxm", "nvidia-l40s", "nvidia-a100-sxm4-80gb" })
        {
            Assert.Equal((2048, 8192), Caps(Engine.TrtLlm, device));
            Assert.Equal((2048, 8192), Caps(Engine.TrtLlm, device, EntryPoint.Offline));
        }
    }

    [Fact]
    public void SGLang_takes_its_chunked_prefill_size_by_memory_tier_and_no_sequence_cap_below_it()
    {
        // memory_hook.py: < 20 GiB 2048; < 60 GiB 4096; < 90 GiB 8192; < 160 GiB 8192; larger 16384.
        Assert.Equal((4096, 4096), Caps(Engine.Sglang, "nvidia-rtx-4090"));    // 24 GB = 22.4 GiB
        Assert.Equal((4096, 4096), Caps(Engine.Sglang, "nvidia-l40s"));        // 48 GB = 44.7 GiB
        Assert.Equal((8192, 8192), Caps(Engine.Sglang, "nvidia-h100-sxm5-80gb")); // 80 GiB
        Assert.Equal((8192, 8192), Caps(Engine.Sglang, "nvidia-h200-sxm-141gb")); // 141 GB = 131.3 GiB
        Assert.Equal((16384, 16384), Caps(Engine.Sglang, "nvidia-b200-sxm"));  // 180 GB = 167.6 GiB
    }

    [Fact]
    public void Llama_cpp_runs_4_slots_of_a_2048_token_batch_and_transformers_one_request()
    {
        Assert.Equal((4, 2048), Caps(Engine.LlamaCpp, "nvidia-rtx-4090"));
        Assert.Equal(1, Caps(Engine.Transformers, "nvidia-h100-sxm5-80gb").Seqs);
    }

    [Fact]
    public void Every_default_names_its_version_and_a_source_at_a_commit()
    {
        foreach (var d in SchedulerDefaults.On(Catalog.Device("nvidia-h100-sxm5-80gb")).Where(d => d.Engine != Engine.Transformers))
        {
            Assert.Matches("@[0-9a-f]{40} ", d.Source);
            Assert.NotEmpty(d.Version);
            Assert.True(d.MaxBatchedTokens >= d.MaxNumSeqs, $"{d.Engine}: the simulator needs the token budget at or above the sequence cap");
        }
    }

    [Fact]
    public void An_explicit_cap_always_wins_over_the_default_and_the_assumption_goes_once_both_are_given()
    {
        var h100 = Catalog.Device("nvidia-h100-sxm5-80gb");
        var engine = EngineConfig.Default(Engine.TrtLlm, h100);
        Assert.Equal(SchedulerDefaults.For(Engine.TrtLlm, h100), engine.AssumedCaps);
        var seqsOnly = engine.WithCaps(96, null);
        Assert.Equal((96, 8192), (seqsOnly.MaxNumSeqs, seqsOnly.MaxBatchedTokens));
        Assert.NotNull(seqsOnly.AssumedCaps);
        var both = engine.WithCaps(96, 512);
        Assert.Equal((96, 512), (both.MaxNumSeqs, both.MaxBatchedTokens));
        Assert.Null(both.AssumedCaps);
    }

    [Fact]
    public void Simulate_reports_the_assumed_caps_of_the_engine_it_runs_and_drops_the_finding_when_both_are_given()
    {
        var inputs = new ServingInputs { Model = "qwen2.5-7b", Hardware = "h100", Engine = "trtllm", Rate = 1, Requests = 50, Input = "256", Output = "32" };
        var assumed = ServingRun.Simulate(inputs, Catalog, CalibrationFiles.Default);
        var json = Assert.IsType<SimulateJson>(assumed.Json);
        Assert.Equal((2048, 8192), (json.Occupancy.MaxNumSeqs, json.Occupancy.MaxBatchedTokens));
        var finding = Assert.Single(assumed.Findings, f => f.Code == "engine-defaults");
        Assert.Contains("2,048 sequences and 8,192 tokens per step", finding.Message, StringComparison.Ordinal);
        Assert.Contains("trtllm's documented defaults on nvidia-h100-sxm5-80gb", finding.Message, StringComparison.Ordinal);

        var stated = ServingRun.Simulate(inputs with { EngineSettings = new EngineInputs { MaxNumSeqs = 64, MaxBatchedTokens = 1024 } }, Catalog, CalibrationFiles.Default);
        var statedJson = Assert.IsType<SimulateJson>(stated.Json);
        Assert.Equal((64, 1024), (statedJson.Occupancy.MaxNumSeqs, statedJson.Occupancy.MaxBatchedTokens));
        Assert.DoesNotContain(stated.Findings, f => f.Code == "engine-defaults");
    }

    [Fact]
    public void A_measurement_row_without_caps_is_simulated_with_the_engine_defaults_and_says_so_and_stated_caps_replace_them()
    {
        var text = MeasurementFiles.InferenceHeader + ",tp,replicas,max_num_seqs,max_num_tokens\n"
            + "r1,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,capacity,,,222.3,290.3,2,0.2,output_tokens_per_s,21606,src,n,2,4,,\n"
            + "r2,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,capacity,,,222.3,290.3,2,0.2,output_tokens_per_s,21606,src,n,2,4,1024,4096\n";
        var rows = MeasurementFiles.Parse(text, "rows.csv").Rows.OfType<InferenceMeasurement>().ToList();
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var unstated = predictor.EngineFor(predictor.Resolve(rows[0], out _)!);
        Assert.Equal((2048, 8192), (unstated.MaxNumSeqs, unstated.MaxBatchedTokens));
        Assert.NotNull(unstated.AssumedCaps);
        var stated = predictor.EngineFor(predictor.Resolve(rows[1], out _)!);
        Assert.Equal((1024, 4096), (stated.MaxNumSeqs, stated.MaxBatchedTokens));
        Assert.Null(stated.AssumedCaps);
    }

    [Fact]
    public void A_plan_records_the_engine_scheduler_caps_as_an_assumption()
    {
        var s = ScenarioFile.Parse("name: t\ncurrency: USD\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n    model: qwen2.5-7b\n    peak_rate: 2\n    input_tokens: 800\n    output_tokens: 400\n",
            "t.yaml", Catalog);
        var a = Assert.Single(s.Assumptions, a => a.English.StartsWith("chat.scheduler = ", StringComparison.Ordinal));
        Assert.Equal("chat.scheduler = each engine's sequence and token caps for the device (the engines' documented defaults, docs/methodology-serving.md, 'Engine defaults')", a.English);
    }
}
