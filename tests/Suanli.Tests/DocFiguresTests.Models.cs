using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;

namespace Suanli.Tests;

/// <summary>More rows of the figure table (<see cref="CommandFigureRows"/>): parameter counts of models added after the table's file filled.</summary>
public sealed partial class DocFiguresTests
{
    private static IEnumerable<(string Page, Func<string> Says)> ModelRows()
    {
        foreach (var row in DeviceRows())
        {
            yield return row;
        }
        yield return ("docs/catalog.md", () => F($"counts {Counted("step-3.5-flash").Total:0.00}B and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head against the card's 196B and 11B"));
        yield return ("docs/methodology.md", () => F($"layer, {Counted("step-3.5-flash").Total:0.00}B in total and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head (the card's 196B and 11B)"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted("step-3.5-flash").Total * 1e9:N0} (+0.5% on the card's rounded 196B, inside the 1% check) and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead * 1e9:N0} active"));
        yield return ("docs/catalog.md", () => F($"counts {Counted("step-3.7-flash").Total:0.00}B ({Parts("step-3.7-flash").Text:0.00}B text and a {Counted("step-3.7-flash").Total - Parts("step-3.7-flash").Text:0.00}B vision tower) and {Parts("step-3.7-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head against the README's {Published("step-3.7-flash").Total:0}B and {Published("step-3.7-flash").Active:0}B"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted("step-3.7-flash").Total * 1e9:N0} (+0.47% on the README's 198B): the text model's {Parts("step-3.7-flash").Text * 1e9:N0} and a {(Counted("step-3.7-flash").Total - Parts("step-3.7-flash").Text) * 1e9:N0} vision tower"));
        yield return ("docs/catalog.md", () => F($"counts {Counted("hy4-preview").Total:0.00}B and {Counted("hy4-preview").Active:0.00}B active with embedding and head against the card's {Published("hy4-preview").Total:0}B and {Published("hy4-preview").Active:0}B, and {Parts("hy4-preview").Mtp:0.00}B for its MTP layer (10B); without the gate it would count {Parts("hy4-preview", a => a with { Extras = a.Extras with { AttentionOutputGate = false } }).Text:0.0}B"));
        yield return ("docs/methodology.md", () => F($"The shapes count {Counted("hy4-preview").Total:0.00} B (the card's 770 B; {Parts("hy4-preview", a => a with { Extras = a.Extras with { AttentionOutputGate = false } }).Text:0.0} B without the gate), {Counted("hy4-preview").Active:0.00} B active with embedding and head (49 B) and {Parts("hy4-preview").Mtp:0.00} B for the MTP layer (10 B, 0.69 B active); the two counts stored in BF16 take {(Counted("hy4-preview").Total + Parts("hy4-preview").Mtp) * 2:N1} GB, the BF16 repository's listed size"));
        yield return ("docs/methodology-steptime.md", () => F($"the chunk and 4 decodes, one H100's step, about {PromptMicroBatchSeconds() * 1e3:0} ms, plus a hand-off of {2048 + 4:N0} tokens"));
        const string super = "nemotron-3-super-120b-a12b";
        yield return ("docs/catalog.md", () => F($"counts {Counted(super).Total:0.00}B and {Counted(super).Active:0.00}B active with embedding and head against the report's 120B and 12B"));
        yield return ("docs/methodology.md", () => F($"it counts {Counted(super).Total:0.00}B in total and {Counted(super).Active:0.00}B active with embedding and head (the report's 120B and 12B;"));
        yield return ("docs/methodology.md", () => F($"the `2h x h` projection and the final norm, {Parts(super).Mtp:0.00}B; as a"));
        yield return ("docs/catalog.md", () => F($"BF16 with FP8 and NVFP4 copies, {CatalogFiles.Embedded.Model(super).ContextLength / 1024}K by default (up to 1M per the technical report);"));
        yield return ("docs/methodology.md", () => F($"a decode token runs {SuperDecodeExperts().Layers} x {FlopPerWeight * SuperDecodeExperts().PerLayer:N0} = {SuperDecodeExperts().Flop:N0} FLOP in its expert blocks (two a weight)"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted(super).Total * 1e9:N0} (+{(Counted(super).Total / 120 - 1) * 100:0.00}% on the report's rounded 120B, inside the 1% check) and {Counted(super).Active * 1e9:N0} active with embedding and head"));
        const string large3 = "mistral-large-3";
        yield return ("docs/catalog.md", () => F($"counts {Parts(large3).Text:0.00}B and {ActiveNoEmbedding(large3):0.00}B active without the embedding for the language model, as the card's figures give it"));
        yield return ("docs/catalog.md", () => F($"the model counts {Counted(large3).Total:0.00}B against the card's total of {Published(large3).Total:0}B, the encoder in the weights"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Parts(large3).Text * 1e9:N0} for the language model, {(Parts(large3).Text / 673 - 1) * 100:0.00}% over the card's '673B'; {ActiveNoEmbedding(large3) * 1e9:N0} active without the embedding table"));
        const string ultra = "nemotron-3-ultra-550b-a55b";
        yield return ("docs/catalog.md", () => F($"counts {Counted(ultra).Total:0.00}B and {ActiveNoEmbedding(ultra):0.00}B active without the embedding against the announced {Published(ultra).Total:0}B and {Published(ultra).Active:0}B, and {Parts(ultra).Mtp:0.00}B for its MTP module, the sum being the BF16 repository's {(Counted(ultra).Total + Parts(ultra).Mtp) * 2:N0} GB"));
        const string lightning = "nemotron-3.5-lightning-30b-a3b";
        yield return ("docs/catalog.md", () => F($"counts {Counted(lightning).Total:0.00}B and {Counted(lightning).Active:0.00}B active with embedding and head against the published {Published(lightning).Total:0.0}B and {Published(lightning).Active:0.0}B, and {Parts(lightning).Mtp:0.00}B for its MTP module"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts Nano's {Counted(lightning).Total * 1e9:N0} and {Counted(lightning).Active * 1e9:N0} active with embedding and head, and {Parts(lightning).Mtp * 1e9:N0} for the MTP module"));
        const string muse = "muse-glimmer-30b";
        yield return ("docs/catalog.md", () => F($"counts {Parts(muse).Text:0.00}B for the text model against the launch pages' rounded total"));
        yield return ("docs/catalog.md", () => F($"The model counts {Parts(muse).Text:0.00}B for the text model and {Counted(muse).Total:0.00}B with the tower against the hub's {CatalogFiles.Embedded.Model(muse).PublishedParameters:N0}"));
        yield return ("docs/methodology.md", () => F($"`out_hidden_size` must be `h x merge_size^2`, or the config is refused naming it): {Counted(muse).Total - Parts(muse).Text:0.00} B, which brings the model to"));
        yield return ("docs/methodology.md", () => F($"{Counted(muse).Total:0.00} B against the hub's {CatalogFiles.Embedded.Model(muse).PublishedParameters:N0}. Test: `MuseGlimmerTests`."));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Parts(muse).Text * 1e9:N0} for the text model (the gate {Parts(muse).Text * 1e9 - Parts(muse, a => a with { Extras = a.Extras with { AttentionOutputGate = false } }).Text * 1e9:N0} of it)"));
        yield return ("catalog/models/SOURCES.md", () => F($"the tower and adapter count {(Counted(muse).Total - Parts(muse).Text) * 1e9:N0}, the model {Counted(muse).Total * 1e9:N0} against the hub's {CatalogFiles.Embedded.Model(muse).PublishedParameters:N0}"));
        const string lagunaS = "laguna-s-2.1";
        yield return ("docs/catalog.md", () => F($"counts {Counted(lagunaS).Total:0.00}B and {ActiveNoEmbedding(lagunaS):0.00}B active without the embedding against the card's {Published(lagunaS).Total:0}B and roughly {Published(lagunaS).Active:0}B"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted(lagunaS).Total * 1e9:N0} ({(Counted(lagunaS).Total / Published(lagunaS).Total - 1) * 100:0.00}% on the card's 118B) and {ActiveNoEmbedding(lagunaS) * 1e9:N0} active without the embedding lookup"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted(ultra).Total * 1e9:N0} without the MTP module ({(1 - Counted(ultra).Total / Published(ultra).Total) * 100:0.00}% under 550B) and {Parts(ultra).Mtp * 1e9:N0} for it: {Counted(ultra).Total + Parts(ultra).Mtp:0.00}B"));
    }

    /// <summary>The pipeline hand check's prompt micro-batch (PipelineMicroBatchTests): Llama-3.1-8B BF16 on one H100, ideal curves, a 2,048-token chunk beside 4 decodes at context 1,000, in seconds.</summary>
    private static double PromptMicroBatchSeconds()
    {
        var m = CatalogFiles.Embedded.Model("llama-3.1-8b");
        var d = new Deployment(m, CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.TrtLlm);
        return new PreparedStep(d, StepTimeParameters.Ideal).Time(new StepShape(2048, 0, 4, 1000)).Value;
    }

    /// <summary>A catalog model's published total and active parameters, in billions, as its entry states them.</summary>
    private static (double Total, double Active) Published(string id)
    {
        var m = CatalogFiles.Embedded.Model(id);
        return (m.PublishedParameters!.Value / 1e9, m.ActiveParameters!.Value / 1e9);
    }

    // A multiply and an add per weight a token runs.
    private const int FlopPerWeight = 2;

    /// <summary>Nemotron 3 Super's decode token in its expert blocks on one H200 in FP8: the blocks, the weights a token runs in one, and the step's expert FLOPs.</summary>
    private static (int Layers, double PerLayer, double Flop) SuperDecodeExperts()
    {
        var m = CatalogFiles.Embedded.Model("nemotron-3-super-120b-a12b");
        var d = new Deployment(m, CatalogFiles.Embedded.Device("nvidia-h200-sxm-141gb"), Layouts.Make(m.Architecture, 1, 1), NumberFormat.Fp8, NumberFormat.Bf16, Engine.Vllm);
        var experts = new PreparedStep(d, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 8_192)).Single(o => o.Kind == OperatorKind.Experts);
        return (m.Architecture.MoeLayers, Footprint.ParameterCount.Of(m.Architecture).ActiveMoePerLayer, experts.Flop.Value);
    }
}
