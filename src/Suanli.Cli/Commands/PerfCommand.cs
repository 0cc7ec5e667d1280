using System.CommandLine;
using Suanli.Footprint;
using Suanli.Runs;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli perf</c>: TTFT, TPOT, throughput and bottleneck of one replica per batch size, from the calibrated step-time model.</summary>
public static class PerfCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model: catalog id, Hugging Face repo id, alias, or a path to config.json / a model folder.", Required = true };
        var hardware = new Option<string>("--hardware", "-H") { Description = "Device id or alias (see 'suanli catalog hardware').", Required = true };
        var devices = new Option<int?>("--devices") { Description = "Devices of one replica. Default: TP x PP when given, else 1.", CustomParser = r => CliOptions.ParseCount(r, "--devices", 1, MemoryModel.MaxDevicesSearched) };
        var systemDevices = new Option<int?>("--system-devices") { Description = "Devices of the whole system, split into data-parallel replicas of TP x PP (pinned by --tp, --pp, --replicas, --dp-attention where given, else the split with the most output tokens/s per device, tensor parallel within one node); figures are for the system. Not with --devices.", CustomParser = r => CliOptions.ParseCount(r, "--system-devices", 1, MemoryModel.MaxDevicesSearched) };
        var replicas = new Option<int?>("--replicas") { Description = "With --system-devices: data-parallel replicas the system is split into. Default: chosen.", CustomParser = r => CliOptions.ParseCount(r, "--replicas", 1, MemoryModel.MaxDevicesSearched) };
        var tp = new Option<int?>("--tp") { Description = "Tensor-parallel degree. Default: the widest valid on --devices within one node (llama.cpp: 1, layers split over the devices).", CustomParser = r => CliOptions.ParseCount(r, "--tp", 1, Layouts.MaxTensorParallel) };
        var pp = new Option<int?>("--pp") { Description = "Pipeline stages. Default: --devices / TP.", CustomParser = r => CliOptions.ParseCount(r, "--pp", 1, Layouts.MaxPipelineStages) };
        var dpAttention = new Option<int?>("--dp-attention") { Description = "Data-parallel attention ranks for a mixture-of-experts model (SGLang --enable-dp-attention, vLLM --data-parallel-size with --enable-expert-parallel, TensorRT-LLM enable_attention_dp): each rank runs attention on its own sequences with --tp devices, the experts spread over all devices.", CustomParser = r => CliOptions.ParseCount(r, "--dp-attention", 1, Layouts.MaxTensorParallel) };
        var precision = new Option<string>("--precision", "-p") { Description = "Weight format: fp32, bf16, fp16, fp8, int8, int4, int4-g32, fp4, mxfp4, q8_0, q4_0, q4_k_m, or experts+rest (mxfp4+bf16).", DefaultValueFactory = _ => "bf16" };
        var kvPrecision = new Option<string?>("--kv-precision") { Description = "KV-cache format: fp32, bf16, fp16, fp8, int8. Default: the weight format if it is one of these, else bf16." };
        var input = CliOptions.TokenCount("--input", "Prompt tokens per request.", 1024, 1, FootprintRequest.MaxContext);
        var output = CliOptions.TokenCount("--output", "Output tokens per request.", 256, 1, FootprintRequest.MaxContext);
        var batch = new Option<string>("--batch", "-b") { Description = "Batch sizes, comma-separated (e.g. 1,8,64).", DefaultValueFactory = _ => "1,8,64" };
        var ppInNode = new Option<bool>("--pp-in-node") { Description = LayoutOptions.PpInNodeHelp };
        var engine = new Option<string>("--engine") { Description = "Engine: vllm, trtllm, sglang, llamacpp or transformers.", DefaultValueFactory = _ => "vllm" };
        var speculate = new Option<string?>("--speculate") { Description = "Speculative decoding: mtp (the model's multi-token-prediction block), eagle (an EAGLE-style one-layer head) or draft:MODEL (a smaller catalog model)." };
        var accept = new Option<double?>("--accept") { Description = "With --speculate: probability that one proposed token is accepted, 0 < A < 1 (DeepSeek-V3 MTP: 0.85 to 0.9)." };
        var draftTokens = new Option<int?>("--draft-tokens") { Description = "With --speculate: tokens proposed per sequence per step, k. Default: 1 for mtp, 4 otherwise." };
        var format = CliOptions.Format();
        var command = new Command("perf", "Step-time model: TTFT (prefill alone), TPOT, tokens/s per replica and per device, bottleneck, MFU and MBU for each batch size.")
        {
            model, hardware, devices, systemDevices, replicas, tp, pp, dpAttention, ppInNode, precision, kvPrecision, input, output, batch, engine, speculate, accept, draftTokens, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            c.Write(PerfRun.Run(new PerfInputs
            {
                Model = parse.GetValue(model)!,
                Hardware = parse.GetValue(hardware)!,
                Devices = parse.GetValue(devices),
                SystemDevices = parse.GetValue(systemDevices),
                Replicas = parse.GetValue(replicas),
                Tp = parse.GetValue(tp),
                Pp = parse.GetValue(pp),
                AttentionDp = parse.GetValue(dpAttention),
                PipelineWithinNode = parse.GetValue(ppInNode),
                Precision = parse.GetValue(precision)!,
                KvPrecision = parse.GetValue(kvPrecision),
                InputTokens = parse.GetValue(input),
                OutputTokens = parse.GetValue(output),
                Batch = parse.GetValue(batch)!,
                Engine = parse.GetValue(engine)!,
                Speculate = parse.GetValue(speculate),
                Accept = parse.GetValue(accept),
                DraftTokens = parse.GetValue(draftTokens),
            }, catalog, CliContext.StepTimeModel, (n, field) => CliContext.Model(catalog, n, field), c.Cancel), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}
