using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The late-2026 accelerators and rack-scale servers of the 2026-12-07 devices pass (catalog/hardware/SOURCES.md,
/// "Rubin, MI455X and the Kunlunxin Tianchi supernodes added"): cited values, the estimates' formulas, names users type,
/// the servers' device counts against the rack totals the vendors publish, and an end-to-end perf and plan on each.
/// </summary>
public class NextGenerationDeviceTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    public static TheoryData<string> AddedDevices => new() { "nvidia-rubin-vr200", "amd-mi455x" };

    [Fact]
    public void Rubin_carries_nvidias_memory_bandwidth_and_nvlink_and_its_peaks_are_the_racks_training_rates_per_gpu()
    {
        var r = Catalog.Device("rubin");
        Assert.Equal("nvidia-rubin-vr200", r.Id);
        Assert.Equal(288.0, r.Memory.InGigabytes, 9);
        Assert.Equal(22000.0, r.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(3600.0, r.Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
        Assert.Equal(1800.0, r.Tdp!.Value.InWatts, 9);
        // NVFP4 training: 2.5 EF a rack / 72 GPUs = 34.7 PF, NVIDIA's per-GPU "35 PF" (not the 50 PF inference figure).
        Assert.Equal(35000.0, r.Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        Assert.InRange(2.5e18 / 72 / 1e12, 34000, 35000);
        // FP8 training: 1.2 EF a rack / 72 packages = 16,667 TFLOP/s; BF16 = FP8 / 2 as on Blackwell (B200 2,250 : 4,500).
        Assert.Equal(1.2e18 / 72 / 1e12, r.Peak[ComputeType.Fp8].InTeraflopPerSecond, 0);
        Assert.InRange(r.Peak[ComputeType.Bf16].InTeraflopPerSecond - r.Peak[ComputeType.Fp8].InTeraflopPerSecond / 2, -1, 1); // both rounded to the TFLOP/s
        var b200 = Catalog.Device("b200");
        Assert.Equal(b200.Peak[ComputeType.Fp8].Value / b200.Peak[ComputeType.Bf16].Value, r.Peak[ComputeType.Fp8].Value / r.Peak[ComputeType.Bf16].Value, 3);
        // No INT8 rate published: W8A8 work runs at the 16-bit rate, the conservative reading.
        Assert.False(r.Peak.ContainsKey(ComputeType.Int8));
        Assert.Equal("low", r.Confidence);
        Assert.Equal("nvidia-rubin", r.Architecture);
        Assert.Contains("ESTIMATES", r.Notes, StringComparison.Ordinal);
        // Rubin against the Blackwell Ultra it follows: more memory bandwidth and FP4 than GB300, the same 288 GB class.
        var gb300 = Catalog.Device("gb300");
        Assert.True(r.MemoryBandwidth.Value > 2 * gb300.MemoryBandwidth.Value);
        Assert.True(r.Peak[ComputeType.Fp4].Value > 2 * gb300.Peak[ComputeType.Fp4].Value);
    }

    [Fact]
    public void Mi455x_carries_amds_memory_and_rates_taken_as_dense_with_cdna4s_ratios_and_no_invented_power()
    {
        var m = Catalog.Device("mi455x");
        Assert.Equal(432.0, m.Memory.InGigabytes, 9);
        Assert.Equal(19600.0, m.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(40000.0, m.Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        Assert.Equal(20000.0, m.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        // CDNA 4's ratios (MI355X: FP4 = 2 x FP8 = 4 x BF16) hold, so the BF16 estimate is FP8 / 2.
        var mi355x = Catalog.Device("mi355x");
        Assert.Equal(mi355x.Peak[ComputeType.Fp4].Value / mi355x.Peak[ComputeType.Fp8].Value, m.Peak[ComputeType.Fp4].Value / m.Peak[ComputeType.Fp8].Value, 3);
        Assert.Equal(mi355x.Peak[ComputeType.Fp8].Value / mi355x.Peak[ComputeType.Bf16].Value, m.Peak[ComputeType.Fp8].Value / m.Peak[ComputeType.Bf16].Value, 3);
        Assert.Null(m.Tdp);
        Assert.Equal("low", m.Confidence);
        Assert.Equal("amd-cdna5", m.Architecture);
        Assert.Contains("ESTIMATES", m.Notes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rubin", "nvidia-rubin-vr200")]
    [InlineData("vr200", "nvidia-rubin-vr200")]
    [InlineData("VR200", "nvidia-rubin-vr200")]
    [InlineData("NVIDIA Rubin", "nvidia-rubin-vr200")]
    [InlineData("Vera Rubin", "nvidia-rubin-vr200")]
    [InlineData("mi455x", "amd-mi455x")]
    [InlineData("MI455X", "amd-mi455x")]
    [InlineData("AMD MI455X", "amd-mi455x")]
    [InlineData("Instinct MI455X", "amd-mi455x")]
    public void Names_users_type_for_rubin_and_mi455x_resolve(string name, string id) =>
        DeviceNameChecks.AssertResolves(Catalog, name, id);

    [Theory]
    [InlineData("vera-rubin-nvl72", "nvidia-rubin-vr200", 72)]
    [InlineData("vera-rubin-nvl144", "nvidia-rubin-vr200", 72)]
    [InlineData("helios", "amd-mi455x", 72)]
    [InlineData("tianchi-256", "kunlunxin-p800", 256)]
    [InlineData("天池512", "kunlunxin-p800", 512)]
    public void The_rack_scale_servers_hold_the_device_counts_their_vendors_announce(string server, string device, int count)
    {
        var s = Catalog.Server(server);
        Assert.Equal(device, s.DeviceId);
        Assert.Equal(count, s.DevicesPerNode);
        Assert.Contains(s, Catalog.ServersFor(Catalog.Device(device)));
    }

    [Fact]
    public void The_servers_device_totals_agree_with_the_rack_figures_the_vendors_publish()
    {
        // One physical quantity, two entries: the device times the server's count must give the rack total.
        var vr = Catalog.Server("vera-rubin-nvl72");
        var rubin = Catalog.Device(vr.DeviceId);
        Assert.Equal(20.7, vr.DevicesPerNode * rubin.Memory.InGigabytes / 1000, 1);      // "20.7 TB HBM4 a rack"
        Assert.InRange(vr.DevicesPerNode * rubin.Interconnect.Bandwidth!.Value.InGigabytesPerSecond / 1000, 255, 265); // "260 TB/s"
        var helios = Catalog.Server("amd-helios");
        var mi455x = Catalog.Device(helios.DeviceId);
        Assert.Equal(31.0, helios.DevicesPerNode * mi455x.Memory.InGigabytes / 1000, 0);  // "31 TB HBM4"
        Assert.Equal(2.9, helios.DevicesPerNode * mi455x.Peak[ComputeType.Fp4].InPetaflopPerSecond / 1000, 1); // "2.9 EF FP4"
        Assert.Equal(1.4, helios.DevicesPerNode * mi455x.MemoryBandwidth.InGigabytesPerSecond / 1e6, 1); // "1.4 PB/s"
        // Scale-out per GPU and direction: 43 TB/s a rack (both directions) / 72 / 2 = 298.6 GB/s, AMD's 300 GB/s.
        Assert.InRange(helios.ScaleOutBandwidth!.Value.InGigabytesPerSecond - 43_000.0 / 72 / 2, 0, 2);
        // The GPUs' own power fits inside the rack's maximum (72 x 1.8 kW = 129.6 kW of 230 kW).
        Assert.True(vr.DevicesPerNode * rubin.Tdp!.Value.InWatts < vr.Power.InWatts);
    }

    [Theory]
    [InlineData("tianchi-256", 184_000)]
    [InlineData("tianchi-512", 369_000)]
    public void Tianchi_power_is_the_estimate_rule_of_the_ascend_servers_on_the_p800s_400_watts(string server, double watts)
    {
        // 1.8 x devices x device power, the rule of atlas-800t-a2 (5.8 kW = 1.8 x 8 x 400 W), rounded to the kW.
        var s = Catalog.Server(server);
        var p800 = Catalog.Device(s.DeviceId);
        Assert.Equal(watts, s.Power.InWatts, 9);
        Assert.Equal(Math.Round(1.8 * s.DevicesPerNode * p800.Tdp!.Value.InWatts / 1000) * 1000, s.Power.InWatts, 9);
        Assert.InRange(Catalog.Server("atlas-800t-a2").Power.InWatts - 1.8 * 8 * p800.Tdp!.Value.InWatts, 0, 50);
    }

    [Theory]
    [InlineData("rubin", "nvidia-rubin")]
    [InlineData("mi455x", "amd-cdna5")]
    public void Perf_on_a_new_architecture_says_which_calibration_it_borrows(string device, string architecture) =>
        DeviceFallbackChecks.AssertPerfBorrows(Catalog, device, architecture);

    [Theory]
    [MemberData(nameof(AddedDevices))]
    public void A_plan_on_each_added_device_runs_end_to_end_and_says_the_family_it_borrows(string id) =>
        // The only server of each is a 72-GPU rack of 230 kW and 48U: the scenario names a rack that holds one.
        DeviceFallbackChecks.AssertPlanBorrows(Catalog, Catalog.Device(id), $"hardware: {id}\nrack: {{power: 250 kW, height_u: 48}}\n");

    [Fact]
    public void A_p800_plan_in_the_default_rack_uses_the_eight_card_node_at_the_generic_nodes_power_not_a_supernode()
    {
        // The Tianchi supernodes span several racks; the 8-card node (1.8 x 8 x 400 W = 5.76 kW, 4U) fits the default rack.
        var node = Catalog.Server("p800-8oam");
        Assert.Equal(1.8 * 8 * Catalog.Device("p800").Tdp!.Value.InWatts, node.Power.InWatts, 9);
        Assert.Equal(4, node.HeightU);
        var path = TempFiles.Write("p800.yaml", "hardware: p800\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 4\n    input_tokens: 512\n    output_tokens: 128\n");
        var (code, output, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("kunlunxin-p800-8oam", output, StringComparison.Ordinal);
        Assert.DoesNotContain("tianchi", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rubin_plan_in_the_default_rack_is_an_error_naming_the_rack_keys_to_raise()
    {
        var path = TempFiles.Write("rubin.yaml", "hardware: rubin\napplications:\n  - name: kb\n    model: qwen3-8b\n    peak_concurrency: 4\n    input_tokens: 512\n    output_tokens: 128\n");
        var (code, _, err, _) = CliTests.Run("plan", path);
        Assert.NotEqual(0, code);
        Assert.Contains("vera-rubin-nvl72 (230 kW, 48U); raise rack.power or rack.height_u", err, StringComparison.Ordinal);
    }
}
