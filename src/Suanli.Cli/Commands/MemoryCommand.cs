using System.CommandLine;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Runs;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli memory</c>: the memory one model copy needs, part by part, and the layouts that hold it.</summary>
public static class MemoryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model: catalog id, Hugging Face repo id, alias, or a path to config.json / a model folder.", Required = true };
        var precision = new Option<string?>("--precision", "-p") { Description = "Weight format: fp32, bf16, fp16, fp8, int8, int4, int4-g32, fp4, mxfp4, q8_0, q4_0, q4_k_m, or experts+rest (mxfp4+bf16). Default: the released checkpoint's (fp8 for DeepSeek-V3, mxfp4+bf16 for gpt-oss, bf16 for most)." };
        var kvPrecision = new Option<string?>("--kv-precision") { Description = "KV-cache format: fp32, bf16, fp16, fp8, int8. Default: the weight format if it is one of these, else bf16." };
        var context = CliOptions.TokenCount("--context", "Tokens per sequence (prompt plus output).", 4096, 1, FootprintRequest.MaxContext);
        var batch = CliOptions.Count("--batch", "Sequences held at once.", 1, 1, FootprintRequest.MaxBatch);
        var hardware = new Option<string?>("--hardware", "-H") { Description = "Device id or alias (see 'suanli catalog hardware'); adds the fit and the layouts." };
        var devices = CliOptions.Count("--devices", "Devices you have, for the 'fits' answer.", 1, 1, MemoryModel.MaxDevicesSearched);
        var format = CliOptions.Format();
        var command = new Command("memory", "Memory of one model copy: weights, KV cache, activations, overhead; the '1.2 x weights' rule beside it; the fewest devices and valid layouts.")
        {
            model, precision, kvPrecision, context, batch, hardware, devices, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var entry = CliContext.Model(catalog, parse.GetValue(model)!);
            var weights = WeightPrecision.Parse(parse.GetValue(precision) ?? entry.DefaultPrecision, "--precision");
            var kvName = parse.GetValue(kvPrecision);
            var kv = NumberFormat.KvFor(weights, kvName);
            var device = parse.GetValue(hardware) is { } h ? catalog.Device(h) : null;
            var request = MemoryReport.Request(entry, weights, kv, parse.GetValue(context), parse.GetValue(batch), device);
            c.Write(MemoryReport.Build(request, device, parse.GetValue(devices)), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}
