using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Suanli.Cli.Commands;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>The versioned JSON contract: every command's JSON follows its published schema, and the schemas in docs/ are the generated ones.</summary>
public sealed class ContractTests
{
    private static string Example(string name) => Path.Combine(PlanTests.RepoRoot(), "examples", name);

    /// <summary>One representative run per document of the contract (the validation run uses two rows to stay quick).</summary>
    public static TheoryData<string, string[]> Commands() => new()
    {
        { "plan", ["plan", "--format", "json"] },
        { "memory", ["memory", "--model", "qwen2-72b", "--context", "32k", "--hardware", "a100-80gb", "--devices", "4", "--format", "json"] },
        { "perf", ["perf", "--model", "qwen2.5-7b", "--hardware", "h100", "--batch", "1,8", "--format", "json"] },
        { "simulate", ["simulate", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "2", "--input", "512", "--output", "64", "--requests", "120", "--ttft-p90", "2", "--format", "json"] },
        { "capacity", ["capacity", "--model", "qwen2.5-7b", "--hardware", "h100", "--input", "512", "--output", "64", "--requests", "200", "--ttft-p90", "2", "--tpot-p90", "0.1", "--format", "json"] },
        { "density", ["density", "--format", "json"] },
        { "compare", ["compare", "--requests-per-month", "1M", "--input", "500", "--output", "300", "--model", "qwen2.5-7b", "--hardware", "h100", "--format", "json"] },
        { "optimize", ["optimize", Example("c3-optimize.yaml"), "--max-candidates", "20", "--format", "json", "--today", "2026-11-23"] },
        { "train", ["train", "--model", "llama-2-7b", "--tokens", "1T", "--hardware", "a100", "--devices", "64", "--format", "json"] },
        { "chinchilla", ["chinchilla", "--flops", "5.76e23", "--format", "json"] },
        { "cases", ["cases", "--case", "C3", "--format", "json"] },
        { "catalog-models", ["catalog", "models", "--format", "json"] },
        { "catalog-hardware", ["catalog", "hardware", "--format", "json"] },
        { "catalog-servers", ["catalog", "servers", "--format", "json"] },
        { "catalog-prices", ["catalog", "prices", "--format", "json"] },
        { "catalog-prices-stale", ["catalog", "prices", "--stale", "--today", "2026-12-04", "--format", "json"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_json_follows_its_published_schema_and_carries_the_version(string document, string[] args)
    {
        var (code, output, err, _) = CliTests.Run(args);
        Assert.True(code == 0, err);
        AssertFollows(document, output);
    }

    [Fact]
    public void Validation_json_follows_its_schema()
    {
        var lines = File.ReadAllLines("data/inference.csv").Take(3).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"suanli-contract-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        try
        {
            var (code, output, err, _) = CliTests.Run("validate", path, "--format", "json");
            Assert.True(code == 0, err);
            AssertFollows("validate", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fleet_over_the_day_json_follows_its_schema()
    {
        var plan = Suanli.Plan.Planner.Plan(ScenarioFile.Load(Example("c2-knowledge-base.yaml"), CatalogFiles.Embedded), PlanTests.TestCapacity);
        AssertFollows("plan-hours", ReportText.Json(PlanHoursReport.Build(plan)));
    }

    [Fact]
    public void Infeasible_plan_json_follows_its_schema_with_one_error_per_unserved_application()
    {
        // The article's 2 s end-to-end target is below what a 72B model on A100s can do, so the planner refuses it.
        var scenario = ScenarioFile.Load(Example("c2-article-targets.yaml"), CatalogFiles.Embedded);
        var error = Assert.Throws<InputException>(() => Suanli.Plan.Planner.Plan(scenario, PlanTests.TestCapacity));
        Assert.True(InfeasiblePlan.Is(error));
        var report = InfeasiblePlan.Build(scenario, error);
        AssertFollows("plan-infeasible", ReportText.Json(report));
        var json = Assert.IsType<InfeasiblePlanJson>(report.Json);
        Assert.Equal(scenario.Applications.Count, json.Findings.Count);
        Assert.All(json.Findings, f => Assert.Equal("error", f.Severity));
    }

    [Fact]
    public void The_schemas_in_docs_are_the_generated_ones_and_nothing_else()
    {
        var dir = Path.Combine(PlanTests.RepoRoot(), "docs", "schemas");
        foreach (var d in SchemaCommand.Documents)
        {
            var path = Path.Combine(dir, d.Name + ".schema.json");
            Assert.True(File.Exists(path), $"{path} is missing: run `suanli schema --out docs/schemas`.");
            Assert.True(ReportSchemas.Schema(d) == File.ReadAllText(path), $"{path} drifted from the {d.Type.Name} record: run `suanli schema --out docs/schemas`.");
        }
        var expected = SchemaCommand.Documents.Select(d => d.Name + ".schema.json").Order().ToList();
        Assert.Equal(expected, Directory.GetFiles(dir, "*.schema.json").Select(f => Path.GetFileName(f)).Order().ToList());
    }

    [Fact]
    public void Every_document_type_is_a_record_of_the_contract_with_distinct_names()
    {
        var types = new[] { typeof(ReportDocument).Assembly, typeof(ValidationJson).Assembly }.SelectMany(a => a.GetTypes()).Where(t => t.IsSubclassOf(typeof(ReportDocument)) && !t.IsAbstract).ToList();
        Assert.Equal(types.Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name))),
            SchemaCommand.Documents.Select(d => d.Type).Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name))));
        Assert.Equal(SchemaCommand.Documents.Count, SchemaCommand.Documents.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public void Schema_marks_never_null_fields_required_and_nullable_ones_optional()
    {
        var schema = JsonNode.Parse(ReportSchemas.Schema(SchemaCommand.Find("plan")!))!;
        var required = schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("schemaVersion", required);
        Assert.Contains("applications", required);
        Assert.DoesNotContain("costs", required); // null when no prices were given
        Assert.Equal(ReportDocument.CurrentSchemaVersion, schema["properties"]!["schemaVersion"]!["const"]!.GetValue<int>());
    }

    [Fact]
    public void A_document_missing_a_required_field_fails_its_schema()
    {
        var (_, output, _, _) = CliTests.Run("chinchilla", "--flops", "5.76e23", "--format", "json");
        var node = JsonNode.Parse(output)!.AsObject();
        node.Remove("schemaVersion");
        var schema = JsonSchema.FromText(ReportSchemas.Schema(SchemaCommand.Find("chinchilla")!));
        Assert.False(schema.Evaluate(JsonNode.Parse(node.ToJsonString())).IsValid);
    }

    private static void AssertFollows(string document, string json)
    {
        var schema = JsonSchema.FromText(ReportSchemas.Schema(SchemaCommand.Find(document)!));
        var instance = JsonNode.Parse(json);
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(5);
        Assert.True(result.IsValid, $"{document}: " + string.Join("; ", errors));
        Assert.Equal(ReportDocument.CurrentSchemaVersion, instance!["schemaVersion"]!.GetValue<int>());
    }
}

/// <summary>Figures in docs/ come from commands: the timings file is the script's output for today's examples and endpoints.</summary>
public sealed class GeneratedDocsTests
{
    [Fact]
    public void Timings_file_is_generated_and_covers_every_example_and_every_page_endpoint()
    {
        var root = PlanTests.RepoRoot();
        var timings = File.ReadAllText(Path.Combine(root, "docs", "timings.md"));
        Assert.Contains("Generated by `scripts/measure.sh`", timings, StringComparison.Ordinal);
        foreach (var example in Directory.GetFiles(Path.Combine(root, "examples"), "*.yaml").Select(f => Path.GetFileName(f)!))
        {
            Assert.True(timings.Contains($"| {example} |", StringComparison.Ordinal), $"docs/timings.md has no row for {example}: run ./scripts/measure.sh");
        }
        var script = File.ReadAllText(Path.Combine(root, "scripts", "measure.sh"));
        foreach (var endpoint in System.Text.RegularExpressions.Regex.Matches(script, "\"(/api/[a-z/]+)[?\"]").Select(m => m.Groups[1].Value))
        {
            Assert.True(timings.Contains($"`GET {endpoint}`", StringComparison.Ordinal), $"docs/timings.md has no row for {endpoint}: run ./scripts/measure.sh");
        }
        // Every JSON endpoint the planning page calls is timed (the spreadsheet download is a file, not a panel).
        var web = Path.Combine(root, "src", "Suanli.Web", "wwwroot");
        var page = string.Concat(Directory.GetFiles(Path.Combine(web, "js"), "*.js").Append(Path.Combine(web, "app.js")).Select(File.ReadAllText));
        foreach (var endpoint in System.Text.RegularExpressions.Regex.Matches(page, "api\\('(/api/[a-z/]+)'").Select(m => m.Groups[1].Value).Where(e => !e.EndsWith("/xlsx", StringComparison.Ordinal)))
        {
            Assert.True(timings.Contains($"`GET {endpoint}`", StringComparison.Ordinal), $"the page calls {endpoint} but docs/timings.md does not time it: add it to scripts/measure.sh and run it");
        }
    }

    [Theory]
    [InlineData("web.md")]
    [InlineData("performance.md")]
    public void Pages_that_report_speed_point_to_the_generated_timings_instead_of_typing_them(string page)
    {
        var text = File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "docs", page));
        Assert.Contains("timings.md", text, StringComparison.Ordinal);
        // A typed API timing such as "/api/plan 1.7-2.0 ms" is how the figures drifted before.
        Assert.DoesNotMatch(@"`/api/[a-z/]+`[^|\n]{0,40}\d+(\.\d+)?[–-]\d+(\.\d+)? ms", text);
    }
}

/// <summary>
/// Benchmark figures come from scripts/bench.sh: docs/benchmarks.md names exactly the benchmarks in bench/, and the
/// methodology pages' performance sections link the generated pages instead of typing times.
/// </summary>
public sealed partial class GeneratedBenchmarksTests
{
    // Pages the scripts write; everything else in docs/ is typed by hand.
    private static readonly string[] Generated = ["benchmarks.md", "timings.md", "validation.md", "holdout.md", "cases.md"];

    [System.Text.RegularExpressions.GeneratedRegex(@"\[Benchmark[^\]]*\]\s*public [\w<>\[\]?]+ (\w+)\(")]
    private static partial System.Text.RegularExpressions.Regex BenchmarkMethod();

    [System.Text.RegularExpressions.GeneratedRegex(@"\bclass (\w+)")]
    private static partial System.Text.RegularExpressions.Regex ClassName();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\| `(\w+Bench)\.(\w+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex PageRow();

    // A measured time, rate or memory figure ("89 ns", "2.8 us", "1.7 to 2.2 s", "2,005 req/s", "80 MiB"); a target
    // ("under 20 us", "within 1 s") and a count or an input rate ("1,024 events", "30 requests/s") are not.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\b(under|within)\s+)(?<![\w.,])\d[\d,]*(\.\d+)?\s?(ns|us|µs|ms|s|sec|seconds?|minutes?|MiB|req/s|events/s|candidates/s)(?![\w/])")]
    private static partial System.Text.RegularExpressions.Regex TypedFigure();

    [System.Text.RegularExpressions.GeneratedRegex(@"^#{2,3} (.*)$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex Heading();

    /// <summary>"Class.Method" of every [Benchmark] method under bench/.</summary>
    private static SortedSet<string> BenchmarksInBench(string root)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "bench"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                              && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (System.Text.RegularExpressions.Match m in BenchmarkMethod().Matches(text))
            {
                var owner = ClassName().Matches(text[..m.Index]).Last().Groups[1].Value;
                found.Add($"{owner}.{m.Groups[1].Value}");
            }
        }
        return found;
    }

    [Fact]
    public void Benchmarks_page_names_exactly_the_benchmarks_in_bench()
    {
        var root = PlanTests.RepoRoot();
        var page = File.ReadAllText(Path.Combine(root, "docs", "benchmarks.md"));
        Assert.Contains("Generated by `scripts/bench.sh`", page, StringComparison.Ordinal);
        var inBench = BenchmarksInBench(root);
        var onPage = new SortedSet<string>(PageRow().Matches(page).Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}"), StringComparer.Ordinal);
        Assert.NotEmpty(inBench);
        Assert.True(inBench.SetEquals(onPage),
            $"bench/ has {string.Join(", ", inBench.Except(onPage))} not on docs/benchmarks.md, which names {string.Join(", ", onPage.Except(inBench))} not in bench/: run ./scripts/bench.sh");
        // Every benchmark project has its section, and the script runs it.
        var script = File.ReadAllText(Path.Combine(root, "scripts", "bench.sh"));
        foreach (var project in Directory.GetFiles(Path.Combine(root, "bench"), "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension))
        {
            Assert.True(page.Contains($"`bench/{project}`", StringComparison.Ordinal), $"docs/benchmarks.md has no section for bench/{project}: add it to scripts/bench.sh and run it");
            Assert.True(script.Contains($"bench/{project}", StringComparison.Ordinal), $"scripts/bench.sh does not run bench/{project}");
        }
    }

    [Fact]
    public void Performance_sections_link_the_generated_pages_instead_of_typing_times()
    {
        var docs = Path.Combine(PlanTests.RepoRoot(), "docs");
        var checkedSections = 0;
        foreach (var file in Directory.GetFiles(docs, "*.md").Where(f => !Generated.Contains(Path.GetFileName(f))))
        {
            var text = File.ReadAllText(file);
            var headings = Heading().Matches(text).ToList();
            for (var i = 0; i < headings.Count; i++)
            {
                var title = headings[i].Groups[1].Value;
                var whole = Path.GetFileName(file) == "performance.md";
                if (!whole && !System.Text.RegularExpressions.Regex.IsMatch(title, "Performance|Speed|Benchmark|Targets and measurements", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                {
                    continue;
                }
                var end = i + 1 < headings.Count ? headings[i + 1].Index : text.Length;
                var body = text[headings[i].Index..end];
                checkedSections++;
                var typed = TypedFigure().Match(body);
                Assert.False(typed.Success, $"docs/{Path.GetFileName(file)}, section '{title}', types '{typed.Value}': link docs/benchmarks.md or docs/timings.md and let scripts/bench.sh or scripts/measure.sh write it");
                Assert.True(body.Contains("benchmarks.md", StringComparison.Ordinal) || body.Contains("timings.md", StringComparison.Ordinal) || whole,
                    $"docs/{Path.GetFileName(file)}, section '{title}', reports speed without linking docs/benchmarks.md or docs/timings.md");
            }
        }
        Assert.True(checkedSections >= 6, $"only {checkedSections} performance sections found; the headings changed?");
    }

    [Theory]
    [InlineData("| `PreparedStep.Estimate` | 89 ns, 80 B allocated | under 20 us |")]
    [InlineData("| CPU time of the run | 1.7 to 2.2 s (wall 2.3 to 4.7 s under the load) |")]
    [InlineData("0 errors; 2,005 req/s; client latency p50 96 ms, p99 175 ms")]
    [InlineData("| peak working set of the process | 80 MiB |")]
    [InlineData("one `TrainingPredictor.Predict` 7 µs; a sweep 3.5 ms.")]
    public void The_old_typed_figures_are_caught(string line) => Assert.Matches(TypedFigure(), line);

    [Theory]
    [InlineData("one evaluation under 20 us and the 64-point sweep under 1 s, issue 3")]
    [InlineData("a capacity search under\n1 s, issue 4")]
    [InlineData("30 requests/s, prompts uniform 128-1,024, outputs uniform 32-256")]
    [InlineData("one with 600-second probes; 1,024 events; 262,144 entries")]
    public void Targets_inputs_and_counts_are_not_typed_figures(string line) => Assert.DoesNotMatch(TypedFigure(), line);
}
