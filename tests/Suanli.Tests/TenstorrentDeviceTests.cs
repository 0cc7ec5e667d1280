using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The Tenstorrent cards and servers of the 2026-12-08 devices pass (catalog/hardware/SOURCES.md, "Tenstorrent and Maia 100
/// added"): each card's figures against Tenstorrent's specification tables, the memory arithmetic of its bus, the names users
/// type, the servers' counts and power, and a perf and a plan on each card that say which calibration they borrow.
/// </summary>
public class TenstorrentDeviceTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    /// <summary>Each card and the precision its plan runs in (the n150's 12 GB holds qwen3-8b in 8 bits, not 16).</summary>
    public static TheoryData<string, string> AddedDevices => new()
    {
        { "tenstorrent-wormhole-n150", "fp8" },
        { "tenstorrent-wormhole-n300", "bf16" },
        { "tenstorrent-blackhole-p100a", "bf16" },
        { "tenstorrent-blackhole-p150a", "bf16" },
    };

    [Theory]
    // Tenstorrent's Wormhole table: memory GB, GB/s, TeraFLOPS FP8 and FP16, TBP W; bus 192 bits per ASIC at 12 GT/s.
    [InlineData("n150", 12, 288, 262, 74, 160, 1)]
    [InlineData("n300", 24, 576, 466, 131, 300, 2)]
    public void Wormhole_cards_carry_tenstorrents_table_and_a_192_bit_bus_per_asic(string name, double gb, double gbps, double fp8, double fp16, double watts, int asics)
    {
        var d = Catalog.Device(name);
        Assert.Equal(gb, d.Memory.InGigabytes, 9);
        Assert.Equal(gbps, d.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(fp8, d.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(fp16, d.Peak[ComputeType.Fp16].InTeraflopPerSecond, 9);
        Assert.Equal(watts, d.Tdp!.Value.InWatts, 9);
        // 192-bit GDDR6 at 12 GT/s = 288 GB/s per ASIC; 12 GB per ASIC.
        Assert.Equal(asics * 192 * 12.0 / 8, d.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(asics * 12.0, d.Memory.InGigabytes, 9);
        // One 16-bit row in the table: BF16 is entered at the FP16 rate and says it is an estimate.
        Assert.Equal(d.Peak[ComputeType.Fp16].Value, d.Peak[ComputeType.Bf16].Value, 9);
        Assert.Contains("ESTIMATED at the FP16 rate", d.Notes, StringComparison.Ordinal);
        // 2 x 200 Gb/s QSFP-DD = 50 GB/s each way, 100 GB/s both ways.
        Assert.Equal(2 * 2 * 200.0 / 8, d.Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
    }

    [Theory]
    // Blackhole table: memory GB and GB/s (256-bit bus at 16 GT/s on the p150a, 7 of its 8 channels on the p100a).
    [InlineData("p100a", 28, 448, 7)]
    [InlineData("p150a", 32, 512, 8)]
    public void Blackhole_cards_carry_the_120_core_rates_and_their_gddr6_channels(string name, double gb, double gbps, int channels)
    {
        var d = Catalog.Device(name);
        Assert.Equal(gb, d.Memory.InGigabytes, 9);
        Assert.Equal(gbps, d.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(channels * 32 * 16.0 / 8, d.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(channels * 4.0, d.Memory.InGigabytes, 9);
        // Both cards now run 120 Tensix cores at 1.35 GHz: 664 TFLOPS is 4,096 8-bit FLOP per core per clock (to 0.1%),
        // and the earlier table's FP16 166 a quarter of that.
        Assert.Equal(664.0, d.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(166.0, d.Peak[ComputeType.Fp16].InTeraflopPerSecond, 9);
        Assert.InRange(664e12 / (120 * 1.35e9), 4096 * 0.999, 4096 * 1.001);
        Assert.Equal(4.0, d.Peak[ComputeType.Fp8].Value / d.Peak[ComputeType.Fp16].Value, 9);
        Assert.Equal(300.0, d.Tdp!.Value.InWatts, 9);
        Assert.Equal(120.0, d.IdlePower!.Value.InWatts, 9);
        // No INT8 rate is published: INT8 work runs at the 16-bit rate, not the 8-bit float one.
        Assert.Equal(ComputeType.Fp16, d.EffectiveCompute(ComputeType.Int8));
    }

    [Fact]
    public void The_p150a_carries_its_four_800g_ports_and_the_p100a_only_its_pcie_link()
    {
        // 4 x 800 Gb/s = 400 GB/s each way = 800 GB/s both ways; the p100a has no QSFP-DD ports (PCIe 5.0 x16, 128 GB/s).
        Assert.Equal(4 * 800.0 / 8 * 2, Catalog.Device("p150a").Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
        Assert.Equal(128.0, Catalog.Device("p100a").Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
        // The firmware cut (140 -> 120 cores) made the two cards' compute equal: the earlier 774 is not entered.
        Assert.Equal(Catalog.Device("p100a").Peak[ComputeType.Fp8].Value, Catalog.Device("p150a").Peak[ComputeType.Fp8].Value, 9);
        Assert.Contains("the 140-core 194 is no longer reached", Catalog.Device("p150a").Notes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n150", "tenstorrent-wormhole-n150")]
    [InlineData("wormhole", "tenstorrent-wormhole-n150")]
    [InlineData("n300", "tenstorrent-wormhole-n300")]
    [InlineData("N300", "tenstorrent-wormhole-n300")]
    [InlineData("n300s", "tenstorrent-wormhole-n300")]
    [InlineData("Tenstorrent n300", "tenstorrent-wormhole-n300")]
    [InlineData("Wormhole n300", "tenstorrent-wormhole-n300")]
    [InlineData("p100a", "tenstorrent-blackhole-p100a")]
    [InlineData("blackhole", "tenstorrent-blackhole-p150a")]
    [InlineData("Blackhole", "tenstorrent-blackhole-p150a")]
    [InlineData("p150a", "tenstorrent-blackhole-p150a")]
    [InlineData("p150b", "tenstorrent-blackhole-p150a")]
    [InlineData("Blackhole p150a", "tenstorrent-blackhole-p150a")]
    [InlineData("Tenstorrent Blackhole", "tenstorrent-blackhole-p150a")]
    public void Names_users_type_resolve(string name, string id) =>
        DeviceNameChecks.AssertResolves(Catalog, name, id);

    [Theory]
    // Server, card, cards a node, power W, height U.
    [InlineData("tt-quietbox-wormhole", "tenstorrent-wormhole-n300", 4, 1650, 6)]
    [InlineData("tt-quietbox-blackhole", "tenstorrent-blackhole-p150a", 4, 1650, 6)]
    [InlineData("tt-quietbox-2", "tenstorrent-blackhole-p150a", 4, 1500, 5)]
    [InlineData("tt-loudbox-blackhole", "tenstorrent-blackhole-p150a", 8, 4000, 4)]
    [InlineData("tt-galaxy-blackhole", "tenstorrent-blackhole-p150a", 32, 12000, 6)]
    public void Tenstorrent_systems_hold_their_cards_within_their_power(string id, string device, int count, double watts, int height)
    {
        var s = Catalog.Server(id);
        Assert.Equal(device, s.DeviceId);
        Assert.Equal(count, s.DevicesPerNode);
        Assert.Equal(watts, s.Power.InWatts, 9);
        Assert.Equal(height, s.HeightU);
        Assert.Contains(s, Catalog.ServersFor(Catalog.Device(device)));
        // The cards' own power fits inside the system's (the QuietBoxes: 4 x 300 W + the 125 W EPYC 8124P = 1,325 W of 1,650;
        // the QuietBox 2: two 600 W p300c cards of two chips each, 1,200 W of its published 1.5 kW peak).
        Assert.True(count * Catalog.Device(device).Tdp!.Value.InWatts < s.Power.InWatts, id);
    }

    [Fact]
    public void The_galaxy_totals_agree_with_tenstorrents_figures_and_its_chips_are_faster_than_the_card_entry()
    {
        var galaxy = Catalog.Server("galaxy-blackhole");
        var chip = Catalog.Device(galaxy.DeviceId);
        // "1 TB GDDR6 at 16 TB/s": 32 x 32 GB = 1,024 GB; 32 x 512 GB/s = 16.4 TB/s.
        Assert.Equal(1024.0, galaxy.DevicesPerNode * chip.Memory.InGigabytes, 9);
        Assert.Equal(16.0, galaxy.DevicesPerNode * chip.MemoryBandwidth.InGigabytesPerSecond / 1000, 0);
        // "23 PFLOPS BLOCKFP8" / 32 = 719 TFLOPS a chip, above the card's 664: the entry errs slow on a Galaxy.
        Assert.True(23_000.0 / galaxy.DevicesPerNode > chip.Peak[ComputeType.Fp8].InTeraflopPerSecond);
        Assert.Contains("719", galaxy.Notes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n150")]
    [InlineData("n300")]
    [InlineData("p100a")]
    [InlineData("blackhole")]
    public void Perf_on_a_tensix_card_says_which_calibration_it_borrows_with_a_widened_interval(string device) =>
        DeviceFallbackChecks.AssertPerfBorrows(Catalog, device, "tenstorrent-tensix", "--precision", "fp8");

    [Theory]
    [MemberData(nameof(AddedDevices))]
    public void A_plan_on_each_card_runs_end_to_end_and_says_the_family_it_borrows(string id, string precision)
    {
        var d = Catalog.Device(id);
        Assert.Equal(HardwareFamily.Gpu, CalibrationKeys.FamilyOf(d));
        Assert.Equal(new DateOnly(2026, 12, 8), d.SourcesRead);
        var json = DeviceFallbackChecks.AssertPlanBorrows(Catalog, d, $"hardware: {d.Id}\n", $"    precision: {precision}\n");
        Assert.Contains(d.Id, json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blackhole_plan_in_the_default_rack_takes_the_galaxy_the_largest_server_that_fits()
    {
        // The default server is the catalog's largest that fits the rack (docs/methodology-fleet.md): the 12 kW, 6U Galaxy.
        var json = DeviceFallbackChecks.AssertPlanBorrows(Catalog, Catalog.Device("blackhole"), "hardware: blackhole\n");
        Assert.Contains("tt-galaxy-blackhole", json, StringComparison.Ordinal);
    }
}
