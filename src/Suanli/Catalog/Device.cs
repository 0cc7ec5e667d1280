using Suanli.Quantities;

namespace Suanli.Catalog;

/// <summary>What kind of machine a device is; decides defaults such as whether an engine like vLLM applies.</summary>
public enum DeviceCategory
{
    /// <summary>Data-centre GPU (A100, H100, MI300X...).</summary>
    DatacenterGpu,
    /// <summary>Consumer or workstation GPU (RTX 4090).</summary>
    ConsumerGpu,
    /// <summary>Non-GPU data-centre accelerator (Gaudi, Ascend, MLU, Kunlun).</summary>
    DatacenterAccelerator,
    /// <summary>Accelerator rented only in a cloud (TPU).</summary>
    CloudAccelerator,
    /// <summary>Server CPU socket.</summary>
    ServerCpu,
    /// <summary>SoC with unified memory (Apple M-series).</summary>
    SocUnifiedMemory,
    /// <summary>Phone SoC.</summary>
    PhoneSoc,
}

/// <summary>A price with where and when it was published; every price in Suanli carries both.</summary>
/// <param name="Amount">The price.</param>
/// <param name="Source">Citation (URL or document).</param>
/// <param name="Date">Date published or read.</param>
public sealed record PriceQuote(Money Amount, string Source, DateOnly Date)
{
    /// <summary>The input field the user gave the price with (null: a catalog price); messages name it as each front end spells it.</summary>
    public Suanli.Text.FieldName? GivenWith { get; init; }

    /// <summary>
    /// The source as a phrase in each reader's language where <see cref="Source"/> is built from words (a provider's
    /// on-demand row: "RunPod on-demand (URL)"); null where <see cref="Source"/> is a citation as published.
    /// </summary>
    public Suanli.Text.Phrase? SourcePhrase { get; init; }

    /// <summary>
    /// The source as a message names it: the field it was given with, spelled by each front end, else
    /// <see cref="SourcePhrase"/>, else <see cref="Source"/>.
    /// </summary>
    public object SourceText => GivenWith is { } given ? Suanli.Text.FieldNames.GivenWith(given) : SourcePhrase ?? (object)Source;

    /// <summary>True when older than a year on <paramref name="today"/>: reported as a finding.</summary>
    public bool IsStale(DateOnly today) => Date.AddYears(1) < today;
}

/// <summary>
/// The rate at which a device evaluates the exponentials of softmax attention (catalog key <c>exp_rate</c>), with where it
/// comes from: a figure published for the device, or one derived from a cited formula (on NVIDIA GPUs, SMs x clock x the
/// special-function units' 16 exponentials per clock per SM; docs/methodology-steptime.md, "Softmax exponentials").
/// </summary>
/// <param name="Rate">Exponentials per second of the whole device, one exponential counted as one operation.</param>
/// <param name="Derived">True when the rate is computed from a formula rather than published for this device.</param>
/// <param name="Source">The publication, or the formula with the sources of its terms.</param>
public sealed record ExponentialRate(FlopRate Rate, bool Derived, string Source)
{
    /// <summary>
    /// The slowest rate a catalog file may state, exponentials per second: 1 Gexp/s, one exponential a clock at 1 GHz,
    /// a sixteenth of a single SM of the formula above and a thousandth of the slowest catalog device (1.018 Texp/s). A
    /// smaller figure is a mistyped unit (exp/s for Gexp/s); one near the smallest double made every step time NaN.
    /// </summary>
    public const double SmallestRate = 1e9;
}

/// <summary>A device's link to its peers in a node.</summary>
/// <param name="Name">Interconnect name (NVLink 4, PCIe Gen5 x16...); empty when the catalog names none.</param>
/// <param name="Bandwidth">Bandwidth per device, both directions added (vendor convention); null when unpublished.</param>
public sealed record DeviceLink(string Name, ByteRate? Bandwidth)
{
    /// <summary>No link stated.</summary>
    public static DeviceLink None { get; } = new("", null);
}

/// <summary>One accelerator (or CPU socket, or SoC) from the hardware catalog. All figures per device.</summary>
public sealed record Device
{
    /// <summary>Catalog id, e.g. <c>nvidia-h100-sxm5-80gb</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Other names that resolve to this device.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Vendor name.</summary>
    public required string Vendor { get; init; }
    /// <summary>Marketing name.</summary>
    public required string Name { get; init; }
    /// <summary>Kind of device.</summary>
    public required DeviceCategory Category { get; init; }
    /// <summary>
    /// Accelerator architecture (family) as the catalog states it, e.g. <c>nvidia-hopper</c>, <c>amd-cdna3</c>,
    /// <c>huawei-davinci</c>; picks the calibration subgroup. Empty when not stated (user files may omit it).
    /// </summary>
    public string Architecture { get; init; } = "";
    /// <summary>Memory capacity per device (for CPUs the assumed memory of one socket).</summary>
    public required Bytes Memory { get; init; }
    /// <summary>Peak memory bandwidth per device.</summary>
    public required ByteRate MemoryBandwidth { get; init; }
    /// <summary>Dense peak arithmetic rate per compute type; missing types have no fast path.</summary>
    public required IReadOnlyDictionary<ComputeType, FlopRate> Peak { get; init; }

    /// <summary>
    /// The largest dense peak a catalog file may state, FLOP/s: 10 EFLOP/s, over 600 times the fastest peak in the
    /// catalog (15 PFLOP/s FP4, NVIDIA B300), so only a mistyped exponent or unit reaches it; a peak of 1e290 TFLOP/s
    /// made every step time NaN.
    /// </summary>
    public const double LargestPeak = 1e19;

    /// <summary>
    /// The smallest dense peak a catalog file may state, FLOP/s: 1 GFLOP/s, one operation a clock at 1 GHz and under a
    /// 390th of the slowest peak in the catalog (0.39 TFLOP/s FP32, Qualcomm Snapdragon 8 Gen 3's NPU). A smaller figure
    /// is a mistyped unit (FLOP/s for TFLOP/s); a peak of 1 FLOP/s planned years per token.
    /// </summary>
    public const double SmallestPeak = 1e9;

    /// <summary>
    /// The smallest memory bandwidth a catalog file may state, bytes/s: 1 GB/s, one byte a clock at 1 GHz and under a
    /// 76th of the slowest memory in the catalog (76.8 GB/s, Qualcomm Snapdragon 8 Gen 3). Decode reads every weight once a
    /// step, so 1 byte/s planned years per token.
    /// </summary>
    public const double SmallestMemoryBandwidth = 1e9;

    /// <summary>
    /// The smallest interconnect bandwidth a catalog file may state, bytes/s: 1 GB/s, a 32nd of the slowest link in the
    /// catalog (32 GB/s, NVIDIA T4's PCIe Gen3 x16, both directions added). Smaller is a mistyped unit (Gb/s or MB/s).
    /// </summary>
    public const double SmallestInterconnectBandwidth = 1e9;
    /// <summary>Thermal design power (board power) per device; null where no source publishes one (TPUs, some SoCs).</summary>
    public Power? Tdp { get; init; }
    /// <summary>Idle power when published; otherwise null and the fleet stage uses its documented fraction of TDP.</summary>
    public Power? IdlePower { get; init; }
    /// <summary>The device-to-device link: its name and bandwidth.</summary>
    public DeviceLink Interconnect { get; init; } = DeviceLink.None;
    /// <summary>
    /// Softmax exponentials per second (catalog key <c>exp_rate</c>); null where neither a published figure nor a cited
    /// derivation exists, and then attention has no exponential bound on the device.
    /// </summary>
    public ExponentialRate? ExpRate { get; init; }
    /// <summary>Launch year.</summary>
    public int? LaunchYear { get; init; }
    /// <summary>Purchase price per device, when a source gives one.</summary>
    public PriceQuote? Price { get; init; }
    /// <summary>On-demand rent per device-hour, when a source gives one.</summary>
    public PriceQuote? RentPerHour { get; init; }
    /// <summary>high, medium or low, as the catalog states.</summary>
    public string Confidence { get; init; } = "medium";
    /// <summary>Source URLs.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
    /// <summary>The day the sources were read (catalog key <c>sources_read</c>); null in user device files that omit it.</summary>
    public DateOnly? SourcesRead { get; init; }
    /// <summary>Caveats: sparse vs dense, estimates and their formulas.</summary>
    public string Notes { get; init; } = "";

    /// <summary>
    /// The dense peak for a compute type, falling back to the nearest wider path the device has
    /// (FP8 on an A100 runs as FP16; BF16 on a V100 runs as FP16). Null when the device has no matrix figure at all.
    /// </summary>
    public FlopRate? PeakFor(ComputeType type)
    {
        foreach (var t in Fallbacks(type))
        {
            if (Peak.TryGetValue(t, out var rate) && rate.Value > 0)
            {
                return rate;
            }
        }
        return null;
    }

    /// <summary>The compute type actually used for a requested one (see <see cref="PeakFor"/>).</summary>
    public ComputeType? EffectiveCompute(ComputeType type)
    {
        foreach (var t in Fallbacks(type))
        {
            if (Peak.TryGetValue(t, out var rate) && rate.Value > 0)
            {
                return t;
            }
        }
        return null;
    }

    private static IEnumerable<ComputeType> Fallbacks(ComputeType type) => type switch
    {
        ComputeType.Fp4 => [ComputeType.Fp4, ComputeType.Fp8, ComputeType.Int8, ComputeType.Bf16, ComputeType.Fp16, ComputeType.Fp32],
        ComputeType.Int4 => [ComputeType.Int4, ComputeType.Int8, ComputeType.Fp16, ComputeType.Bf16, ComputeType.Fp32],
        ComputeType.Fp8 => [ComputeType.Fp8, ComputeType.Bf16, ComputeType.Fp16, ComputeType.Fp32],
        ComputeType.Int8 => [ComputeType.Int8, ComputeType.Fp16, ComputeType.Bf16, ComputeType.Fp32],
        ComputeType.Bf16 => [ComputeType.Bf16, ComputeType.Fp16, ComputeType.Fp32],
        ComputeType.Fp16 => [ComputeType.Fp16, ComputeType.Bf16, ComputeType.Fp32],
        ComputeType.Tf32 => [ComputeType.Tf32, ComputeType.Fp32],
        _ => [ComputeType.Fp32, ComputeType.Bf16, ComputeType.Fp16],
    };

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>A server (node): a number of devices in one chassis with its power, height and price.</summary>
public sealed record Server
{
    /// <summary>Catalog id, e.g. <c>dgx-h100</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Other names.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Product name.</summary>
    public required string Name { get; init; }
    /// <summary>The device id it holds.</summary>
    public required string DeviceId { get; init; }
    /// <summary>Devices per node.</summary>
    public required int DevicesPerNode { get; init; }
    /// <summary>Maximum system power.</summary>
    public required Power Power { get; init; }
    /// <summary>Rack units.</summary>
    public required int HeightU { get; init; }
    /// <summary>Purchase price of the whole node, when published.</summary>
    public PriceQuote? Price { get; init; }
    /// <summary>
    /// Network bandwidth per device between nodes, each direction (one 400 Gb/s NIC per GPU is 50 GB/s), when published:
    /// the link a replica that spans nodes hands its activations over (docs/methodology-serving.md, "Replicas across nodes").
    /// Without it the plan keeps each replica within one node.
    /// </summary>
    public ByteRate? ScaleOutBandwidth { get; init; }
    /// <summary>Sources.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
    /// <summary>Caveats.</summary>
    public string Notes { get; init; } = "";

    /// <summary>
    /// The most devices one node may hold: over twice the largest scale-up node in the catalog (Huawei's CloudMatrix
    /// 384, catalog/hardware/servers.yaml). A user file with 1e9 overflowed the sessions a rack carries (exit 70).
    /// </summary>
    public const int MaxDevicesPerNode = 1_024;

    /// <summary>
    /// The tallest node accepted, in rack units: 16 racks of 60U, the tallest rack a scenario may set (rack.height_u,
    /// docs/scenario.md; the industry-standard rack is 42U, https://en.wikipedia.org/wiki/19-inch_rack). The catalog's
    /// tallest node, Huawei's CloudMatrix 384, spans 16 racks (12 compute and 4 bus cabinets, 672U;
    /// catalog/hardware/servers.yaml). A user file with 100,000U was read, and no rack could hold the server.
    /// </summary>
    public const int MaxHeightU = 960;

    /// <inheritdoc />
    public override string ToString() => Id;
}
