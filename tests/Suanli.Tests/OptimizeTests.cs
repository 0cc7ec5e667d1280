using System.Text.Json;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class OptimizeTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    // Two models x two formats x two devices x 1/2 devices per replica: small enough to brute-force with the simulator.
    private const string Small = """
        name: small
        currency: USD
        candidates:
          hardware: [h100, a100-80gb]
          precisions: [bf16, fp8]
          devices_per_replica: [1, 2]
          cost: rent
        applications:
          - name: chat
            models: [qwen2.5-7b, qwen2.5-14b]
            peak_rate: 4
            input_tokens: 512
            output_tokens: 128
            targets: {ttft_p90_s: 1, tpot_p90_s: 0.05}
            profile: office-hours
        """;

    private static OptimizeResult Search(string yaml, ScenarioSearchOptions? options = null)
    {
        var (scenario, settings) = ScenarioFile.ParseSearch(yaml, "test.yaml", CatalogFiles.Embedded);
        var pricing = Suanli.Cost.PriceSelection.Resolve(settings.Hardware ?? [scenario.Device], PriceFiles.Embedded, scenario.Currency, settings.Tariff, Today);
        return ScenarioSearch.Run(scenario, settings, pricing.Devices, Roofline.Instance, options ?? new ScenarioSearchOptions { RequestsPerProbe = 400 });
    }

    [Fact]
    public void The_cheapest_plan_is_the_cheapest_of_every_candidate_searched_alone()
    {
        var pruned = Search(Small).Applications[0];
        Assert.NotNull(pruned.Cheapest);
        // Brute force through the same path: each model x format x device x device count as its own one-point space.
        var costs = new List<decimal>();
        foreach (var model in new[] { "qwen2.5-7b", "qwen2.5-14b" })
        {
            foreach (var precision in new[] { "bf16", "fp8" })
            {
                foreach (var hardware in new[] { "h100", "a100-80gb" })
                {
                    foreach (var devices in new[] { 1, 2 })
                    {
                        var one = Small.Replace("[h100, a100-80gb]", $"[{hardware}]", StringComparison.Ordinal).Replace("[bf16, fp8]", $"[{precision}]", StringComparison.Ordinal)
                            .Replace("[1, 2]", $"[{devices}]", StringComparison.Ordinal).Replace("[qwen2.5-7b, qwen2.5-14b]", $"[{model}]", StringComparison.Ordinal);
                        var r = Search(one, new ScenarioSearchOptions { RequestsPerProbe = 400, Prune = false }).Applications[0];
                        if (r.Cheapest is { } c)
                        {
                            costs.Add(c.Cost.PerMonth.Amount);
                        }
                    }
                }
            }
        }
        Assert.NotEmpty(costs);
        Assert.Equal(costs.Min(), pruned.Cheapest!.Cost.PerMonth.Amount);
        // Pruning changes neither the cheapest nor the frontier.
        var full = Search(Small, new ScenarioSearchOptions { RequestsPerProbe = 400, Prune = false }).Applications[0];
        // (Exhaustive search keeps ties that pruning skips, so the frontiers are compared as sets of points.)
        Assert.Equal(full.Frontier.Select(f => (f.Cost.PerMonth.Amount, f.Plan.Quality, f.Plan.Latency)).Distinct(), pruned.Frontier.Select(f => (f.Cost.PerMonth.Amount, f.Plan.Quality, f.Plan.Latency)).Distinct());
        Assert.True(pruned.Search.Stats.Evaluated < full.Search.Stats.Evaluated);
    }

    [Fact]
    public void Rent_cost_is_the_device_hours_the_autoscaled_fleet_serves_at_the_cheapest_on_demand_rent()
    {
        var c = Search(Small).Applications[0].Cheapest!;
        var rent = c.Cost.Rent!;
        var perHour = PriceFiles.Embedded.RentsFor(c.Plan.Candidate.Device.Id, Suanli.Cost.RentTerm.OnDemand).Where(r => r.PerDeviceHour.Currency.Code == "USD").Min(r => r.PerDeviceHour.Amount);
        // 365 / 12 days a month.
        var expected = perHour * (decimal)(c.Cost.DeviceHoursPerDay * 365.0 / 12.0);
        Assert.Equal((double)expected, (double)rent.PerMonth.Amount, 6);
        Assert.Equal("rent", c.Cost.Basis);
        Assert.Equal(c.Cost.DevicesPeak, c.Cost.ReplicasPeak * c.Plan.Candidate.DevicesPerReplica);
    }

    [Fact]
    public void A_quality_floor_no_catalog_model_meets_is_a_clear_error()
    {
        const string yaml = """
            candidates: {models: catalog, hardware: [h100]}
            applications:
              - name: oracle
                quality: "MMLU >= 99"
                peak_rate: 1
                input_tokens: 100
                output_tokens: 100
            """;
        var ex = Assert.Throws<InputException>(() => ScenarioFile.ParseSearch(yaml, "test.yaml", CatalogFiles.Embedded));
        Assert.Contains("No candidate model meets MMLU >= 99", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the best is", ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_models_are_every_model_meeting_the_floor_best_first()
    {
        const string yaml = """
            candidates: {models: catalog, hardware: [h100]}
            applications:
              - name: kb
                quality: "MMLU >= 80"
                peak_rate: 1
                input_tokens: 100
                output_tokens: 100
            """;
        var (scenario, settings) = ScenarioFile.ParseSearch(yaml, "test.yaml", CatalogFiles.Embedded);
        Assert.True(settings.CatalogModels);
        var models = scenario.Applications[0].Models;
        Assert.Equal(CatalogFiles.Embedded.Models.Count(m => m.Score("MMLU") >= 80), models.Count);
        Assert.Equal(models.Select(m => m.Score("MMLU")).OrderByDescending(s => s), models.Select(m => m.Score("MMLU")));
    }

    [Fact]
    public void A_space_with_zero_candidates_says_why()
    {
        // Qwen2.5-7B has 28 layers and 28 attention heads: 128 devices need TP 8 (which does not divide 28) or PP 32 and more (more stages than layers).
        var yaml = Small.Replace("devices_per_replica: [1, 2]", "devices_per_replica: [128]", StringComparison.Ordinal).Replace("[qwen2.5-7b, qwen2.5-14b]", "[qwen2.5-7b]", StringComparison.Ordinal);
        var ex = Assert.Throws<InputException>(() => Search(yaml));
        Assert.Contains("zero candidates", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_space_over_the_limit_is_refused_with_the_option_that_raises_it()
    {
        var ex = Assert.Throws<InputException>(() => Search(Small, new ScenarioSearchOptions { MaxCandidates = 5 }));
        Assert.Contains("over the limit of 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--max-candidates", ex.Message, StringComparison.Ordinal);
        var (code, _, err, _) = CliTests.Run("optimize", Example("c2-optimize.yaml"), "--max-candidates", "10");
        Assert.Equal(2, code);
        Assert.Contains("over the limit of 10", err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_candidates_key_names_the_nearest_valid_one()
    {
        var ex = Assert.Throws<InputException>(() => ScenarioFile.ParseSearch(Small.Replace("precisions:", "precision:", StringComparison.Ordinal), "test.yaml", CatalogFiles.Embedded));
        Assert.Contains("precisions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_json_has_the_documented_fields_and_rejects_the_unpriced_kunlun()
    {
        var (code, output, err, _) = CliTests.Run("optimize", Example("c3-optimize.yaml"), "--format", "json", "--today", "2026-11-23");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        foreach (var field in new[] { "scenario", "currency", "costBasis", "candidates", "applications", "assumptions", "findings" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal("CNY", root.GetProperty("currency").GetString());
        var app = root.GetProperty("applications")[0];
        var cheapest = app.GetProperty("cheapest");
        // The plan's fields by group (contract version 3; docs/cli.md lists the version 2 names).
        var groups = new Dictionary<string, string[]>
        {
            ["deployment"] = ["model", "precision", "kvPrecision", "hardware", "tp", "pp", "ep", "devicesPerReplica", "engine", "maxBatch", "commandLine"],
            ["fleet"] = ["replicas", "devices", "deviceHoursPerDay", "utilisation", "devicesRange"],
            ["cost"] = ["perMonth", "basis", "ownPerMonth", "ownUpfront", "rentPerMonth", "perMonthRange"],
            ["capacity"] = ["requestsPerSecond", "concurrency", "limitingTarget", "intervalClass"],
            ["latency"] = ["ttftP90Seconds", "tpotP90Seconds", "floorSeconds", "ttftFloorSeconds", "tpotFloorSeconds", "ttftSeconds", "ttftPercentile", "tpotSeconds", "tpotPercentile"],
        };
        // Null fields are left out: the ranges, the interval's class and the simulated p90s without one, a price that
        // is missing, the quality where no score is published.
        string[] optional = ["devicesRange", "ownPerMonth", "ownUpfront", "rentPerMonth", "perMonthRange", "intervalClass", "ttftP90Seconds", "tpotP90Seconds", "ttftSeconds", "tpotSeconds"];
        Assert.Equal(groups.Keys, cheapest.EnumerateObject().Select(p => p.Name).Where(name => name != "quality"));
        foreach (var (group, fields) in groups)
        {
            var present = cheapest.GetProperty(group).EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(fields.Intersect(present), present);
            Assert.Empty(fields.Except(optional).Except(present));
        }
        var deployment = cheapest.GetProperty("deployment");
        var fleet = cheapest.GetProperty("fleet");
        Assert.Equal(fleet.GetProperty("replicas").GetInt32() * deployment.GetProperty("devicesPerReplica").GetInt32(), fleet.GetProperty("devices").GetInt32());
        Assert.Equal("own", cheapest.GetProperty("cost").GetProperty("basis").GetString());
        Assert.Equal("CNY", cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("currency").GetString());
        Assert.StartsWith("vllm serve THUDM/chatglm2-6b", deployment.GetProperty("commandLine").GetString(), StringComparison.Ordinal);
        Assert.Contains(app.GetProperty("rejected").EnumerateArray(), r => r.GetProperty("code").GetString() == "no-price" && r.GetProperty("family").GetString()!.Contains("kunlunxin-r200", StringComparison.Ordinal));
        var costs = app.GetProperty("frontier").EnumerateArray().Select(f => f.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal()).ToList();
        Assert.Equal(costs.Order(), costs);
        Assert.Equal(cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal(), costs[0]);
        var codes = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Contains("stale-price", codes);
        Assert.Contains("exchange-rate", codes);
        Assert.DoesNotContain("bound-violated", codes);
    }

    [Fact]
    public void Optimize_without_a_scenario_or_flags_says_what_to_give()
    {
        var (code, _, err, _) = CliTests.Run("optimize");
        Assert.Equal(2, code);
        Assert.Contains("Give a scenario file", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_writes_the_frontier_chart_with_out()
    {
        var dir = Path.Combine(Path.GetTempPath(), "suanli-optimize-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, _, err, _) = CliTests.Run("optimize", Example("c3-optimize.yaml"), "--out", dir, "--format", "json");
            Assert.True(code == 0, err);
            Assert.True(new FileInfo(Path.Combine(dir, "frontier.png")).Length > 1000);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    private static string Example(string name) => Path.Combine(PlanTests.RepoRoot(), "examples", name);

    [Fact]
    public void A_deployment_costs_the_same_and_has_the_same_80_percent_range_in_optimize_as_in_plan()
    {
        // One candidate (the plan's own deployment), priced by both commands from the same file. Before, optimize
        // charged owned devices scaled in at idle power (6,733 USD against the plan's 6,697 USD) and its cost range
        // collapsed to the expected cost while its devices ranged from 6 to 8.
        var dir = Directory.CreateTempSubdirectory("suanli-optimize-plan-").FullName;
        var path = Path.Combine(dir, "rag.yaml");
        File.WriteAllText(path, """
            currency: USD
            hardware: h200
            devices_per_replica: 2
            applications:
              - name: rag
                model: openai/gpt-oss-120b
                precision: fp8
                kv_precision: fp8
                peak_rate: 5
                input_tokens: 20000
                output_tokens: 500
                targets: {ttft_p90_s: 3, tpot_p90_s: 0.05}
                profile: office-hours
            """);
        var (planCode, planOut, planErr, _) = CliTests.Run("plan", path, "--format", "json");
        var (optCode, optOut, optErr, _) = CliTests.Run("optimize", path, "--format", "json", "--cost", "own");
        Assert.True(planCode == 0, planErr);
        Assert.True(optCode == 0, optErr);
        using var plan = JsonDocument.Parse(planOut);
        using var optimized = JsonDocument.Parse(optOut);
        var autoscaled = plan.RootElement.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == "autoscaled");
        var planRange = plan.RootElement.GetProperty("range");
        var cheapest = optimized.RootElement.GetProperty("applications")[0].GetProperty("cheapest");
        Assert.Equal(2, cheapest.GetProperty("deployment").GetProperty("tp").GetInt32());
        Assert.Equal(autoscaled.GetProperty("own").GetProperty("perMonth").GetDecimal(),
            cheapest.GetProperty("cost").GetProperty("ownPerMonth").GetProperty("amount").GetDecimal());
        var costRange = cheapest.GetProperty("cost").GetProperty("perMonthRange");
        var devicesRange = cheapest.GetProperty("fleet").GetProperty("devicesRange");
        foreach (var end in new[] { "low", "expected", "high" })
        {
            Assert.Equal(planRange.GetProperty("ownPerMonth").GetProperty(end).GetDecimal(), costRange.GetProperty(end).GetDecimal());
            Assert.Equal(planRange.GetProperty("devices").GetProperty(end).GetInt32(), devicesRange.GetProperty(end).GetInt32());
        }
        // More devices at the pessimistic end cost more: the range is not a point.
        Assert.True(devicesRange.GetProperty("high").GetInt32() > devicesRange.GetProperty("expected").GetInt32());
        Assert.True(costRange.GetProperty("high").GetDecimal() > costRange.GetProperty("expected").GetDecimal());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Optimize_report_headers_and_captions_have_chinese_templates_and_the_frontier_keeps_numbers()
    {
        var result = Search(Small);
        var report = OptimizeReport.Build(result, 5, []);
        var phrases = report.Tables.SelectMany(t => t.Columns.Select(c => c.Header).Append(t.Caption)
            .Concat(t.Rows.SelectMany(r => r).Select(c => c.Phrase).OfType<Suanli.Text.Phrase>().Where(p => p.Key != ""))).ToList();
        Assert.All(phrases, p => Assert.True(Suanli.Text.Languages.Chinese.Templates.ContainsKey(p.Key), $"'{p.English}' has no Chinese template (key '{p.Key}')"));
        var frontier = report.Tables.Single(t => t.Caption.Key == "table.frontier");
        var best = result.Applications[0].Frontier[0];
        Assert.Equal(best.Cost.DevicesPeak, frontier.Rows[0][5].Value);
        Assert.Equal(best.Cost.PerMonth.Round(), frontier.Rows[0][6].Amount);
        var zh = ReportText.Markdown(report, Suanli.Text.Languages.Chinese);
        Assert.Contains("| 字段 | 数值 |", zh, StringComparison.Ordinal);
        Assert.Contains("| 模型 | 精度 | 设备 | 布局 | 引擎 | 峰值设备数 | 每月 | 80% 区间 | 计价依据 | 质量 | 延迟下限 |", zh, StringComparison.Ordinal);
    }
}
