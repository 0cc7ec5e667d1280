using Suanli.Catalog;
using Suanli.Files;
using Suanli.Runs;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>The shared input-to-report runs that the CLI commands and the web endpoints both call.</summary>
public class SharedRunTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly IStepTimeModel Model = CalibrationFiles.Default;
    private static readonly DateOnly Day = new(2026, 1, 15);

    private static string FieldOf(Action run) => Assert.ThrowsAny<InputException>(run).Field;

    [Fact]
    public void Compare_custom_option_costs_its_monthly_fee_plus_its_per_request_price()
    {
        // 100 USD a month + 2 USD per 1,000 requests at 1,000 requests a month = 102 USD a month.
        var (result, _) = CompareRun.Run(new CompareInputs { RequestsPerMonth = 1000, Custom = ["x;monthly=100 USD;per-1k=2 USD"], Today = Day },
            PriceFiles.Embedded, Catalog, Model);
        Assert.Equal(102m, Assert.Single(result.Breakdowns).PerMonth.Amount);
    }

    [Fact]
    public void Compare_stops_sizing_self_hosted_options_when_its_token_is_cancelled()
    {
        // The web's time limit and a client's hang-up cancel this token; compare ignored it and sized every pair to the end.
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var inputs = new CompareInputs { RequestsPerMonth = 1e6, Models = ["qwen2.5-0.5b"], Hardware = ["nvidia-t4"], Today = Day };
        Assert.ThrowsAny<OperationCanceledException>(() => CompareRun.Run(inputs, PriceFiles.Embedded, Catalog, Model, cancel: cancelled.Token));
        Assert.NotEmpty(CompareRun.Run(inputs, PriceFiles.Embedded, Catalog, Model).Result.Breakdowns);
    }

    [Fact]
    public void Compare_rents_each_device_on_demand_and_on_every_reserved_term_the_catalog_has_billing_commitments_every_hour()
    {
        var book = PriceFiles.Embedded.With(PriceFiles.Read("""
            rent:
              - {provider: Q, hardware: nvidia-t4, per_device_hour: "0.10 USD", term: on-demand, source: s, date: 2026-11-01}
              - {provider: Q, hardware: nvidia-t4, per_device_hour: "0.08 USD", term: reserved-1y, source: s, date: 2026-11-01}
              - {provider: Q, hardware: nvidia-t4, per_device_hour: "0.05 USD", term: reserved-3y, source: s, date: 2026-11-01}
              - {provider: Q, hardware: nvidia-t4, per_device_hour: "0.01 USD", term: spot, source: s, date: 2026-11-01}
            """, "t.yaml", Catalog));
        var (result, _) = CompareRun.Run(new CompareInputs
        {
            RequestsPerMonth = 1000, Models = ["qwen2.5-0.5b"], Hardware = ["nvidia-t4"], SelfHost = "rent", Today = Day,
        }, book, Catalog, Model);
        // 1,000 requests a month need one replica on one T4, up around the clock: 730 device-hours a month either way.
        // On demand 730 x 0.10 = 73.00, 1 year 730 x 0.08 = 58.40, 3 years 730 x 0.05 = 36.50 USD; spot is not compared.
        var monthly = result.Breakdowns.ToDictionary(b => b.Option[(b.Option.IndexOf("(rent", StringComparison.Ordinal))..], b => b.PerMonth.Amount);
        Assert.Equal(3, monthly.Count);
        Assert.Equal(73.00m, monthly["(rent Q)"]);
        Assert.Equal(58.40m, monthly["(rent Q, reserved-1y)"]);
        Assert.Equal(36.50m, monthly["(rent Q, reserved-3y)"]);
    }

    [Fact]
    public void Compare_errors_name_the_cli_option_and_clip_long_text()
    {
        Assert.Equal("--requests-per-month", FieldOf(() => CompareRun.Run(new CompareInputs { Today = Day }, PriceFiles.Embedded, Catalog, Model)));
        Assert.Equal("--hardware", FieldOf(() => CompareRun.Run(new CompareInputs { RequestsPerMonth = 1e6, Models = ["qwen2.5-7b"], Today = Day }, PriceFiles.Embedded, Catalog, Model)));
        var e = Assert.ThrowsAny<InputException>(() => CompareRun.ParseRate(new string('x', 5000)));
        Assert.Equal("--exchange-rate", e.Field);
        Assert.True(e.Detail.Length < 300, e.Detail);
    }

    [Fact]
    public void Compare_volume_suffixes_are_decimal_thousands()
    {
        Assert.True(CompareRun.TryVolume("1.2M", out var v));
        Assert.Equal(1.2e6, v, 6);
        Assert.True(CompareRun.TryVolume("250k", out var k));
        Assert.Equal(250_000, k);
        Assert.False(CompareRun.TryVolume("lots", out _));
    }

    [Fact]
    public void Two_forms_of_one_target_are_refused_naming_the_second_option()
    {
        var inputs = new ServingInputs { Model = "qwen2.5-7b", Hardware = "h100", Rate = 1, Input = "512", Output = "128", Targets = new() { TtftP90 = 1, TtftP99 = 2 } };
        Assert.Equal("--ttft-p99", FieldOf(() => ServingRun.Simulate(inputs, Catalog, Model)));
        Assert.Equal("--mode", FieldOf(() => ServingRun.Capacity(inputs with { Targets = inputs.Targets with { TtftP99 = null } }, "fastest", Catalog, Model)));
    }

    [Fact]
    public void Train_names_the_teacher_option_when_the_teacher_is_unknown()
    {
        var inputs = new TrainInputs { Model = "llama-3.1-8b", Hardware = "h100", Tokens = "1B", Distillation = new() { Teacher = "no-such-teacher" } };
        Assert.Equal("--teacher", FieldOf(() => TrainRun.Run(inputs, Catalog, Model, new DateOnly(2026, 1, 1))));
        Assert.Equal("--tokens", FieldOf(() => TrainRun.Run(inputs with { Tokens = null, Distillation = new() }, Catalog, Model, new DateOnly(2026, 1, 1))));
    }

    [Fact]
    public void Density_checks_its_ranges_and_names_before_any_simulation_naming_the_option()
    {
        var d = DensityInputs.Defaults;
        Assert.Equal("--precision", FieldOf(() => DensityRun.Run(d with { Precision = "int3" }, Catalog, Model)));
        Assert.Equal("--rack-kw", FieldOf(() => DensityRun.Run(d with { RackKw = 0.05 }, Catalog, Model)));
        Assert.Equal("--tokens-per-second", FieldOf(() => DensityRun.Run(d with { TokensPerSecond = 20_000 }, Catalog, Model)));
        Assert.Equal("--ttft-p90", FieldOf(() => DensityRun.Run(d with { TtftP90 = 0 }, Catalog, Model)));
        Assert.Equal("--server", FieldOf(() => DensityRun.Run(d with { Servers = ["no-such-server"] }, Catalog, Model)));
        Assert.Equal("--model", FieldOf(() => DensityRun.Run(d with { Servers = ["dgx-h100"], Models = ["no-such-model"] }, Catalog, Model)));
    }

    [Fact]
    public void Perf_tp_times_pp_must_equal_the_devices()
    {
        var inputs = new PerfInputs { Model = "qwen2.5-7b", Hardware = "h100", Devices = 8, Tp = 2, Pp = 2 };
        Assert.Equal("--devices", FieldOf(() => PerfRun.Run(inputs, Catalog, Model)));
        Assert.Equal("--batch", FieldOf(() => PerfRun.Run(inputs with { Devices = null, Tp = null, Pp = null, Batch = "0" }, Catalog, Model)));
    }
}
