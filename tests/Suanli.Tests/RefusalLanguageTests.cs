using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Refusals of the command line and the web server that were English whatever --lang said (serve's --host and --port,
/// validate's --fit-intervals without --leave-one-out and --holdout with --fit, schema's unknown name, the web's Host
/// refusal): each is a phrase with a Chinese template and a fix; and a scan of the whole source fails on a new refusal
/// written as a bare English string.
/// </summary>
public sealed partial class RefusalLanguageTests
{
    private static void Says(string en, string zh, params string[] args)
    {
        var (code, output, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: " + en, err.TrimEnd());
        var (zhCode, _, zhErr, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(2, zhCode);
        Assert.Equal("错误：" + zh, zhErr.TrimEnd());
    }

    [Fact]
    public void Validates_option_pairs_are_refused_in_english_and_chinese_with_the_fix()
    {
        var csv = Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "speculation.csv");
        Says("--fit-intervals needs --leave-one-out: the intervals come from the leave-one-out residuals. Add --leave-one-out, or drop --fit-intervals.",
            "--fit-intervals 需要 --leave-one-out：区间来自留一法残差。请加上 --leave-one-out，或去掉 --fit-intervals。",
            "validate", csv, "--fit-intervals", "i.yaml");
        Says("--holdout reports rows that are never fitted; drop --fit, or refit on the calibration files without --holdout.",
            "--holdout 报告的是从不参与拟合的数据行；请去掉 --fit，或不带 --holdout 在校准文件上重新拟合。",
            "validate", csv, "--holdout", "--fit", "f.yaml");
    }

    [Fact]
    public void Serves_host_and_an_empty_output_name_are_refused_in_english_and_chinese()
    {
        Says("--host must be an IP address such as 127.0.0.1 (loopback, the default) or 0.0.0.0 (every interface), or 'localhost'; got 'planner'.",
            "--host 必须是 IP 地址，例如 127.0.0.1（本机回环，默认值）或 0.0.0.0（所有网络接口），或 'localhost'；实际为 'planner'。",
            "serve", "--host", "planner");
        // --out "" wrote the plan's report files into the working folder.
        Says("--out is given an empty value; give a file or folder name, or leave --out out. See 'suanli plan --help'.",
            "--out 的值为空；请给出文件或文件夹名，或去掉 --out。见 'suanli plan --help'。",
            "plan", "--out", "");
        // --speculate "" ran without speculation.
        Says("--speculate is given an empty value; give mtp, eagle or draft:MODEL, or leave --speculate out. See 'suanli perf --help'.",
            "--speculate 的值为空；请给出 mtp、eagle 或 draft:MODEL，或去掉 --speculate。见 'suanli perf --help'。",
            "perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--speculate", "");
    }

    [Fact]
    public void A_port_in_use_is_refused_in_one_line_rather_than_a_hosts_stack_trace()
    {
        // The host logged "Hosting failed to start" with a SocketException's frames, and the command exited 70 as a defect.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Should the port be taken after all, the server is stopped rather than left serving (and the test fails).
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var error = new StringWriter();
        var code = Suanli.Cli.SuanliCli.Run(["serve", "--port", port, "--lang", "zh"], new Spectre.Console.Testing.TestConsole(), new StringWriter(), error, TimeProvider.System, cancel: stop.Token);
        Assert.Equal(2, code);
        Assert.StartsWith($"错误：服务器无法在 http://127.0.0.1:{port} 上监听（", error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("请换一个 --port（0 表示任选空闲端口），或给出本机拥有的 --host 地址。", error.ToString().TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_schema_is_refused_listing_the_known_ones()
    {
        var (code, _, err, _) = CliTests.Run("schema", "plann", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.StartsWith("错误：没有名为 'plann' 的文档。请给出 ", err, StringComparison.Ordinal);
        Assert.Contains("plan", err, StringComparison.Ordinal);
    }

    [Theory]
    // A catalog path that does not exist was taken without a word by the commands that use no catalog entry.
    [InlineData("chinchilla", "--flops", "1e24")]
    [InlineData("catalog", "prices")]
    [InlineData("schema")]
    public void A_missing_catalog_is_refused_by_every_command(params string[] args)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"suanli-missing-{Guid.NewGuid():N}");
        var (code, output, err, _) = CliTests.Run([.. args, "--catalog", missing]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(missing, err, StringComparison.Ordinal);
    }

    // new InputException(field, "..." or $"...") with the message a string literal: English in every language.
    [GeneratedRegex(@"new InputException\([^,;()]*(?:\([^()]*\))?[^,;()]*,\s*\$?""")]
    private static partial Regex LiteralMessage();

    [Fact]
    public void No_refusal_anywhere_in_the_source_is_a_bare_english_string()
    {
        Assert.Matches(LiteralMessage(), "throw new InputException(\"--fit-intervals\", \"--fit-intervals needs --leave-one-out.\");");
        Assert.Matches(LiteralMessage(), "throw new InputException(\"--port\", $\"--port must be a whole number, got '{portText}'.\");");
        Assert.Matches(LiteralMessage(), "throw new InputException(\"Host\",\n    $\"Host '{shown}' is not one this server answers to.\");");
        Assert.DoesNotMatch(LiteralMessage(), "throw new InputException(fit.Name, Phrase.Of(\"cli.x\", \"{fit} needs {loo}.\", (\"fit\", fit.Name)));");
        var src = Path.Combine(PlanTests.RepoRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        // Every front end is scanned: the command line, the web server, the runs, the readers and the core.
        foreach (var project in new[] { "Suanli.Cli", "Suanli.Web", "Suanli.Runs", "Suanli.Files", "Suanli.Validation" })
        {
            Assert.Contains(files, f => f.Contains($"{Path.DirectorySeparatorChar}{project}{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        }
        var offenders = files.SelectMany(f => LiteralMessage().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            // The constructor's own declaration and the parameterless forms kept for .NET's exception conventions.
            .Where(o => !o.StartsWith("InputException.cs:", StringComparison.Ordinal)).ToList();
        Assert.True(offenders.Count == 0, "refusals that are not phrases (give each a Phrase.Of with a Chinese template in zh.yaml): " + string.Join("; ", offenders));
    }
}
