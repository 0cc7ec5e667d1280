using Suanli.Catalog;
using Suanli.Files;

namespace Suanli.Tests;

/// <summary>More rows of the figure table (<see cref="CommandFigureRows"/>): the hardware of the 2026-12-07 devices passes as docs/catalog.md quotes it.</summary>
public sealed partial class DocFiguresTests
{
    private static IEnumerable<(string Page, Func<string> Says)> DeviceRows()
    {
        const string page = "docs/catalog.md";
        static Device D(string id) => CatalogFiles.Embedded.Device(id);
        static Server S(string id) => CatalogFiles.Embedded.Server(id);
        static double Tf(string id, ComputeType t) => D(id).Peak[t].InTeraflopPerSecond;
        yield return (page, () => F($"`nvidia-rubin-vr200` (`rubin`, `vr200`: {D("rubin").Memory.InGigabytes:0} GB HBM4 at {D("rubin").MemoryBandwidth.InGigabytesPerSecond / 1000:0} TB/s, NVLink 6 at {D("rubin").Interconnect.Bandwidth!.Value.InGigabytesPerSecond / 1000:0.0} TB/s; dense peaks ESTIMATED from the rack's training figures, {Tf("rubin", ComputeType.Fp4):N0} FP4 / {Tf("rubin", ComputeType.Fp8):N0} FP8 / {Tf("rubin", ComputeType.Bf16):N0} BF16 TFLOPS)"));
        yield return (page, () => F($"in the server `vera-rubin-nvl72` ({S("vera-rubin-nvl72").DevicesPerNode} GPUs, {S("vera-rubin-nvl72").Power.InWatts / 1000:0} kW)"));
        yield return (page, () => F($"`amd-mi455x` (`mi455x`: {D("mi455x").Memory.InGigabytes:0} GB HBM4 at {D("mi455x").MemoryBandwidth.InGigabytesPerSecond / 1000:0.0} TB/s, {Tf("mi455x", ComputeType.Fp4):N0} FP4 / {Tf("mi455x", ComputeType.Fp8):N0} FP8 TFLOPS taken as dense, BF16 ESTIMATED at {Tf("mi455x", ComputeType.Bf16):N0})"));
        yield return (page, () => F($"in `amd-helios` ({S("amd-helios").DevicesPerNode} GPUs, power ESTIMATED at {S("amd-helios").Power.InWatts / 1000:0} kW)"));
        yield return (page, () => F($"`kunlunxin-tianchi-256` and `kunlunxin-tianchi-512` ({S("tianchi-256").DevicesPerNode} and {S("tianchi-512").DevicesPerNode} Kunlun P800, power ESTIMATED at {S("tianchi-256").Power.InWatts / 1000:0} and {S("tianchi-512").Power.InWatts / 1000:0} kW)"));
        yield return (page, () => F($"the catalog holds {CatalogFiles.Embedded.Devices.Count} devices and {CatalogFiles.Embedded.Servers.Count} servers"));
        // The hyperscaler pass (HyperscalerDeviceTests pins the same values to their sources).
        yield return (page, () => F($"`microsoft-maia-200` (`maia-200`: {D("maia-200").Memory.InGigabytes:0} GB HBM3e at {D("maia-200").MemoryBandwidth.InGigabytesPerSecond / 1000:0.0} TB/s, FP8 at {Tf("maia-200", ComputeType.Fp8):N0} and FP4 at {Tf("maia-200", ComputeType.Fp4):N0} TFLOPS, Microsoft's lower bounds taken as dense, {D("maia-200").Tdp!.Value.InWatts:0} W)"));
        yield return (page, () => F($"`meta-mtia-v2` ({D("mtia-v2").Memory.InGigabytes:0} GB LPDDR5 at {D("mtia-v2").MemoryBandwidth.InGigabytesPerSecond:0.0} GB/s, {Tf("mtia-v2", ComputeType.Bf16):0} BF16 TFLOPS dense)"));
        // The 2026-12-08 pass (TenstorrentDeviceTests and HyperscalerDeviceTests pin the same values to their sources).
        static string Card(string alias, string id) => F($"`{id}` (`{alias}`") + F($": {D(id).Memory.InGigabytes:0} GB at {D(id).MemoryBandwidth.InGigabytesPerSecond:0} GB/s");
        yield return (page, () => Card("n150`, `wormhole", "tenstorrent-wormhole-n150") + F($", {Tf("n150", ComputeType.Fp8):0} FP8 and {Tf("n150", ComputeType.Fp16):0} FP16 TFLOPS, {D("n150").Tdp!.Value.InWatts:0} W)"));
        yield return (page, () => Card("n300", "tenstorrent-wormhole-n300") + F($", {Tf("n300", ComputeType.Fp8):0} FP8 and {Tf("n300", ComputeType.Fp16):0} FP16 TFLOPS, {D("n300").Tdp!.Value.InWatts:0} W; one device per card of two chips)"));
        yield return (page, () => Card("p100a", "tenstorrent-blackhole-p100a") + ") and " + Card("p150a`, `p150b`, `blackhole", "tenstorrent-blackhole-p150a") + ")");
        yield return (page, () => F($"both {Tf("p150a", ComputeType.Fp8):0} FP8 and {Tf("p150a", ComputeType.Fp16):0} FP16 TFLOPS at the 120 cores Tenstorrent's firmware now enables, {D("p150a").Tdp!.Value.InWatts:0} W."));
        yield return (page, () => F($"Servers: `tt-quietbox-wormhole` ({S("tt-quietbox-wormhole").DevicesPerNode} n300, {S("tt-quietbox-wormhole").Power.InWatts / 1000:0.00} kW), `tt-quietbox-blackhole` ({S("tt-quietbox-blackhole").DevicesPerNode} cards, {S("tt-quietbox-blackhole").Power.InWatts / 1000:0.00} kW), `tt-quietbox-2` ({S("tt-quietbox-2").DevicesPerNode} chips, {S("tt-quietbox-2").Power.InWatts / 1000:0.0} kW), `tt-loudbox-blackhole` ({S("tt-loudbox-blackhole").DevicesPerNode} cards, {S("tt-loudbox-blackhole").Power.InWatts / 1000:0} kW, {S("tt-loudbox-blackhole").HeightU}U) and `tt-galaxy-blackhole` ({S("tt-galaxy-blackhole").DevicesPerNode} chips, {S("tt-galaxy-blackhole").Power.InWatts / 1000:0} kW, {S("tt-galaxy-blackhole").HeightU}U)"));
        yield return (page, () => F($"`microsoft-maia-100` (`maia-100`: {D("maia-100").Memory.InGigabytes:0} GB HBM2E at {D("maia-100").MemoryBandwidth.InGigabytesPerSecond / 1000:0.0} TB/s, {Tf("maia-100", ComputeType.Bf16):0} BF16 and {Tf("maia-100", ComputeType.Fp8):N0} FP8 TFLOPS dense, {D("maia-100").Tdp!.Value.InWatts:0} W provisioned)"));
        yield return (page, () => F($"(`ai100-ultra`: {D("ai100-ultra").Memory.InGigabytes:0} GB at {D("ai100-ultra").MemoryBandwidth.InGigabytesPerSecond:0} GB/s, {Tf("ai100-ultra", ComputeType.Fp16):0} FP16 TFLOPS, {D("ai100-ultra").Tdp!.Value.InWatts:0} W, one card of four SoCs)"));
    }
}
