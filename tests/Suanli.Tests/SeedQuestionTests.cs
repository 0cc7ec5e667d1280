using System.Text.Json;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The questions of the founding articles that needed new inputs: a training deadline (C4), demand from user counts
/// (C5) and a model of a hypothetical size (C2's "a 200B model costs 2.7x more").
/// </summary>
public class SeedQuestionTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static double Counted(ModelEntry m) => ParameterCount.Of(m.Architecture).Total(m.Architecture);

    [Fact]
    public void Deadline_gives_the_fewest_devices_whose_time_fits_at_the_fitted_mfu()
    {
        // A job of 99.5 device-days at the fitted MFU of small clusters (0.47, bf16): within 10 days it needs
        // ceil(99.5 / 10) = 10 devices; 9 would take 99.5 / 9 = 11.06 days.
        var probe = Json("train", "--model", "llama-2-7b", "--tokens", "1B", "--hardware", "h100", "--devices", "8");
        var peak = probe.GetProperty("compute").GetProperty("peakTflopsPerDevice").GetDouble() * 1e12;
        Assert.Equal(0.47, probe.GetProperty("compute").GetProperty("mfu").GetDouble(), 6);
        var flops = (99.5 * 86_400 * peak * 0.47).ToString("E6", System.Globalization.CultureInfo.InvariantCulture);
        var root = Json("train", "--model", "llama-2-7b", "--flops", flops, "--hardware", "h100", "--days", "10");
        Assert.Equal(10, root.GetProperty("inputs").GetProperty("devices").GetInt32());
        Assert.Equal(9.95, root.GetProperty("time").GetProperty("days").GetDouble(), 3);
        Assert.Equal(99.5 * 24, root.GetProperty("time").GetProperty("gpuHours").GetDouble(), 1); // 99.5 device-days = 2,388 device-hours
        var deadline = root.GetProperty("deadline");
        Assert.Equal(10, deadline.GetProperty("devicesByTime").GetInt32());
        Assert.Equal(10, deadline.GetProperty("devices").GetInt32());
        Assert.Equal(0.05, deadline.GetProperty("slackDays").GetDouble(), 3);
        Assert.True(deadline.GetProperty("devicesByMemory").GetInt32() <= 10);
        var nine = Json("train", "--model", "llama-2-7b", "--flops", flops, "--hardware", "h100", "--devices", "9");
        Assert.Equal(99.5 / 9, nine.GetProperty("time").GetProperty("days").GetDouble(), 3);
        Assert.True(root.GetProperty("costs").TryGetProperty("rent", out _), "deadline mode prices the cluster it chose");
    }

    [Fact]
    public void Deadline_keeps_a_count_that_a_layout_holds_rather_than_rounding_to_copies()
    {
        // Llama 3 8B on 1T tokens within 30 days on H100 (989 TFLOP/s bf16 dense, MFU 0.47 below 512 devices):
        // trainFlops / (989e12 x 0.47 x 30 x 86,400) = 42.7, so 43 devices by time. The smallest cluster that holds the
        // job is 2 devices (TP=2 at ZeRO-3), and the count was rounded up to copies of 2: 44. On 43 devices TP=1 DP=43
        // with ZeRO-1 holds it (Adam states sharded 43 ways), so 43 is the answer.
        var root = Json("train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30");
        var flops = root.GetProperty("compute").GetProperty("trainFlops").GetDouble();
        Assert.Equal(989, root.GetProperty("compute").GetProperty("peakTflopsPerDevice").GetDouble(), 0);
        Assert.Equal(43, (int)Math.Ceiling(flops / (989e12 * 0.47 * 30 * 86_400)));
        var deadline = root.GetProperty("deadline");
        Assert.Equal(43, deadline.GetProperty("devicesByTime").GetInt32());
        Assert.Equal(2, deadline.GetProperty("devicesByMemory").GetInt32());
        Assert.Equal(43, deadline.GetProperty("devices").GetInt32());
        Assert.Equal(1, deadline.GetProperty("modelParallelGroup").GetInt32());
        var layout = root.GetProperty("layout");
        Assert.Equal((1, 1, 43, 1), (layout.GetProperty("tp").GetInt32(), layout.GetProperty("pp").GetInt32(), layout.GetProperty("dp").GetInt32(), layout.GetProperty("zeroStage").GetInt32()));
        Assert.True(root.GetProperty("time").GetProperty("days").GetDouble() <= 30);

        // The table says which rule chose the count, in both languages.
        var (_, en, _, _) = CliTests.Run("train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30", "--format", "markdown");
        Assert.Contains("| Chosen | 43 | the larger, as it is: TP=1 PP=1 DP=43 ZeRO-1 holds the job; 29.80 days at MFU 47.0 % |", en, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run("train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30", "--format", "markdown", "--lang", "zh");
        Assert.Contains("| 选定 | 43 | 取较大者，不取整：TP=1 PP=1 DP=43 ZeRO-1 放得下该作业；MFU 47.0 % 时需 29.80 天 |", zh, StringComparison.Ordinal);
        // GPT-3 in a day: 29,215 devices by time hold the job on no layout, so the count is rounded up to copies of 16.
        var (_, gpt3, _, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1", "--format", "markdown");
        Assert.Contains("| Chosen | 29,216 | the larger (29,215) holds the job on no layout, so rounded up to a multiple of 16, one model copy (TP x PP) of the smallest cluster that fits;", gpt3, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadline_for_gpt3_in_a_day_counts_the_mfu_lost_at_scale()
    {
        var root = Json("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1");
        var devices = root.GetProperty("inputs").GetProperty("devices").GetInt32();
        var mfu = 0.47 / (1 + 0.03 * Math.Log2(devices / 512.0));
        Assert.Equal(mfu, root.GetProperty("compute").GetProperty("mfu").GetDouble(), 6);
        // 3.15e23 FLOP / (312e12 x MFU x 86,400 s) devices, rounded up to whole model copies of the smallest cluster.
        var byTime = root.GetProperty("deadline").GetProperty("devicesByTime").GetInt32();
        Assert.InRange(3.15e23 / (312e12 * 0.47 / (1 + 0.03 * Math.Log2(byTime / 512.0)) * 86_400), byTime - 1, byTime);
        Assert.True(root.GetProperty("time").GetProperty("days").GetDouble() <= 1);
        Assert.Equal(0, devices % root.GetProperty("deadline").GetProperty("modelParallelGroup").GetInt32());
        Assert.InRange(devices, 25_000, 35_000);
    }

    [Fact]
    public void An_unmet_deadline_is_one_line_with_the_fastest_time_and_the_devices_it_would_need()
    {
        // 1,000,000 A100s at MFU 0.47 / (1 + 0.03 x log2(1e6 / 512)) = 0.354: 3.15e23 / (312e12 x 1e6 x 0.354) = 2,853 s = 0.033 days.
        var (code, _, err, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "0.01");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("the fastest is 0.033 days", err, StringComparison.Ordinal);
        Assert.Contains("devices at the fitted MFU", err, StringComparison.Ordinal);
        Assert.Contains("--days", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--devices", "64", "not both")]
    [InlineData("--tp", "8", "drop --tp")]
    [InlineData("--budget-usd", "1e6", "not --budget-usd")]
    public void Days_with_a_fixed_cluster_is_refused(string option, string value, string says)
    {
        string[] job = option == "--budget-usd" ? [] : ["--tokens", "1T"];
        var (code, _, err, _) = CliTests.Run(["train", "--model", "llama-2-7b", "--hardware", "h100", "--days", "5", option, value, .. job]);
        Assert.Equal(2, code);
        Assert.Contains(says, err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_generic_shape_rule_matches_the_published_families_it_cites()
    {
        var catalog = CatalogFiles.Embedded;
        foreach (var id in new[] { "gpt-3-175b", "llama-2-7b", "llama-2-13b", "llama-3.1-405b" })
        {
            var a = catalog.Model(id).Architecture;
            Assert.InRange(a.HiddenSize / (double)a.Layers, 125, 131);
            Assert.Equal(GenericModel.HeadDim, a.HeadDim);
        }
        var llama3 = catalog.Model("meta-llama/Meta-Llama-3-70B").Architecture;
        Assert.Equal(GenericModel.MlpRatio, llama3.IntermediateSize / (double)llama3.HiddenSize);
        Assert.Equal((GenericModel.KvHeads, GenericModel.Vocabulary), (llama3.KvHeads, llama3.VocabSize));
    }

    [Theory]
    [InlineData("dense:200b", 200e9)]
    [InlineData("dense:7b", 7e9)]
    [InlineData("DENSE:1.5T", 1.5e12)]
    public void A_dense_model_by_size_counts_that_size_with_a_width_near_128_times_its_depth(string name, double size)
    {
        var m = CatalogFiles.Embedded.Model(name);
        var a = m.Architecture;
        Assert.InRange(Counted(m) / size, 0.98, 1.02); // the layer count is whole
        Assert.InRange(a.HiddenSize / (double)a.Layers, 100, 165);
        Assert.Equal(0, a.Heads % 8); // splits over 8 GPUs with tensor parallelism
        Assert.Equal("generic", m.ConfigKind);
        Assert.NotNull(GenericModel.Assumption(m));
        Assert.Null(GenericModel.Assumption(CatalogFiles.Embedded.Model("llama-2-7b")));
    }

    [Fact]
    public void A_moe_model_by_size_counts_its_total_and_active_parameters()
    {
        var m = CatalogFiles.Embedded.Model("moe:671b-a37b");
        var a = m.Architecture;
        var count = ParameterCount.Of(a);
        Assert.InRange(count.Total(a) / 671e9, 0.99, 1.01);
        Assert.InRange(count.Active(a) / 37e9, 0.97, 1.03);
        Assert.Equal(GenericModel.ActiveExperts, a.Moe!.ActiveExperts);
    }

    [Theory]
    [InlineData("dense:0.1b", "from 0.5B to 20T")]
    [InlineData("dense:foo", "not a size")]
    [InlineData("moe:37b-a671b", "exceed the total")]
    [InlineData("moe:671b", "moe:TOTAL-aACTIVE")]
    public void A_bad_generic_size_is_one_located_error(string name, string says)
    {
        var (code, _, err, _) = CliTests.Run("memory", "--model", name);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(says, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_and_plan_say_a_generic_model_is_an_assumption()
    {
        var train = Json("train", "--model", "dense:200b", "--tokens", "4T", "--hardware", "h100", "--days", "60");
        Assert.Contains(train.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "generic-model");
        var plan = Json("plan", Path.Combine(PlanTests.RepoRoot(), "examples", "c2-knowledge-base-200b.yaml"));
        Assert.Contains(plan.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "generic-model");
    }

    private const string UsersApp = """
        hardware: a100-80gb
        applications:
          - name: chat
            model: qwen2.5-7b
            users: {USERS}
            input_tokens: 500
            output_tokens: 200
            profile: PROFILE
        """;

    private static Suanli.Plan.Scenario Users(string users, string profile = "flat") =>
        ScenarioFile.Parse(UsersApp.Replace("{USERS}", users, StringComparison.Ordinal).Replace("PROFILE", profile, StringComparison.Ordinal), "s.yaml", CatalogFiles.Embedded);

    [Fact]
    public void Users_give_the_peak_rate_as_requests_a_day_over_the_profile_mean()
    {
        // 8,640,000 users x 1 request a day / 86,400 s = 100 requests/s, all day on the flat profile.
        var flat = Users("{daily_active: 8640000, requests_per_user_per_day: 1}");
        var app = flat.Applications[0];
        Assert.Equal(Suanli.Fleet.DemandKind.Rate, app.Kind);
        Assert.Equal(100, app.Peak, 9);
        Assert.Contains(flat.Assumptions, a => a.English.Contains("chat.peak_rate = 8,640,000 daily active users", StringComparison.Ordinal));
        // Registered users x the daily active share give the same daily users.
        Assert.Equal(100, Users("{registered: 86400000, daily_active_share: 0.1, requests_per_user_per_day: 1}").Applications[0].Peak, 9);
        // Seed case C5: 13e6 x 5 = 65e6 requests a day on the consumer-evening profile (mean 0.51): 1,475 requests/s.
        var evening = Users("{daily_active: 13e6, requests_per_user_per_day: 5}", "consumer-evening").Applications[0];
        Assert.Equal(65e6 / 86_400 / evening.Profile.Mean, evening.Peak, 6);
        Assert.InRange(evening.Peak, 1470, 1480);
        // The day's hourly loads add up to the requests a day.
        Assert.Equal(65e6, evening.Profile.Hours.Sum(h => evening.Peak * h * 3600), 0);
    }

    [Theory]
    [InlineData("{daily_active: 13e6}", "requests_per_user_per_day")]
    [InlineData("{registered: 500e6, requests_per_user_per_day: 5}", "daily_active_share")]
    [InlineData("{requests_per_user_per_day: 5}", "daily_active")]
    [InlineData("{daily_active: 13e6, requests_per_user_per_day: 0}", "requests_per_user_per_day")]
    public void A_user_count_missing_its_rate_is_an_error_naming_the_field(string users, string field)
    {
        var ex = Assert.ThrowsAny<InputException>(() => Users(users));
        Assert.Contains(field, ex.Field, StringComparison.Ordinal);
        Assert.Contains("s.yaml:5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_answer_the_200b_ratio_the_one_day_gpt3_fleet_and_c5_from_users()
    {
        var (code, output, err, _) = CliTests.Run("cases", "--format", "json");
        Assert.True(code == 0, err);
        var json = JsonSerializer.Deserialize<CasesJson>(output, ReportText.JsonOptions)!;
        CaseQuestionJson Q(string id) => json.Cases.SelectMany(c => c.Questions).Single(q => q.Id == id);
        Assert.True(Q("C2.4").Suanli.Value > 1, "a 200B model costs more than the 72B one");
        Assert.Contains("dense-200b", Q("C2.4").Suanli.Answer, StringComparison.Ordinal);
        var oneDay = Json("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "nvidia-a100-sxm4-80gb", "--days", "1");
        Assert.Equal(oneDay.GetProperty("inputs").GetProperty("devices").GetInt32(), Q("C4.1").Suanli.Value);
        Assert.Contains("--days 1", Q("C4.1").Suanli.Command, StringComparison.Ordinal);
        Assert.Contains("13,000,000 daily active x 5 requests a day", Q("C5.1").Suanli.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_json_shows_the_user_counts_behind_a_derived_peak()
    {
        var plan = Json("plan", Path.Combine(PlanTests.RepoRoot(), "examples", "c5-consumer-chatbot.yaml"));
        var demand = plan.GetProperty("applications")[0].GetProperty("demand");
        var users = demand.GetProperty("users");
        Assert.Equal(13e6, users.GetProperty("dailyActive").GetDouble());
        Assert.Equal(65e6, users.GetProperty("requestsPerDay").GetDouble());
        Assert.Equal(65e6 / 86_400 / users.GetProperty("profileMean").GetDouble(), demand.GetProperty("peak").GetDouble(), 6);
        Assert.Contains(plan.GetProperty("assumptions").EnumerateArray(), a => a.GetString()!.Contains("chatbot.peak_rate = 13,000,000 daily active users x 5 requests a day", StringComparison.Ordinal));
        Assert.Contains(plan.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "users-demand");
    }
}
