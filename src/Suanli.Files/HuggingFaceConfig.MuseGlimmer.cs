using Suanli.Text;

namespace Suanli.Files;

// Muse Glimmer's vision tower (model_type muse_glimmer_vision): the common ViT blocks (4 h^2 attention, a plain two-matrix
// GELU MLP) plus what the generic tower does not have. Its checkpoint's vision tensors are a patch embedding of
// 3 x patch_temporal x patch^2 inputs, a learned position table of pos_emb_height x pos_emb_width, and an adapter after the
// merge_size x merge_size token merge: fc1 (out_hidden_size -> projector_hidden_size), fc2 (projector_hidden_size square)
// and the projection into the text width (model.vision_adapter.fc1/fc2 and model.vision_projection in public converters of
// meta-models/Muse-Glimmer-30B; catalog/models/SOURCES.md, "Muse Glimmer's vision tower").
public static partial class HuggingFaceConfig
{
    private const string MuseGlimmerVision = "muse_glimmer_vision";

    /// <summary>
    /// Parameters of Muse Glimmer's vision tower beside its blocks: patch embedding, position table and adapter. The wrapper
    /// (the config's root) holds the adapter's widths; out_hidden_size must be the merged token's width, h x merge_size^2.
    /// Biases and norms are left out, as for every tower.
    /// </summary>
    private static double MuseGlimmerVisionExtras(Cfg c, string key, int h, int channels, int patch, int textHidden, Cfg wrapper)
    {
        var temporal = c.Int("patch_temporal");
        var height = c.Int("pos_emb_height");
        var width = c.Int("pos_emb_width");
        var merge = c.Int("merge_size");
        c.Positive($"{key}.patch_size", patch);
        c.Positive($"{key}.patch_temporal", temporal);
        c.Positive($"{key}.pos_emb_height", height);
        c.Positive($"{key}.pos_emb_width", width);
        c.Positive($"{key}.merge_size", merge);
        var merged = wrapper.Int("out_hidden_size");
        var projector = wrapper.Int("projector_hidden_size");
        wrapper.Positive("projector_hidden_size", projector);
        if (merged != h * merge * merge)
        {
            throw wrapper.Error("out_hidden_size", Phrase.Of("config-merged-width",
                "config.json field 'out_hidden_size' is {value}; Muse Glimmer's adapter reads the merged vision token, {width} x {merge} x {merge} = {expected} wide ({key}.hidden_size x merge_size^2). Correct the field.",
                ("value", Fmt.Number(merged)), ("width", Fmt.Number(h)), ("merge", merge), ("expected", Fmt.Number(h * merge * merge)), ("key", key)));
        }
        double patchEmbed = (double)channels * temporal * patch * patch * h;
        double positions = (double)height * width * h;
        double adapter = (double)merged * projector + (double)projector * projector + (double)projector * textHidden;
        return patchEmbed + positions + adapter;
    }
}
