using System.Text.RegularExpressions;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// One number per question: a figure typed into README.md or a hand-written page of docs/ is checked against the
/// command or the generated page that produces it, so the two cannot drift apart unnoticed (several had before).
/// </summary>
public sealed partial class DocFiguresTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([PlanTests.RepoRoot(), .. path])).ReplaceLineEndings("\n");

    private static string Markdown(params string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "markdown"]);
        Assert.True(code == 0, err);
        return output;
    }

    /// <summary>The README's excerpt of <c>suanli plan</c>: its table rows (box-drawn) and its notes, each note joined with its wrapped lines.</summary>
    private static (List<string[]> Rows, List<string> Notes) ReadmePlanExcerpt()
    {
        var readme = Read("README.md");
        var start = readme.IndexOf("```\n│", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md no longer quotes `suanli plan`'s tables in a ``` block");
        var block = readme[(start + 4)..readme.IndexOf("```", start + 4, StringComparison.Ordinal)];
        var rows = new List<string[]>();
        var notes = new List<string>();
        foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('│'))
            {
                rows.Add(line.Trim('│').Split('│').Select(c => c.Trim()).ToArray());
            }
            else if (line.StartsWith("note: ", StringComparison.Ordinal))
            {
                notes.Add(line["note: ".Length..]);
            }
            else
            {
                notes[^1] += " " + line;
            }
        }
        return (rows, notes);
    }

    [Fact]
    public void The_readme_quotes_exactly_what_suanli_plan_prints_for_its_default_scenario()
    {
        var plan = Markdown("plan");
        var (rows, notes) = ReadmePlanExcerpt();
        Assert.True(rows.Count >= 5 && notes.Count >= 2, "the README's plan excerpt lost its rows or notes");
        foreach (var cells in rows)
        {
            // The Markdown report has the same cells; the terminal table only pads them.
            var row = "| " + string.Join(" | ", cells) + " |";
            Assert.True(plan.Contains(row, StringComparison.Ordinal),
                $"README.md quotes the plan row '{row}', which 'suanli plan' no longer prints: copy the row from its output.");
        }
        foreach (var note in notes)
        {
            // "... text" quotes the end of a longer note.
            var text = note.StartsWith("... ", StringComparison.Ordinal) ? note[4..] : note;
            Assert.True(plan.Contains(text, StringComparison.Ordinal), $"README.md quotes the plan note '{text}', which 'suanli plan' no longer prints: copy it from its output.");
        }
    }

    [GeneratedRegex(@"carries (\d+) concurrent requests")]
    private static partial Regex CarriesConcurrent();

    [GeneratedRegex(@"utilisation over the office day is (\d+%)")]
    private static partial Regex DayUtilisation();

    [GeneratedRegex(@"\((\d+%) of predicted capacity\)")]
    private static partial Regex LowEndShare();

    [GeneratedRegex(@"One TP=(\d+) replica carries")]
    private static partial Regex ReplicaTensorParallel();

    [GeneratedRegex(@"(?:so|the) (\w+) A100s (?:serve|still carry)")]
    private static partial Regex FleetInWords();

    private static readonly string[] SmallNumbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    /// <summary>The README's words for the default plan's replica layout and fleet ("One TP=4 replica", "four A100s") are the plan's.</summary>
    [Fact]
    public void The_readmes_replica_layout_and_device_count_in_words_are_the_default_plans()
    {
        var readme = Regex.Replace(Read("README.md"), @"\s+", " ");
        var plan = Markdown("plan");
        var tp = ReplicaTensorParallel().Match(readme);
        Assert.True(tp.Success, "README.md no longer names the default plan's replica layout ('One TP=N replica carries')");
        Assert.True(plan.Contains($"each replica is TP={tp.Groups[1].Value} PP=1 on", StringComparison.Ordinal),
            $"README.md says one replica is TP={tp.Groups[1].Value}; 'suanli plan' chooses another layout.");
        var devices = Command("plan").GetProperty("fleet").GetProperty("devices").GetInt32();
        var said = FleetInWords().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.True(said.Count >= 2, "README.md no longer says how many A100s serve the default plan ('so four A100s serve', 'the four A100s still carry')");
        var expected = devices < SmallNumbers.Length ? SmallNumbers[devices] : devices.ToString(Invariant);
        Assert.All(said, w => Assert.True(w == expected, $"README.md says {w} A100s serve the default plan; 'suanli plan' gives {devices} devices."));
    }

    [Fact]
    public void The_readmes_sentences_about_the_default_plan_quote_its_figures()
    {
        var readme = Read("README.md");
        var plan = Markdown("plan");
        var carries = CarriesConcurrent().Match(readme);
        Assert.True(carries.Success, "README.md no longer says how many concurrent requests one replica carries");
        Assert.True(plan.Contains($"carries {carries.Groups[1].Value} concurrent requests", StringComparison.Ordinal),
            $"README.md says one replica carries {carries.Groups[1].Value} concurrent requests; 'suanli plan' says otherwise.");
        var utilisation = DayUtilisation().Match(readme);
        Assert.True(utilisation.Success, "README.md no longer gives the day's average utilisation");
        Assert.True(plan.Split('\n').Single(l => l.StartsWith("| knowledge-base |", StringComparison.Ordinal)).Contains($"| {utilisation.Groups[1].Value} |", StringComparison.Ordinal),
            $"README.md gives the day's average utilisation as {utilisation.Groups[1].Value}; 'suanli plan' says otherwise.");
        var low = LowEndShare().Match(readme);
        Assert.True(low.Success, "README.md no longer gives the interval's low end");
        Assert.True(plan.Contains($"({low.Groups[1].Value} of predicted capacity", StringComparison.Ordinal),
            $"README.md gives the interval's low end as {low.Groups[1].Value} of predicted capacity; 'suanli plan' says otherwise.");
    }

    [GeneratedRegex(@"""schemaVersion"":? ?(\d+)|schemaVersion`\) \(now (\d+)\)|\(now (\d+)\)")]
    private static partial Regex SchemaVersionMention();

    [Theory]
    [InlineData("cli.md")]
    [InlineData("web.md")]
    public void The_schema_version_the_pages_name_is_the_contracts(string page)
    {
        var text = Read("docs", page);
        var mentions = SchemaVersionMention().Matches(text).Select(m => m.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value).ToList();
        Assert.NotEmpty(mentions);
        Assert.All(mentions, v => Assert.Equal(ReportDocument.CurrentSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), v));
    }

    [GeneratedRegex(@"(\w+)\s+(\d+)\s+rows?\s+([\d.]+)\s%\s/\s([\d.]+)\s%")]
    private static partial Regex TrainingSummary();

    /// <summary>The per-metric medians the training page quotes are validation.md's, in-sample and leave-one-out.</summary>
    [Fact]
    public void The_training_page_quotes_the_validation_pages_medians()
    {
        var validation = Read("docs", "validation.md");
        var training = Read("docs", "methodology-training.md");
        var inSample = Section(validation, "### Training error per metric");
        var heldOut = Section(validation, "### Leave-one-out error per metric");
        var quoted = TrainingSummary().Matches(training).ToList();
        Assert.True(quoted.Count >= 5, "docs/methodology-training.md no longer lists the per-metric medians of docs/validation.md");
        foreach (var m in quoted)
        {
            var (metric, rows, median, held) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
            Assert.True(inSample.Contains($"| {metric} | {rows} | 0 | {median} |", StringComparison.Ordinal),
                $"docs/methodology-training.md quotes {metric} over {rows} rows at {median} % in sample; docs/validation.md says otherwise: copy its figure.");
            Assert.True(heldOut.Contains($"| {metric} | {rows} | 0 | {held} |", StringComparison.Ordinal),
                $"docs/methodology-training.md quotes {metric} over {rows} rows at {held} % held out; docs/validation.md says otherwise: copy its figure.");
        }
    }

    private static string Section(string page, string heading)
    {
        var start = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/validation.md has no section '{heading}'");
        var end = page.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    [GeneratedRegex(@"^\| ([a-z0-9.\-]+) \| [^|]+ \| `([a-z0-9+\-]+)` \| ([\d.]+) GB(?: \(([\d.]+) GiB\))? \|", RegexOptions.Multiline)]
    private static partial Regex ReleasedSchemeRow();

    [Fact]
    public void The_released_scheme_table_quotes_the_weights_suanli_memory_counts()
    {
        var rows = ReleasedSchemeRow().Matches(Read("docs", "methodology.md"));
        Assert.True(rows.Count >= 6, "docs/methodology.md no longer has the table of released mixed schemes");
        foreach (Match row in rows)
        {
            var (code, output, err, _) = CliTests.Run("memory", "--model", row.Groups[1].Value, "--format", "json");
            Assert.True(code == 0, err);
            using var json = System.Text.Json.JsonDocument.Parse(output);
            Assert.Equal(row.Groups[2].Value, json.RootElement.GetProperty("precision").GetString());
            var bytes = json.RootElement.GetProperty("weightsBytes").GetDouble();
            Assert.Equal(row.Groups[3].Value, (bytes / 1e9).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
            if (row.Groups[4].Success)
            {
                Assert.Equal(row.Groups[4].Value, (bytes / (1L << 30)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [GeneratedRegex(@"`suanli catalog prices --stale --today (\d{4}-\d\d-\d\d)` lists (\d+) entries")]
    private static partial Regex StaleCount();

    [Fact]
    public void The_catalog_pages_stale_price_count_is_what_the_command_lists()
    {
        var m = StaleCount().Match(Read("docs", "catalog.md"));
        Assert.True(m.Success, "docs/catalog.md no longer counts the stale prices");
        var (code, output, err, _) = CliTests.Run("catalog", "prices", "--stale", "--today", m.Groups[1].Value, "--format", "json");
        Assert.True(code == 0, err);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), json.RootElement.GetProperty("entries").GetArrayLength());
    }

    [GeneratedRegex(@"\b\d[\d,]* passed\b|\btests \(\d+\b|\babout \d+(\.\d+)? ?s\b|\babout \d+(\.\d+)?-\d+(\.\d+)? ?s\b")]
    private static partial Regex TypedCountOrDuration();

    /// <summary>Test counts and run times change with every commit; the pages say where they are printed instead.</summary>
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/web.md")]
    [InlineData("docs/cli.md")]
    [InlineData("docs/performance.md")]
    [InlineData("docs/scenario.md")]
    [InlineData("docs/catalog.md")]
    [InlineData("docs/seed-cases.md")]
    [InlineData("docs/methodology.md")]
    [InlineData("docs/methodology-steptime.md")]
    [InlineData("docs/methodology-cost.md")]
    [InlineData("docs/methodology-fleet.md")]
    [InlineData("docs/methodology-training.md")]
    [InlineData("docs/methodology-intervals.md")]
    [InlineData("examples/c4-gpt3-training.md")]
    [InlineData("examples/c6-500b-training.md")]
    public void Pages_type_no_test_count_or_run_time(string page)
    {
        var typed = TypedCountOrDuration().Match(Read(page.Split('/')));
        Assert.False(typed.Success, $"{page} types '{typed.Value}': say which command prints it (scripts/test.sh, docs/timings.md, docs/benchmarks.md) instead.");
    }
    [GeneratedRegex(@"`([a-zA-Z][a-zA-Z0-9.\[\]]*)`")]
    private static partial Regex Backticked();

    private static void CollectProperties(System.Text.Json.JsonElement node, HashSet<string> into)
    {
        if (node.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var p in node.EnumerateObject())
            {
                if (p.Name == "properties" && p.Value.ValueKind == System.Text.Json.JsonValueKind.Object)
                {
                    into.UnionWith(p.Value.EnumerateObject().Select(q => q.Name));
                }
                CollectProperties(p.Value, into);
            }
        }
        else if (node.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
            {
                CollectProperties(item, into);
            }
        }
    }

    /// <summary>The JSON field tables of the hand-written pages ("| field | meaning |") name only fields the published schemas have.</summary>
    [Fact]
    public void Every_field_a_reference_table_names_is_in_a_published_schema()
    {
        var root = PlanTests.RepoRoot();
        var properties = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "docs", "schemas"), "*.schema.json"))
        {
            using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            CollectProperties(schema.RootElement, properties);
        }
        var named = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
        {
            var inTable = false;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("| field | meaning |", StringComparison.Ordinal))
                {
                    inTable = true;
                    continue;
                }
                inTable &= lines[i].StartsWith('|');
                if (!inTable || lines[i].StartsWith("|---", StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (Match m in Backticked().Matches(lines[i].Split('|')[1]))
                {
                    foreach (var part in m.Groups[1].Value.Split(['.', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
                    {
                        named++;
                        Assert.True(properties.Contains(part), $"docs/{Path.GetFileName(file)}:{i + 1} names the JSON field '{part}', which no schema in docs/schemas has: rename it as the record names it.");
                    }
                }
            }
        }
        Assert.True(named >= 50, $"only {named} fields found in the pages' field tables; did their headers change?");
    }

    /// <summary>The annotated scenario of docs/scenario.md is a valid scenario that plans.</summary>
    [Fact]
    public void The_scenario_references_example_plans()
    {
        var page = Read("docs", "scenario.md");
        var start = page.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
        var file = Path.Combine(Path.GetTempPath(), $"suanli-scenario-reference-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            var (code, _, err, _) = CliTests.Run("plan", file, "--format", "json");
            Assert.True(code == 0, $"the scenario of docs/scenario.md does not plan: {err}");
        }
        finally
        {
            File.Delete(file);
        }
    }
    /// <summary>The bounds the pages state are the constants that enforce them.</summary>
    [Theory]
    [InlineData("cli.md", "`simulate --requests` at most {0}", "`--duration` at most {1} days ({2} s)", "`--rate` from {3} to {4} requests/s", "at most {5} applications in a scenario", "token counts up to {6}.")]
    [InlineData("web.md", "`requests` at most {0} per simulation", "`duration` at most {1} days ({2} s)", "`rate` from {3} to {4} requests/s", "at most {5} applications per scenario", "token counts up to {6}.")]
    public void The_pages_input_bounds_are_the_enforced_constants(string page, params string[] sentences)
    {
        // Sentences wrap anywhere in the Markdown source.
        var text = Read("docs", page).Replace('\n', ' ');
        var c = System.Globalization.CultureInfo.InvariantCulture;
        object[] bounds =
        [
            Suanli.Serving.Workload.MaxRequests.ToString("N0", c),
            (Suanli.Serving.Workload.MaxDurationSeconds / 86_400).ToString(c),
            Suanli.Serving.Workload.MaxDurationSeconds.ToString("N0", c),
            Suanli.Serving.Workload.MinRequestsPerSecond.ToString("0e0", c),
            Suanli.Serving.Workload.MaxRequestsPerSecond.ToString("0e0", c),
            Suanli.Plan.Scenario.MaxApplications.ToString(c),
            Suanli.Footprint.FootprintRequest.MaxContext.ToString("N0", c),
        ];
        foreach (var sentence in sentences)
        {
            var expected = string.Format(c, sentence, bounds);
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"docs/{page} should say '{expected}' (the enforced bound)");
        }
        Assert.Contains($"{Suanli.Files.InputFiles.MaxBytes / (1024 * 1024)} MiB", Read("docs", "cli.md"), StringComparison.Ordinal);
        var cli = Read("docs", "cli.md").Replace('\n', ' ');
        Assert.Contains($"at least {Suanli.Serving.ServingTargets.MinSeconds * 1e6:0} µs and at most {Suanli.Serving.ServingTargets.MaxSeconds:N0} s", cli, StringComparison.Ordinal);
        Assert.Contains($"is at most {Suanli.Quantities.QuantityText.LargestTariff:0} per kWh", cli, StringComparison.Ordinal);
        Assert.Contains($"more than {Suanli.Files.YamlMap.MaxDepth} deep", Read("docs", "scenario.md").Replace('\n', ' '), StringComparison.Ordinal);
    }
    [GeneratedRegex(@"export const (MAX_PINS|MAX_APPS) = (\d+);")]
    private static partial Regex PageLimit();

    [GeneratedRegex(@"run\.timer = setTimeout\(update, (\d+)\);")]
    private static partial Regex Debounce();

    [GeneratedRegex(@"rootMargin: '(\d+)px'")]
    private static partial Regex LazyMargin();

    /// <summary>docs/web.md's numbers about the page are the page's own constants.</summary>
    [Fact]
    public void The_page_figures_docs_web_md_gives_are_the_scripts_constants()
    {
        // List items wrap with an indent: compare the words, not the layout.
        var page = Regex.Replace(Read("docs", "web.md"), @"\s+", " ");
        var js = Read("src", "Suanli.Web", "wwwroot", "js", "state.js");
        var limits = PageLimit().Matches(js).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"each the inputs' query string; at most {limits["MAX_PINS"]})", page, StringComparison.Ordinal);
        // MAX_APPS counts the form's own application; "up to three applications" in words.
        Assert.Equal(3, limits["MAX_APPS"]);
        Assert.Contains("up to three applications", page, StringComparison.Ordinal);
        var loading = Read("src", "Suanli.Web", "wwwroot", "js", "loading.js");
        Assert.Contains($"debounced {Debounce().Match(loading).Groups[1].Value} ms", page, StringComparison.Ordinal);
        Assert.Contains($"`IntersectionObserver`, {LazyMargin().Match(loading).Groups[1].Value} px ahead", page, StringComparison.Ordinal);
        Assert.Contains("minmax(min(420px, 100%), 1fr)", Read("src", "Suanli.Web", "wwwroot", "style.css"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"""([A-Z0-9][^""]+)""")]
    private static partial Regex Quoted();

    /// <summary>The README types no error figure; it names validation.md's tables, which must exist under those names.</summary>
    [Fact]
    public void The_readmes_precision_section_names_tables_validation_md_has()
    {
        var readme = Read("README.md");
        var section = readme[readme.IndexOf("## Precision", StringComparison.Ordinal)..readme.IndexOf("## Assumptions", StringComparison.Ordinal)];
        var validation = Read("docs", "validation.md");
        var names = Quoted().Matches(section).Select(m => Regex.Replace(m.Groups[1].Value, @"\s+", " ")).ToList();
        Assert.True(names.Count >= 4, "README.md's Precision section no longer names validation.md's tables");
        Assert.All(names, n => Assert.True(validation.Contains("### " + n, StringComparison.Ordinal), $"README.md names the table \"{n}\", which docs/validation.md does not have."));
        Assert.DoesNotMatch(@"\d+(\.\d+)?%", section.Replace("80%", "", StringComparison.Ordinal));
    }
}
