using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>What an article said: its figure as a number range with a unit (null where it gave none), the words it used, and where.</summary>
/// <param name="Figure">The figure as the article states it, e.g. "0.387 GPU".</param>
/// <param name="Low">Its lower (or only) value in <paramref name="Unit"/>; null where the article gave no number.</param>
/// <param name="High">Its upper value for a range; null for a single value.</param>
/// <param name="Unit">Unit of the values, e.g. "A100s", "FLOP", "CNY".</param>
/// <param name="Quote">The article's words (or figure) as recorded in docs/seed-cases.md.</param>
/// <param name="Source">Article title and seed case.</param>
public sealed record ArticleFigureJson(string Figure, double? Low, double? High, string Unit, string Quote, string Source);

/// <summary>The article's own method applied to the article's own inputs, and whether its arithmetic holds.</summary>
/// <param name="Method">The formula with the article's inputs.</param>
/// <param name="Value">What the formula gives, in <paramref name="Unit"/>; null where the article states no method.</param>
/// <param name="Unit">Unit of <paramref name="Value"/>.</param>
/// <param name="Check">"holds", or what is wrong with the arithmetic.</param>
public sealed record ArticleMethodJson(string Method, double? Value, string Unit, string Check);

/// <summary>Suanli's answer for the same question, from the functions the named command uses.</summary>
/// <param name="Value">The answer in <paramref name="Unit"/>; null where Suanli has no command for the question yet.</param>
/// <param name="Unit">Unit of <paramref name="Value"/>.</param>
/// <param name="Answer">The answer in words, with the inputs that matter.</param>
/// <param name="Command">The command that prints it.</param>
/// <param name="WhyItDiffers">Why Suanli's answer differs from the article's.</param>
public sealed record SuanliAnswerJson(double? Value, string Unit, string Answer, string Command, string WhyItDiffers);

/// <summary>One question of a seed case with the article's figure, the article's method re-computed, and Suanli's answer, each under its own name.</summary>
public sealed record CaseQuestionJson(string Id, string Question, ArticleFigureJson ArticleFigure, ArticleMethodJson ArticleMethod, SuanliAnswerJson Suanli);

/// <summary>One seed case: id (C1-C8), title, the article, its questions.</summary>
public sealed record CaseJson(string Id, string Title, string Article, IReadOnlyList<CaseQuestionJson> Questions);

/// <summary><c>suanli cases --format json</c>: every question of the founding articles (docs/seed-cases.md) with three answers each.</summary>
public sealed record CasesJson(IReadOnlyList<CaseJson> Cases) : ReportDocument;

/// <summary>
/// The seed-case report (<c>suanli cases</c>, written to docs/cases.md): for each question of the five founding
/// articles, the article's figure, the article's stated method applied to the article's inputs (with its arithmetic
/// checked), and Suanli's answer from the functions <c>plan</c>, <c>compare</c>, <c>memory</c> and <c>train</c> use.
/// Every article input below is from docs/seed-cases.md.
/// </summary>
public static class CasesReport
{
    private const string ArticleMemory = "\"大模型 vs 越来越大的模型\"";
    private const string ArticleCompute = "\"一个人工智能大模型应用的算力成本有多高?\" (2023)";
    private const string ArticleCost = "\"直面大模型'大成本'挑战\"";
    private const string ArticleEcosystem = "\"如何借助大语言模型打造人工智能生态系统\"";
    private const string ArticleSmall = "\"不是大模型用不起,而是小模型更有性价比\"";

    /// <summary>The article's A100 price (seed case C3), CNY per card.</summary>
    public const double ArticleA100Cny = 100_000;
    /// <summary>The article's A100 INT8 peak (seed case C3), operations per second.</summary>
    public const double ArticleA100Ops = 624e12;
    /// <summary>The article's MLU370 INT8 peak (seed case C3; the X4 card's figure), operations per second.</summary>
    public const double ArticleMlu370Ops = 256e12;
    /// <summary>The article's MLU370 price (seed case C3), CNY per card.</summary>
    public const double ArticleMlu370Cny = 14_600;

    // Prices are only read, never judged stale here, so the report does not change with the clock.
    private static readonly DateOnly CaseDay = new(2026, 1, 1);

    /// <summary>Case ids in order.</summary>
    public static IReadOnlyList<string> Ids { get; } = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"];

    /// <summary>Builds the report; <paramref name="only"/> keeps one case (C1-C8), null keeps all.</summary>
    public static Report Run(SuanliCatalog catalog, PriceBook book, IStepTimeModel stepModel, CapacityProvider capacity, string? only = null)
    {
        if (only is not null && !Ids.Contains(only.ToUpperInvariant()))
        {
            throw new InputException(FieldNames.Case, Phrase.Of("case-unknown", "{case} must be one of {ids}; got '{value}'.", ("case", FieldNames.Case), ("ids", PhraseList.Words(Ids)), ("value", InputEcho.Clip(only))));
        }
        var today = CaseDay;
        var builders = new Dictionary<string, Func<CaseJson>>
        {
            ["C1"] = () => C1(catalog, book, capacity, today),
            ["C2"] = () => C2(catalog, book, capacity, today),
            ["C3"] = () => C3(catalog, book, stepModel),
            ["C4"] = () => C4(catalog, stepModel),
            ["C5"] = () => C5(catalog, book, capacity, today),
            ["C6"] = () => C6(catalog, stepModel),
            ["C7"] = () => C7(catalog, book, capacity, today),
            ["C8"] = () => C8(catalog, book, stepModel),
        };
        var cases = Ids.Where(id => only is null || id.Equals(only, StringComparison.OrdinalIgnoreCase)).Select(id => builders[id]()).ToList();
        var tables = cases.Select(c => new ReportTable(Phrase.Of("table.case", "{id} {title} (article: {article})", ("id", c.Id), ("title", c.Title), ("article", c.Article)),
            [
                new(Phrase.Of("col.question", "Question")), new(Phrase.Of("col.article-figure", "Article's figure")),
                new(Phrase.Of("col.article-method", "Article's method on the article's inputs")), new(Phrase.Of("col.suanli-same-inputs", "Suanli on the same inputs")),
                new(Phrase.Of("col.why-differ", "Why they differ")), new(Phrase.Of("col.command", "Command")),
            ],
            [.. c.Questions.Select(q => (IReadOnlyList<ReportCell>)[
                ReportCell.Text(q.Question),
                ReportCell.Text($"{q.ArticleFigure.Figure} (\"{q.ArticleFigure.Quote}\", {q.ArticleFigure.Source})"),
                ReportCell.Text($"{q.ArticleMethod.Method}; {q.ArticleMethod.Check}"),
                ReportCell.Text(q.Suanli.Answer),
                ReportCell.Text(q.Suanli.WhyItDiffers),
                ReportCell.Text(q.Suanli.Command)])])).ToList();
        var findings = new List<Finding>
        {
            Finding.Info("cases-source", "Article inputs and figures are from docs/seed-cases.md; Suanli's answers come from the same functions as the command named on each row, so they move with the catalog and the models and docs/cases.md is regenerated by 'suanli cases --format markdown'."),
        };
        return new Report(Phrase.Of("report.cases", "Seed cases: each article's figure, its method re-computed, and Suanli's answer"), new CasesJson(cases), tables, findings);
    }

    private static Scenario Example(SuanliCatalog catalog, string name) =>
        ScenarioFile.Parse(CatalogFiles.ReadEmbedded($"examples/{name}"), $"examples/{name}", catalog);

    private static (PlanResult Plan, PlanPricing Pricing, IReadOnlyList<StrategyCost> Costs) Plan(SuanliCatalog catalog, string example, PriceBook book, CapacityProvider capacity, DateOnly today)
    {
        var priced = PricedPlanner.Run(Example(catalog, example), capacity, book, today);
        return (priced.Plan, priced.Pricing, priced.Costs);
    }

    private static CaseQuestionJson Q(string id, string question, ArticleFigureJson figure, ArticleMethodJson method, SuanliAnswerJson suanli) =>
        new(id, question, figure, method, suanli);

    private static CaseJson C1(SuanliCatalog catalog, PriceBook book, CapacityProvider capacity, DateOnly today)
    {
        var planned = Plan(catalog, "c2-knowledge-base.yaml", book, capacity, today).Plan.Applications[0].Deployment.Layout;
        var model = catalog.Model("Qwen/Qwen2-72B");
        var a100 = catalog.Device("nvidia-a100-sxm4-80gb");
        var s = Example(catalog, "c1-72b-on-a100.yaml");
        var app = s.Applications[0];
        var context = (int)Math.Ceiling(app.InputTokens + app.OutputTokens);
        var request = new FootprintRequest(model, NumberFormat.Bf16, NumberFormat.Bf16, context, 1, RuntimeReserve.Default);
        var estimate = MemoryModel.Estimate(request);
        var rule = MemoryModel.RuleOfThumb(72e9, NumberFormat.Bf16);
        var ruleDevices = Math.Ceiling(rule.InGigabytes / 80);
        var layouts = Planner.CandidateLayouts(request, a100, null, 8);
        var tp = layouts.FirstOrDefault(l => l.Pp == 1);
        var kvPerToken = MemoryModel.KvBytesPerToken(model.Architecture, NumberFormat.Bf16);
        return new CaseJson("C1", "Memory for a 72B model", ArticleMemory,
        [
            Q("C1.1", "How many A100-80G does a 72B model in BF16 need for inference?",
                new ArticleFigureJson("at least 3 A100-80G", 3, null, "A100-80G", "72亿 (a slip for 720亿) parameters x 2 bytes = 144 GB -> x 1.2 = 172.8 GB -> at least 3 A100-80G", $"{ArticleMemory}, seed case C1"),
                new ArticleMethodJson($"1.2 x 72e9 parameters x 2 bytes = {Show.N(rule.InGigabytes, 1)} GB; ceil({Show.N(rule.InGigabytes, 1)} / 80 GB) = {ruleDevices}", ruleDevices, "A100-80G", "holds"),
                new SuanliAnswerJson(tp?.Devices, "A100-80G",
                    $"{model.Id} weights {Show.Bytes(estimate.Weights)}, KV cache {Show.N(kvPerToken.Value / 1024, 0)} KiB per token, itemised total {Show.Bytes(estimate.Total)} for one {Show.N(context)}-token request: "
                    + (tp is null ? "no tensor-parallel layout fits" : $"{tp.Devices} x A100-80G hold it as TP={tp.Tp} (the fewest that fit); for throughput plan (examples/c2-knowledge-base.yaml) takes {planned.Devices} ({planned}), the layout that carries the most requests per device"),
                    $"suanli memory --model Qwen/Qwen2-72B --hardware nvidia-a100-sxm4-80gb --context {context}",
                    $"the 1.2 x weights rule is a flat margin: one short request needs less, a long context or a batch needs more (KV cache grows with both); and {model.Architecture.Heads} query heads do not split over 3 GPUs with tensor parallelism, so 3 cards work only as pipeline stages (examples/c1-72b-on-a100.yaml)")),
        ]);
    }

    private static CaseJson C2(SuanliCatalog catalog, PriceBook book, CapacityProvider capacity, DateOnly today)
    {
        var kb = Plan(catalog, "c2-knowledge-base.yaml", book, capacity, today).Plan.Applications[0];
        var call = Plan(catalog, "c2-call-intent-7b.yaml", book, capacity, today).Plan.Applications[0];
        var both = Plan(catalog, "c2-two-applications.yaml", book, capacity, today).Plan;
        var staticBoth = both.Fleet.Of(Strategy.Static);
        var pooled = both.Fleet.Of(Strategy.Pooled);
        var source = $"{ArticleMemory}, seed case C2";
        var kbApp = both.Applications[0];
        var callApp = both.Applications.Count > 1 ? both.Applications[1] : both.Applications[0];
        return new CaseJson("C2", "Two enterprise applications and their utilisation", ArticleMemory,
        [
            Q("C2.1", "Knowledge-base RAG, 50 peak concurrent requests on a 72B model: how many A100-80G?",
                new ArticleFigureJson("150-300 A100-80G", 150, 300, "A100-80G", "5,000 people, 1% concurrency = 50 peak concurrent requests, 72B model: 150-300 A100-80G", source),
                new ArticleMethodJson($"one model copy per concurrent request x devices per copy by the 1.2 x weights rule = {kb.ArticleCopies} x {kb.ArticleDevicesPerCopy}", kb.ArticleDevices, "A100-80G",
                    "gives the lower end (150); the article does not say how it reaches 300"),
                new SuanliAnswerJson(kb.DevicesPeak, "A100-80G",
                    $"{Show.N(kb.DevicesPeak)} x A100-80G at the peak hour ({kb.ReplicasPeak} replica(s) of {kb.Deployment.Layout.Devices} devices, {Show.Sig(kb.Capacity.MaxConcurrency)} requests in flight each, limited by {kb.Capacity.LimitingTarget}); {Show.N(kb.UtilisationAverage * 100, 0)}% average utilisation",
                    "suanli plan examples/c2-knowledge-base.yaml",
                    "continuous batching serves many requests on one model copy; the article gives every concurrent request its own copy")),
            Q("C2.2", "Outbound-call intent recognition, 1,000 peak concurrent calls: how many A100-80G?",
                new ArticleFigureJson("600-900 A100-80G", 600, 900, "A100-80G", "1,000 peak concurrent calls, long input, short output, 200-300 ms per response: 600-900 A100-80G", source),
                new ArticleMethodJson("not stated (600-900 devices for 1,000 concurrent calls is 0.6-0.9 A100 per call)", null, "A100-80G", "no arithmetic to check"),
                new SuanliAnswerJson(call.DevicesPeak, "A100-80G",
                    $"{Show.N(call.DevicesPeak)} x A100-80G at the peak hour for {Show.N(call.Application.Peak)} requests/s (1,000 calls, one turn every 5 s) on {call.Deployment.Model.Id}, {Show.Sig(call.Capacity.MaxRequestsPerSecond)} requests/s per replica",
                    "suanli plan examples/c2-call-intent-7b.yaml",
                    "a 7B model sized for the task batches many short-output calls per device; on the 72B model (examples/c2-two-applications.yaml) the same load needs " + Show.N(callApp.DevicesPeak) + " devices")),
            Q("C2.3", "Average utilisation of a cluster sized for the peak",
                new ArticleFigureJson("20-30% (knowledge base) and 5-10% (call intent)", 20, 30, "% average utilisation", "knowledge base 20-30%, outbound calls 5-10% average utilisation", source),
                new ArticleMethodJson("measured or claimed, not computed", null, "%", "no arithmetic to check"),
                new SuanliAnswerJson(Math.Round(staticBoth.Utilisation * 100), "% average utilisation",
                    $"static peak sizing of both applications: {Show.N(staticBoth.Utilisation * 100, 0)}% average utilisation ({kbApp.Application.Name} {Show.N(kbApp.UtilisationAverage * 100, 0)}%, {callApp.Application.Name} {Show.N(callApp.UtilisationAverage * 100, 0)}%); pooled on one cluster {Show.N(pooled.Utilisation * 100, 0)}% with {Show.N(pooled.DevicesPeak)} devices at the peak vs {Show.N(staticBoth.DevicesPeak)}",
                    "suanli plan examples/c2-two-applications.yaml",
                    "utilisation here is busy replica-hours over provisioned replica-hours from the traffic profiles assumed in the example; the article's figures are observations")),
            Q("C2.4", "A 200B model instead of 72B: how much more does it cost?",
                new ArticleFigureJson("2.7x", 2.7, null, "x the 72B cost", "a 200B model costs 2.7x more", source),
                new ArticleMethodJson("cost in proportion to parameters: 200 / 72 = " + Show.N(200.0 / 72, 2), 200.0 / 72, "x", "about right for the rule (2.78, written 2.7)"),
                SizeRatio(catalog, book, capacity, today)),
        ]);
    }

    /// <summary>C2.4: the knowledge base on a generic 200B dense model against the same application on Qwen2-72B, by the monthly cost of each plan's recommended strategy.</summary>
    private static SuanliAnswerJson SizeRatio(SuanliCatalog catalog, PriceBook book, CapacityProvider capacity, DateOnly today)
    {
        var small = Plan(catalog, "c2-knowledge-base.yaml", book, capacity, today);
        var big = Plan(catalog, "c2-knowledge-base-200b.yaml", book, capacity, today);
        var smallApp = small.Plan.Applications[0];
        var bigApp = big.Plan.Applications[0];
        var model = bigApp.Deployment.Model;
        var a = model.Architecture;
        var counted = ParameterCount.Of(a).Total(a);
        // Both plans priced the same way: owned when both can be bought, else rented.
        var smallCost = small.Costs.FirstOrDefault(c => c.Strategy == small.Plan.Fleet.Recommended);
        var bigCost = big.Costs.FirstOrDefault(c => c.Strategy == big.Plan.Fleet.Recommended);
        var own = smallCost?.Own is not null && bigCost?.Own is not null;
        var smallMonth = own ? smallCost!.Own!.PerMonth : smallCost?.Rent?.PerMonth;
        var bigMonth = own ? bigCost!.Own!.PerMonth : bigCost?.Rent?.PerMonth;
        double? ratio = smallMonth is { } sm && bigMonth is { } bm && sm.Amount > 0 ? Math.Round((double)(bm.Amount / sm.Amount), 2) : null;
        return new SuanliAnswerJson(ratio, "x the 72B cost",
            $"{model.Id} (a generic model by the shape rule: {a.Layers} layers, hidden {Show.N(a.HiddenSize)}, {Show.N(counted / 1e9, 1)}B parameters counted) needs {Show.N(bigApp.DevicesPeak)} x A100-80G at the peak ({bigApp.ReplicasPeak} replica(s) of {bigApp.Deployment.Layout.Devices}) against {Show.N(smallApp.DevicesPeak)} for {smallApp.Deployment.Model.Id} ({smallApp.ReplicasPeak} of {smallApp.Deployment.Layout.Devices}); "
            + (ratio is { } r && smallMonth is { } m72 && bigMonth is { } m200
                ? $"{(own ? "owned" : "rented")}, {big.Plan.Fleet.Recommended.ToString().ToLowerInvariant()} sizing: {Show.Money(m200.Round())} against {Show.Money(m72.Round())} a month = {Show.N(r, 2)}x"
                : "no price to compare them"),
            "suanli plan examples/c2-knowledge-base-200b.yaml (against suanli plan examples/c2-knowledge-base.yaml)",
            "the 200B model needs more devices per copy (weights) and streams more bytes per token, so each copy serves fewer requests at the same latency target; devices come in whole replicas, so the ratio moves in steps rather than with the parameter count");
    }

    private static CaseJson C3(SuanliCatalog catalog, PriceBook book, IStepTimeModel stepModel)
    {
        const double inputTokens = 50, outputTokens = 1000, width = 1280, layers = 96;
        var length = inputTokens + outputTokens;
        var articleFlops = length * width * layers;
        const double requestsPerHour = 1000 * 3600 / 3.0;
        var gpus = 1.28e8 * requestsPerHour / ArticleA100Ops; // FLOPs per hour over FLOP per second, as the article did
        var consistent = 1.28e8 * (requestsPerHour / 3600) / ArticleA100Ops;
        var headroom = gpus * 1.2;
        var source = $"{ArticleCompute}, seed case C3";
        var gpt3 = catalog.Model("gpt-3-175b");
        var parameters = gpt3.PublishedParameters ?? MemoryModel.Estimate(new FootprintRequest(gpt3, NumberFormat.Bf16, NumberFormat.Bf16, (int)length, 1, RuntimeReserve.Default)).Parameters;
        var groundedFlops = 2 * parameters * length;

        // Suanli: the same replica search and fleet rule as 'suanli compare' (examples/c3-accelerator-cost/README.md's command).
        var model = catalog.Model("chatglm2-6b");
        var rate = requestsPerHour / 3600;
        var workload = new MonthlyVolume(rate * (double)CostCalendar.HoursPerMonth * 3600, 67, 1333);
        var service = new ServiceTarget("compare", rate, 67, 1333, Duration.FromSeconds(2), Duration.FromSeconds(0.1));
        var sized = new List<(Device Device, int Devices, double PerReplica)>();
        foreach (var id in new[] { "nvidia-a100-sxm4-80gb", "cambricon-mlu370-x8", "cambricon-mlu370-x4" })
        {
            var d = catalog.Device(id);
            var (pick, _) = SelfHosting.Planned(model, NumberFormat.Int8, NumberFormat.KvFor(NumberFormat.Int8, null), d, 0, service, FleetPlanner.CatalogServer(catalog, d, Rack.Default),
                SimulatedReplicaCapacity.Provider(stepModel), SimulatedReplicaCapacity.Bound(stepModel));
            if (pick is not null)
            {
                var perReplica = pick.Capacity.MaxRequestsPerSecond;
                sized.Add((d, SelfHosted.Replicas(workload, perReplica, 1) * pick.Deployment.Layout.Devices, perReplica));
            }
        }
        string Fleet() => string.Join("; ", sized.Select(x => $"{Show.N(x.Devices)} x {x.Device.Id} ({Show.Sig(x.PerReplica)} requests/s per replica)"));
        var a100 = sized.FirstOrDefault(x => x.Device.Id == "nvidia-a100-sxm4-80gb");
        var mlu = sized.FirstOrDefault(x => x.Device.Id == "cambricon-mlu370-x4");
        var (_, compare) = CompareRun.Run(new CompareInputs
        {
            RequestsPerMonth = workload.RequestsPerMonth, InputTokens = 67, OutputTokens = 1333, Models = ["chatglm2-6b"], Precision = "int8",
            Hardware = ["nvidia-a100-sxm4-80gb", "cambricon-mlu370-x8"], SelfHost = "buy", Pricing = new() { Currency = "CNY", Tariff = "CN-industrial-average" }, Today = new DateOnly(2026, 1, 1),
        }, book, catalog, stepModel);
        var options = ((CompareJson)compare.Json).Options;
        var a100Buy = options.FirstOrDefault(o => o.Option.Contains("nvidia-a100", StringComparison.Ordinal));
        var compareCommand = "suanli compare --requests-per-month 876M --input 67 --output 1333 --model chatglm2-6b --precision int8 --hardware nvidia-a100-sxm4-80gb,cambricon-mlu370-x8,cambricon-mlu370-x4 --self-host buy --currency CNY --tariff CN-industrial-average";
        var decode = "decode streams the weights and KV cache for every output token, so memory bandwidth, not INT8 TOPS, sets the speed, and the work per request is about 2 x parameters FLOPs per token, not L x D x N";
        return new CaseJson("C3", "Compute per request and the GPU budget", ArticleCompute,
        [
            Q("C3.1", "FLOPs for one request (50-word question, 1,000-word answer)",
                new ArticleFigureJson("1.28e8 FLOPs", 1.28e8, null, "FLOP", "FLOPs ≈ L x D x N = 1050 x 1280 x 96 ≈ 1.28e8", source),
                new ArticleMethodJson($"L x D x N = {Show.N(length)} x {Show.N(width)} x {Show.N(layers)} = {articleFlops:0.###e0}", articleFlops, "FLOP", "the product holds (1.29e8, written 1.28e8); the formula does not: it leaves out the weight matrices"),
                new SuanliAnswerJson(groundedFlops, "FLOP",
                    $"2 x {parameters:0.##e0} parameters ({gpt3.Id}) x {Show.N(length)} tokens = {groundedFlops:0.##e0} FLOP, {Show.N(groundedFlops / articleFlops, 0)} times the article's",
                    "suanli train --model gpt-3-175b (FLOP per token: 2N forward, 6N training; docs/methodology-training.md)",
                    "a forward pass multiplies every weight once per token: about 2 x parameters FLOPs per token plus attention")),
            Q("C3.2", "GPUs for 1,000 users each sending a request every 3 s (1.2e6 requests per hour)",
                new ArticleFigureJson("0.387 GPU", 0.387, null, "A100", "0.25 GPU, +20% cluster overhead -> 0.387 GPU", source),
                new ArticleMethodJson($"1.28e8 FLOPs x 1.2e6 requests per hour / 624e12 INT8 OPS = {Show.N(gpus, 3)}; x 1.2 for 20% headroom = {Show.N(headroom, 3)}", headroom, "A100",
                    $"0.25 x 1.2 is {Show.N(0.25 * 1.2, 2)}, not 0.387; and the 0.25 divides FLOPs per hour by operations per second: in the same units the article's own formula gives {consistent:0.##e0} GPU"),
                new SuanliAnswerJson(a100.Devices > 0 ? a100.Devices : null, "A100",
                    $"ChatGLM2-6B INT8, 67 prompt and 1,333 output tokens, decode step under 100 ms: {Fleet()}",
                    compareCommand, decode)),
            Q("C3.3", "What those GPUs cost at ¥100,000 per A100",
                new ArticleFigureJson("¥38,700", 38_700, null, "CNY", "0.387 x ¥100,000 = ¥38,700", source),
                new ArticleMethodJson($"0.387 GPU x ¥100,000 = ¥{Show.N(0.387 * ArticleA100Cny, 0)}", 0.387 * ArticleA100Cny, "CNY", $"the product holds; from the article's own {Show.N(headroom, 2)} GPU it is ¥{Show.N(headroom * ArticleA100Cny, 0)}"),
                new SuanliAnswerJson(a100Buy is null ? null : (double)a100Buy.Upfront, "CNY",
                    a100Buy is null ? "no A100 purchase price in the catalog" : $"{a100Buy.Option}: {Show.N((double)a100Buy.Upfront)} CNY up front, {Show.N((double)a100Buy.PerMonth)} CNY per month with electricity and maintenance",
                    compareCommand, "the fleet is sized by memory bandwidth and the latency target, not by TOPS")),
            Q("C3.4", "The same budget on Cambricon MLU370 (256 TOPS INT8, about ¥14,600)",
                new ArticleFigureJson("256 TOPS INT8, about ¥14,600 per card", 14_600, null, "CNY per card", "Cambricon MLU370 (256 TOPS INT8, about ¥14,600)", source),
                new ArticleMethodJson($"0.387 A100 x 624 / 256 TOPS = {Show.N(0.387 * ArticleA100Ops / ArticleMlu370Ops, 3)} cards (¥{Show.N(0.387 * ArticleA100Ops / ArticleMlu370Ops * ArticleMlu370Cny, 0)}); from the corrected 0.3: {Show.N(0.3 * ArticleA100Ops / ArticleMlu370Ops, 3)} cards",
                    0.387 * ArticleA100Ops / ArticleMlu370Ops, "MLU370 cards", "follows from 0.387; 256 TOPS INT8 is the MLU370-X4's figure (the X8 has two chips)"),
                new SuanliAnswerJson(mlu.Devices > 0 ? mlu.Devices : null, "MLU370-X4 cards",
                    $"{Fleet()}; the MLU370-X4 has no purchase price with a source, so buying it is left out of compare",
                    compareCommand, decode)),
        ]);
    }

    private static TrainJson Train(SuanliCatalog catalog, IStepTimeModel stepModel, TrainInputs inputs) =>
        (TrainJson)TrainRun.Run(inputs, catalog, stepModel, CaseDay).Json;

    private static CaseJson C4(SuanliCatalog catalog, IStepTimeModel stepModel)
    {
        const double pfDays = 3640, a100Pflops = 0.6;
        var ideal = pfDays / a100Pflops;
        var t = Train(catalog, stepModel, new TrainInputs { Model = "gpt-3-175b", Flops = "3.15e23", Hardware = "nvidia-a100-sxm4-80gb", Days = 1 });
        var forOneDay = (double)t.Inputs.Devices;
        const string trainCommand = "suanli train --model gpt-3-175b --flops 3.15e23 --hardware nvidia-a100-sxm4-80gb --days 1";
        var source = $"{ArticleCompute}, seed case C4";
        return new CaseJson("C4", "Training GPT-3", ArticleCompute,
        [
            Q("C4.1", "How many A100s train GPT-3 (3,640 PF-days) in one day?",
                new ArticleFigureJson("about 6,000 A100s ideally, 10,000 with interconnect losses", 6000, 10000, "A100s", "3,640 PF-days; an A100 counted as 0.6 PFLOP/s -> about 6,000 A100s for a day, 10,000 with interconnect losses", source),
                new ArticleMethodJson($"3,640 PF-days / 0.6 PFLOP/s per A100 / 1 day = {Show.N(ideal, 0)}", ideal, "A100s", "the division holds; 0.6 PFLOP/s is the INT8 sparse figure, not a training rate"),
                new SuanliAnswerJson(forOneDay, "A100s",
                    $"6ND = 6 x 175e9 x 300e9 = 3.15e23 FLOP ({Show.N(t.Compute.PfDays, 0)} PF-days) at {Show.N(t.Compute.PeakTflopsPerDevice, 0)} TFLOP/s BF16 and MFU {Show.N(t.Compute.Mfu * 100, 0)}% ({t.Compute.MfuSource}): the fewest A100s that finish within one day are {Show.N(forOneDay, 0)} ({Show.N(t.Time.GpuHours, 0)} A100-hours, {Show.N(t.Time.Days, 2)} days)",
                    trainCommand,
                    "training runs at the dense BF16 peak (312 TFLOP/s), not 600 TOPS INT8, and at a measured fraction of it that falls as the cluster grows (communication)")),
            Q("C4.2", "What those A100s cost at ¥100,000 per card",
                new ArticleFigureJson("¥1 billion", 1e9, null, "CNY", "10,000 A100s at ¥100,000 per card: ¥1 billion of hardware", source),
                new ArticleMethodJson("10,000 x ¥100,000 = ¥1,000,000,000", 10_000 * ArticleA100Cny, "CNY", "holds"),
                new SuanliAnswerJson(forOneDay * ArticleA100Cny, "CNY",
                    $"{Show.N(forOneDay)} A100s x ¥100,000 (the article's price) = ¥{Show.N(forOneDay * ArticleA100Cny)} for a one-day run",
                    trainCommand,
                    $"more devices than the article's 10,000: in training an A100 sustains MFU x 312 TFLOP/s = {Show.N(t.Compute.Mfu * t.Compute.PeakTflopsPerDevice, 0)} TFLOP/s, not 600")),
        ]);
    }

    private static CaseJson C5(SuanliCatalog catalog, PriceBook book, CapacityProvider capacity, DateOnly today)
    {
        var (plan, pricing, costs) = Plan(catalog, "c5-consumer-chatbot.yaml", book, capacity, today);
        var devices = plan.Applications.Sum(a => a.DevicesPeak);
        var own = costs.FirstOrDefault(c => c.Strategy == plan.Fleet.Recommended)?.Own;
        var perDay = plan.Fleet.EnergyPerDay.InKilowattHours * (double)pricing.Tariff.Amount;
        var source = "articles 3 and 5, seed case C5";
        var device = plan.Scenario.Device.Id;
        return new CaseJson("C5", "Serving a consumer chatbot at scale", "articles 3 and 5 of the seed cases",
        [
            Q("C5.1", "ChatGPT with 13 million daily visitors: how many accelerators?",
                new ArticleFigureJson("more than 30,000 A100s", 30_000, null, "A100s", "13 million daily unique visitors -> more than 30,000 A100s", source),
                new ArticleMethodJson("not stated", null, "A100s", "no arithmetic to check"),
                new SuanliAnswerJson(devices, device,
                    $"{Show.N(devices)} x {device} at the peak hour for {string.Join(", ", plan.Applications.Select(a => $"{Show.N(a.Application.Peak)} requests/s on {a.Deployment.Model.Id}{Users(a.Application)}"))}",
                    "suanli plan examples/c5-consumer-chatbot.yaml",
                    "the article's model, tokens and requests per user are unknown; the example states its own (5 requests a day, 800 prompt and 400 output tokens), on H100s")),
            Q("C5.2", "What the chips cost",
                new ArticleFigureJson("about $800 million", 800e6, null, "USD", "about $800 million of chips", source),
                new ArticleMethodJson("not stated", null, "USD", "no arithmetic to check"),
                new SuanliAnswerJson(own is null ? null : (double)own.Upfront.Amount, pricing.Currency.Code,
                    own is null ? "no purchase price for the device" : $"{Show.Money(own.Upfront)} up front for {Show.N(devices)} devices ({pricing.DevicePriceSource})",
                    "suanli plan examples/c5-consumer-chatbot.yaml", "a smaller fleet than the article's, at the catalog's purchase price")),
            Q("C5.3", "Electricity per day",
                new ArticleFigureJson("about $50,000 a day", 50_000, null, "USD per day", "about $50,000 of electricity per day", source),
                new ArticleMethodJson("not stated", null, "USD per day", "no arithmetic to check"),
                new SuanliAnswerJson(Math.Round(perDay), pricing.Currency.Code + " per day",
                    $"{Show.N(plan.Fleet.EnergyPerDay.InKilowattHours, 0)} kWh a day (facility, PUE included) x {Show.Money(pricing.Tariff)}/kWh ({pricing.TariffSource}) = {Show.N(perDay, 0)} {pricing.Currency.Code}",
                    "suanli plan examples/c5-consumer-chatbot.yaml", "follows from the fleet size and the tariff")),
        ]);
    }

    /// <summary>How a peak rate was derived from user counts (empty when the peak was given).</summary>
    private static string Users(ScenarioApplication app) => app.Users is { } u
        ? $" (from users: {Show.N(u.DailyActiveUsers)} daily active x {Show.N(u.RequestsPerUserPerDay)} requests a day = {Show.N(u.RequestsPerDay)} a day / 86,400 s / {Show.N(u.ProfileMean, 2)} mean load of the {app.Profile.Name} profile)"
        : "";

    private static CaseJson C6(SuanliCatalog catalog, IStepTimeModel stepModel)
    {
        var t = Train(catalog, stepModel, new TrainInputs { Model = "palm-540b", Tokens = "10.8T", Hardware = "nvidia-h100-sxm5-80gb", Devices = 16384, Pricing = new() { Tariff = "0.65 CNY/kWh" } });
        var source = $"{ArticleCost}, seed case C6";
        return new CaseJson("C6", "Training a 500B model", ArticleCost,
        [
            Q("C6.1", "Electricity to train a 500B dense model",
                new ArticleFigureJson("¥530 million a year", 530e6, null, "CNY per year", "about $1 billion of infrastructure and ¥530 million of electricity a year to train a 500B dense model", source),
                new ArticleMethodJson("not stated", null, "CNY per year", "no arithmetic to check"),
                new SuanliAnswerJson(t.Costs.ElectricityPerYear is { } e ? (double)e.Amount : null, "CNY per year",
                    $"PaLM 540B on its Chinchilla-optimal 10.8T tokens (20 per parameter) on 16,384 H100s: {Show.N(t.Time.Days, 0)} days, " + (t.Costs.Electricity is { } run ? $"{Show.N((double)run.Amount)} {run.Currency} of electricity for the run" : "") + (t.Costs.ElectricityPerYear is { } y ? $", {Show.N((double)y.Amount)} {y.Currency} for a year of the cluster's power at 0.65 CNY/kWh" : ""),
                    "suanli train --model palm-540b --tokens 10.8T --hardware nvidia-h100-sxm5-80gb --devices 16384 --tariff '0.65 CNY/kWh'",
                    "the article's cluster, tariff and duration are not given; this one is stated")),
        ]);
    }

    private static CaseJson C7(SuanliCatalog catalog, PriceBook book, CapacityProvider capacity, DateOnly today)
    {
        var (plan, _, _) = Plan(catalog, "c7-rack-8b-on-cpu.yaml", book, capacity, today);
        var app = plan.Applications[0];
        var sessions = app.Application.Peak;
        var perDevice = sessions / app.DevicesPeak;
        var source = $"{ArticleEcosystem}, seed case C7";
        const double wordsPerMinute = 450, tokensPerWord = 1.3;
        var rate = wordsPerMinute * tokensPerWord / 60;
        return new CaseJson("C7", "Rack density, CPUs and small models", ArticleEcosystem,
        [
            Q("C7.1", "Tokens per second a person needs",
                new ArticleFigureJson("about 10 tokens/s", 10, null, "tokens/s", "people read 200-300 words a minute; about 10 tokens/s (≈450 words/min at 1.3 tokens per word) is enough", source),
                new ArticleMethodJson($"450 words/min x 1.3 tokens/word / 60 = {Show.N(rate, 2)} tokens/s", rate, "tokens/s", "holds (≈10)"),
                new SuanliAnswerJson(app.Application.Targets.Tpot is { } tpot ? 1 / tpot.Value : null, "tokens/s",
                    app.Application.Targets.Tpot is { } tp ? $"the C7 example's target: one token every {Show.Time(tp)} at p90 = {Show.N(1 / tp.Value, 1)} tokens/s per session" : "no per-token target set",
                    "suanli plan examples/c7-rack-8b-on-cpu.yaml", "the same floor, kept as the p90 time per output token")),
            Q("C7.2", "Sessions at 10 tokens/s on a 192-core AmpereOne for an 8B model",
                new ArticleFigureJson("not given (the article asks how many fit a 12.5 kW, 42U rack)", null, null, "sessions", "A 12.5 kW, 42U rack: how many inference sessions at >= 10 tokens/s fit", source),
                new ArticleMethodJson("not stated", null, "sessions", "no arithmetic to check"),
                new SuanliAnswerJson(Math.Round(perDevice, 1), "sessions per device",
                    $"{Show.N(sessions)} sessions need {Show.N(app.DevicesPeak)} x {plan.Scenario.Device.Id} at the peak = {Show.N(perDevice, 1)} sessions per device, prefill of {Show.N(app.Application.InputTokens)}-token prompts included ({app.Capacity.LimitingTarget} limits)",
                    "suanli plan examples/c7-rack-8b-on-cpu.yaml",
                    "a session also needs its prompt read (prefill) within the first-token target, which on a CPU costs more than the decode alone")),
        ]);
    }

    private static CaseJson C8(SuanliCatalog catalog, PriceBook book, IStepTimeModel stepModel)
    {
        var (result, _) = CompareRun.Run(new CompareInputs
        {
            RequestsPerMonth = 1e6, Months = 1, Pricing = new() { Currency = "USD" }, Today = new DateOnly(2026, 1, 1),
            Custom = ["GPT-3 fine-tune;build=7418 USD;per-10k=173 USD;quality=71.4", "small model;build=1915 USD;per-10k=0.26 USD;quality=71.3"],
        }, book, catalog, stepModel);
        var big = result.Breakdowns.First(b => b.Option == "GPT-3 fine-tune");
        var small = result.Breakdowns.First(b => b.Option == "small model");
        var ratio = 173 / 0.26;
        var source = $"{ArticleSmall}, seed case C8 (Snorkel's legal-domain test)";
        var command = "suanli compare --requests-per-month 1M --months 1 --custom 'GPT-3 fine-tune;build=7418 USD;per-10k=173 USD;quality=71.4' --custom 'small model;build=1915 USD;per-10k=0.26 USD;quality=71.3'";
        return new CaseJson("C8", "Small model or big model", ArticleSmall,
        [
            Q("C8.1", "Inference cost of the small model against fine-tuned GPT-3",
                new ArticleFigureJson("$173 vs $0.26 per 10,000 inferences (\"1/1000 of the inference cost\")", 173, 0.26, "USD per 10,000 inferences", "fine-tuned GPT-3 $7,418 to build and $173 per 10,000 inferences at 71.4%; small model $1,915 and $0.26 at 71.3%", source),
                new ArticleMethodJson($"173 / 0.26 = {Show.N(ratio, 0)}", ratio, "x", $"the small model costs 1/{Show.N(ratio, 0)} as much per inference, not 1/1000"),
                new SuanliAnswerJson(Math.Round((double)(big.PerMonth.Amount / small.PerMonth.Amount), 1), "x",
                    $"over 1,000,000 inferences with the build: GPT-3 fine-tune {Show.Money(big.PerMonth.Round())}, small model {Show.Money(small.PerMonth.Round())} ({Show.N((double)(big.PerMonth.Amount / small.PerMonth.Amount), 1)}x); the small model is cheaper to build and per inference, so there is no break-even",
                    command, "the build cost counts too: at a million inferences the ratio is far below 665")),
        ]);
    }
}
