using Suanli.Catalog;
using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The floors on a device file's figures (docs/catalog.md, "Values a catalog file may not hold"): a peak of 1 FLOP/s or
/// a memory of 1 byte/s planned years per token; now each is refused at its line, naming the floor and the slowest device.
/// </summary>
public sealed class DeviceFloorTests
{
    private static Device Read(string memoryBandwidth = "100 GB/s", string peak = "100 TFLOP/s", string link = "") =>
        CatalogFiles.ReadDevice(YamlMap.Parse(
            $"id: x\nvendor: v\nname: n\ncategory: datacenter-gpu\nmemory: \"8 GB\"\nmemory_bandwidth: \"{memoryBandwidth}\"\npeak:\n  bf16: \"{peak}\"\n" +
            (link.Length > 0 ? $"interconnect_bandwidth: \"{link}\"\n" : ""), "devices.yaml"));

    [Theory]
    [InlineData("1 FLOP/s")]
    [InlineData("989 FLOP/s")]
    [InlineData("0.5 GFLOP/s")]
    public void A_peak_below_1_gflops_is_refused_at_its_line_naming_the_floor_and_the_slowest_device(string peak)
    {
        var ex = Assert.Throws<InputException>(() => Read(peak: peak));
        Assert.Equal(new SourceLocation("devices.yaml", 8, 9), ex.Location);
        Assert.StartsWith("devices.yaml:8:9: peak.bf16 is '", ex.Message, StringComparison.Ordinal);
        Assert.Contains("below 1 GFLOP/s (one operation a clock at 1 GHz; the slowest device in the catalog, Qualcomm Snapdragon 8 Gen 3, does 0.39 TFLOP/s): check the unit", ex.Message, StringComparison.Ordinal);
        Assert.Contains("低于 1 GFLOP/s", ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
        Assert.Equal(1e9, Read(peak: "1 GFLOP/s").Peak[ComputeType.Bf16].Value, 1);
    }

    [Theory]
    [InlineData("1 B/s")]
    [InlineData("0.5 GB/s")]
    [InlineData("999 MB/s")]
    public void A_memory_bandwidth_below_1_gb_per_second_is_refused_at_its_line(string tiny)
    {
        var ex = Assert.Throws<InputException>(() => Read(memoryBandwidth: tiny));
        Assert.Equal("memory_bandwidth", ex.Field);
        Assert.Equal(new SourceLocation("devices.yaml", 6, 19), ex.Location);
        Assert.Equal($"devices.yaml:6:19: memory_bandwidth is '{tiny}', below 1 GB/s (one byte a clock at 1 GHz; the slowest memory in the catalog, Qualcomm Snapdragon 8 Gen 3's, does 76.8 GB/s): check the unit, e.g. memory_bandwidth: \"3350 GB/s\".", ex.Message);
        Assert.StartsWith($"memory_bandwidth 为 '{tiny}'，低于 1 GB/s", ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
        // The floor itself passes, and so does a figure typed in a smaller unit that is above it.
        Assert.Equal(1e9, Read(memoryBandwidth: "1 GB/s").MemoryBandwidth.Value, 1);
        Assert.Equal(3.35e9, Read(memoryBandwidth: "3350 MB/s").MemoryBandwidth.Value, 1);
    }

    [Fact]
    public void An_interconnect_below_1_gb_per_second_is_refused_as_a_mistyped_unit()
    {
        var ex = Assert.Throws<InputException>(() => Read(link: "900 MB/s"));
        Assert.Equal("interconnect_bandwidth", ex.Field);
        Assert.Equal(9, ex.Location!.Line);
        Assert.Contains("below 1 GB/s (the slowest link in the catalog, NVIDIA T4's PCIe Gen3 x16, carries 32 GB/s)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1e9, Read(link: "1 GB/s").Interconnect.Bandwidth!.Value.Value, 1);
    }

    [Fact]
    public void Every_catalog_device_is_at_least_thirty_times_above_each_floor()
    {
        var devices = CatalogFiles.Embedded.Devices;
        Assert.Equal(0.39e12, devices.SelectMany(d => d.Peak.Values).Min(r => r.Value), 1e6);
        Assert.Equal(76.8e9, devices.Min(d => d.MemoryBandwidth.Value), 1e6);
        Assert.Equal(32e9, devices.Where(d => d.Interconnect.Bandwidth is not null).Min(d => d.Interconnect.Bandwidth!.Value.Value), 1e6);
        Assert.All(devices, d =>
        {
            Assert.True(d.Peak.Values.Min(r => r.Value) >= 30 * Device.SmallestPeak, d.Id);
            Assert.True(d.MemoryBandwidth.Value >= 30 * Device.SmallestMemoryBandwidth, d.Id);
            Assert.True(d.Interconnect.Bandwidth is not { } b || b.Value >= 30 * Device.SmallestInterconnectBandwidth, d.Id);
        });
    }
}
