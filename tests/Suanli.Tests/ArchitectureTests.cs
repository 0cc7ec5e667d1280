using System.Reflection;
using System.Runtime.CompilerServices;
using Suanli.Cli;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Size limits of issue 17 ("Targets"): no C# file over 450 lines and no type with more than 20 instance fields,
/// outside the hot paths listed here with the reason each needs its flat layout. They read the real tree and the
/// built assemblies, so a new long file or a new bag of fields fails here.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>The most lines a C# file may have (issue 17).</summary>
    private const int MaxLines = 450;

    /// <summary>The most instance fields (auto-property backing fields included) a type may declare (issue 17).</summary>
    private const int MaxFields = 20;

    /// <summary>Types allowed more fields, each a documented hot path (its XML docs say why, under remarks).</summary>
    private static readonly Dictionary<string, string> HotPaths = new(StringComparer.Ordinal)
    {
        ["Suanli.StepTime.PreparedStep"] =
            "per-step constants as flat doubles, read by every step-time evaluation (StepTimeBench.EstimatePrepared)",
        ["Suanli.Serving.ServingSimulation"] =
            "request slots as a structure of arrays and plain counters, read in every simulated step (bench/Suanli.Bench.Serving)",
    };

    /// <summary>The assemblies these tests build against (Suanli.Web is not one; its files are still held to the line limit).</summary>
    private static readonly Assembly[] Assemblies =
    [
        typeof(Finding).Assembly,
        typeof(ScenarioFile).Assembly,
        typeof(CostCharts).Assembly,
        typeof(InferencePredictor).Assembly,
        typeof(SuanliCli).Assembly,
    ];

    /// <summary>Every C# file of the product, its tests and its benchmarks (build output excluded).</summary>
    private static IEnumerable<string> SourceFiles()
    {
        var root = PlanTests.RepoRoot();
        var sep = Path.DirectorySeparatorChar;
        return new[] { "src", "tests", "bench" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f));
    }

    [Fact]
    public void No_csharp_file_in_src_tests_or_bench_has_more_than_450_lines()
    {
        var root = PlanTests.RepoRoot();
        var files = SourceFiles().ToList();
        // The walk must find the tree, or the test could not fail: src/ alone holds over a hundred files.
        Assert.True(files.Count(f => f.StartsWith("src", StringComparison.Ordinal)) > 100, $"found {files.Count} files under {root}");
        var tooLong = files
            .Select(f => (File: f, Lines: File.ReadAllLines(Path.Combine(root, f)).Length))
            .Where(x => x.Lines > MaxLines)
            .Select(x => $"{x.File}: {x.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, "over 450 lines (split by responsibility):\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void Only_the_two_composition_roots_read_the_system_clock()
    {
        var root = PlanTests.RepoRoot();
        string[] clockReads = ["TimeProvider.System", "DateTime.Now", "DateTime.UtcNow", "DateTime.Today", "DateTimeOffset.Now", "DateTimeOffset.UtcNow"];
        // The CLI's entry point and the web's service registration hand the clock to everything else, so a test can fix the day.
        string[] roots = [Path.Combine("src", "Suanli.Cli", "Program.cs"), Path.Combine("src", "Suanli.Web", "SuanliWeb.cs")];
        var readers = SourceFiles()
            .Where(f => f.StartsWith("src", StringComparison.Ordinal))
            .Where(f => clockReads.Any(File.ReadAllText(Path.Combine(root, f)).Contains))
            .Order(StringComparer.Ordinal)
            .ToList();
        // The roots must be seen reading it, or the scan could not fail.
        Assert.Equal(roots.Order(StringComparer.Ordinal), readers);
    }

    [Fact]
    public void No_type_declares_more_than_20_instance_fields_outside_the_documented_hot_paths()
    {
        var counts = Assemblies
            .SelectMany(a => a.GetTypes())
            // Closures and async or iterator state machines are the compiler's, not types anyone wrote.
            .Where(t => t.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => (Type: t.FullName!.Replace('+', '.'), Fields: InstanceFields(t)))
            .ToList();
        // The counting must see the hot paths' fields, or it could not fail.
        Assert.All(HotPaths.Keys, name => Assert.True(counts.Single(c => c.Type == name).Fields > MaxFields, name));
        var tooMany = counts
            .Where(c => c.Fields > MaxFields && !HotPaths.ContainsKey(c.Type))
            .Select(c => $"{c.Type}: {c.Fields} fields")
            .ToList();
        Assert.True(tooMany.Count == 0, "over 20 instance fields (group them into small records, or document a hot path):\n" + string.Join("\n", tooMany));
    }

    [Fact]
    public void Every_allowed_hot_path_says_so_in_its_own_docs()
    {
        var root = PlanTests.RepoRoot();
        foreach (var name in HotPaths.Keys)
        {
            var typeName = name[(name.LastIndexOf('.') + 1)..];
            var declaring = SourceFiles()
                .Where(f => f.StartsWith("src", StringComparison.Ordinal))
                .Select(f => File.ReadAllText(Path.Combine(root, f)))
                .Where(text => text.Contains($"class {typeName}", StringComparison.Ordinal) && text.Contains("/// <remarks>", StringComparison.Ordinal))
                .ToList();
            Assert.Contains(declaring, text => text.Contains("/// Hot path", StringComparison.Ordinal));
        }
    }

    private static int InstanceFields(Type t) =>
        t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length;
}
