using System.CommandLine;
using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Reports;
using Suanli.StepTime;

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
        var tp = new Option<int?>("--tp") { Description = "Tensor-parallel degree. Default: the widest valid on --devices.", CustomParser = r => CliOptions.ParseCount(r, "--tp", 1, Layouts.MaxTensorParallel) };
        var pp = new Option<int?>("--pp") { Description = "Pipeline stages. Default: --devices / TP.", CustomParser = r => CliOptions.ParseCount(r, "--pp", 1, 1024) };
        var precision = new Option<string>("--precision", "-p") { Description = "Weight format: fp32, bf16, fp16, fp8, int8, int4, fp4, q8_0, q4_0, q4_k_m.", DefaultValueFactory = _ => "bf16" };
        var kvPrecision = new Option<string?>("--kv-precision") { Description = "KV-cache format: fp32, bf16, fp16, fp8, int8. Default: the weight format if it is one of these, else bf16." };
        var input = CliOptions.TokenCount("--input", "Prompt tokens per request.", 1024, 1, FootprintRequest.MaxContext);
        var output = CliOptions.TokenCount("--output", "Output tokens per request.", 256, 1, FootprintRequest.MaxContext);
        var batch = new Option<string>("--batch", "-b") { Description = "Batch sizes, comma-separated (e.g. 1,8,64).", DefaultValueFactory = _ => "1,8,64" };
        var engine = new Option<string>("--engine") { Description = "Engine: vllm, trtllm, sglang, llamacpp or transformers.", DefaultValueFactory = _ => "vllm" };
        var format = CliOptions.Format();
        var command = new Command("perf", "Step-time model: TTFT (prefill alone), TPOT, tokens/s per replica and per device, bottleneck, MFU and MBU for each batch size.")
        {
            model, hardware, devices, tp, pp, precision, kvPrecision, input, output, batch, engine, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var entry = CliContext.Model(catalog, parse.GetValue(model)!);
            var device = catalog.Device(parse.GetValue(hardware)!);
            var weights = NumberFormat.Parse(parse.GetValue(precision)!, "--precision");
            var kvName = parse.GetValue(kvPrecision);
            var kv = NumberFormat.KvFor(weights, kvName);
            var engineName = parse.GetValue(engine)!;
            var eng = CalibrationFiles.ParseEngine(engineName)
                ?? throw new InputException("--engine", $"Unknown engine '{engineName}' for --engine. Use one of vllm, trtllm, sglang, llamacpp, transformers.");
            var layout = ChooseLayout(entry, parse.GetValue(devices), parse.GetValue(tp), parse.GetValue(pp));
            var batches = ParseBatches(parse.GetValue(batch)!);
            var stepModel = CliContext.StepTimeModel;
            var defaults = stepModel is CalibratedStepTimeModel cm ? cm.DefaultsFor(eng) : CalibrationFiles.Embedded.DefaultsFor(eng);
            var deployment = new Deployment(entry, device, layout, weights, kv, eng);
            c.Write(PerfReport.Build(stepModel, deployment, parse.GetValue(input), parse.GetValue(output), batches, defaults), parse.GetValue(format));
            return 0;
        }));
        return command;
    }

    /// <summary>The layout: --tp/--pp checked against the model (invalid ones list the valid layouts), else the widest valid TP on the devices.</summary>
    internal static Layout ChooseLayout(ModelEntry entry, int? devices, int? tp, int? pp)
    {
        var a = entry.Architecture;
        if (tp is not null || pp is not null)
        {
            var n = devices ?? (tp ?? 1) * (pp ?? 1);
            var t = tp ?? Math.Max(1, n / (pp ?? 1));
            var p = pp ?? Math.Max(1, n / t);
            if (t * p != n)
            {
                throw new InputException("--devices", $"--tp {t.ToString(CultureInfo.InvariantCulture)} x --pp {p.ToString(CultureInfo.InvariantCulture)} is {(t * p).ToString(CultureInfo.InvariantCulture)} devices, not --devices {n.ToString(CultureInfo.InvariantCulture)}; make TP x PP equal the device count.");
            }
            return Layouts.Validate(a, t, p, entry.Id);
        }
        var count = devices ?? 1;
        var layouts = Layouts.On(a, count);
        return layouts.Count > 0 ? layouts[0]
            : throw new InputException("--devices", $"No valid TP/PP layout of {entry.Id} uses exactly {count.ToString(CultureInfo.InvariantCulture)} devices; try a device count that the {a.Heads.ToString(CultureInfo.InvariantCulture)} attention heads or {a.Layers.ToString(CultureInfo.InvariantCulture)} layers divide.");
    }

    /// <summary>Parses "1,8,64"; each value 1 to 100,000.</summary>
    internal static IReadOnlyList<int> ParseBatches(string text)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) || b < 1 || b > FootprintRequest.MaxBatch)
            {
                throw new InputException("--batch", $"--batch values must be whole numbers from 1 to {FootprintRequest.MaxBatch.ToString("N0", CultureInfo.InvariantCulture)}, got '{part}'. Example: --batch 1,8,64.");
            }
            list.Add(b);
        }
        return list.Count > 0 ? list : throw new InputException("--batch", "--batch needs at least one batch size, e.g. --batch 1,8,64.");
    }
}
