using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Files;

// The bounds a device figure must fall within (docs/catalog.md, "Values a catalog file may not hold"): outside them only
// a mistyped exponent or unit, and the plans they gave were NaN (a peak of 1e290 TFLOP/s) or years per token (1 byte/s).
public static partial class CatalogFiles
{
    private static void CheckPeakBounds(YamlMap peakMap, string key, string text, FlopRate peak)
    {
        if (peak.Value > Device.LargestPeak)
        {
            throw peakMap.Error(key, Phrase.Of("device-peak-too-large",
                "{key} is '{text}', above 10,000,000 TFLOP/s (over 600 times the fastest device in the catalog, 15,000 TFLOP/s): check the exponent and the unit, e.g. \"989 TFLOP/s\".", ("key", peakMap.Named(key)), ("text", text)));
        }
        if (peak.Value < Device.SmallestPeak)
        {
            throw peakMap.Error(key, Phrase.Of("device-peak-too-small",
                "{key} is '{text}', below 1 GFLOP/s (one operation a clock at 1 GHz; the slowest device in the catalog, Qualcomm Snapdragon 8 Gen 3, does 0.39 TFLOP/s): check the unit, e.g. \"989 TFLOP/s\".", ("key", peakMap.Named(key)), ("text", text)));
        }
    }

    // After the zero checks of memory_bandwidth; a zero interconnect is left to the caller's "greater than zero" message.
    private static void CheckBandwidthBounds(YamlMap m, Device device)
    {
        if (device.MemoryBandwidth.Value < Device.SmallestMemoryBandwidth)
        {
            throw m.Error("memory_bandwidth", Phrase.Of("device-memory-bandwidth-too-small", "{key} is '{text}', below 1 GB/s (one byte a clock at 1 GHz; the slowest memory in the catalog, Qualcomm Snapdragon 8 Gen 3's, does 76.8 GB/s): check the unit, e.g. memory_bandwidth: \"3350 GB/s\".",
                ("key", m.Named("memory_bandwidth")), ("text", m.Str("memory_bandwidth"))));
        }
        if (device.Interconnect.Bandwidth is { } link && link.Value > 0 && link.Value < Device.SmallestInterconnectBandwidth)
        {
            throw m.Error("interconnect_bandwidth", Phrase.Of("device-interconnect-too-small", "{key} is '{text}', below 1 GB/s (the slowest link in the catalog, NVIDIA T4's PCIe Gen3 x16, carries 32 GB/s): check the unit (GB/s, not Gb/s or MB/s), e.g. interconnect_bandwidth: \"900 GB/s\", or leave the key out when the figure is unknown.",
                ("key", m.Named("interconnect_bandwidth")), ("text", m.Str("interconnect_bandwidth"))));
        }
    }
}
