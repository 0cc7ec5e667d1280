using System.Text;
using System.Text.Json;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Issue 16's reported command lines, replayed as a user typed them: each is exit 2 with one line on stderr (one JSON
/// object with --format json), nothing on stdout, no stack frame, no .NET type name and no NaN or infinity.
/// </summary>
public class ReplayTests
{
    private const string App = "applications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 200\n";

    // The files the cases name, by name: "@name" in a case is written into that case's own folder. One folder shared
    // by every case of the run once failed a case at random; a folder per case shares nothing.
    private static readonly Dictionary<string, Func<string>> Files = new(StringComparer.Ordinal)
    {
        ["deep.yaml"] = () => "name: " + new string('[', 40_000) + new string(']', 40_000) + "\n",
        ["apps2000.yaml"] = () =>
        {
            var apps = new StringBuilder("hardware: h100\napplications:\n");
            for (var i = 0; i < 2_000; i++)
            {
                apps.Append($"  - name: a{i}\n    model: qwen2.5-0.5b\n    peak_rate: 1\n    input_tokens: 512\n    output_tokens: 64\n");
            }
            return apps.ToString();
        },
        ["rate.yaml"] = () => "hardware: a100-80gb\n" + App.Replace("peak_concurrency: 5", "peak_rate: 1e-300", StringComparison.Ordinal),
        ["second.yaml"] = () => "hardware: a100-80gb\n" + App + "---\nname: b\n",
        ["mars.yaml"] = () => "hardware: a100-80gb\ntime_zone: Mars/Olympus\n" + App,
        ["dup.json"] = () => "{\"hardware\": \"a100-80gb\", \"hardware\": \"h100\", \"applications\": []}",
        ["zero-tokens.yaml"] = () => "hardware: h100\n" + App.Replace("input_tokens: 1000", "input_tokens: 0", StringComparison.Ordinal),
        ["huge-rack.yaml"] = () => "hardware: h100\nrack: {power: 1e308 kW}\n" + App,
        ["heads0/config.json"] = () => "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 0, \"vocab_size\": 32000}",
        ["hidden4097/config.json"] = () => "{\"model_type\": \"llama\", \"hidden_size\": 4097, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"num_key_value_heads\": 8, \"intermediate_size\": 14336, \"vocab_size\": 128256}",
        ["dupkey/config.json"] = () => "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"hidden_size\": 8192, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"vocab_size\": 32000}",
    };

    /// <summary>
    /// Paths written "@name" become files in <paramref name="dir"/>: "@name" names a file of <see cref="Files"/> or a
    /// model folder holding "name/config.json".
    /// </summary>
    private static string[] Resolve(string[] args, string dir) => [.. args.Select(a =>
    {
        if (!a.StartsWith('@'))
        {
            return a;
        }
        var name = a[1..];
        foreach (var (file, text) in Files.Where(f => f.Key == name || f.Key.StartsWith(name + "/", StringComparison.Ordinal)))
        {
            var path = Path.Combine(dir, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text());
        }
        return Path.Combine(dir, name);
    })];

    [Fact]
    public void Each_case_gets_a_folder_of_its_own_holding_only_the_files_it_names()
    {
        var first = Directory.CreateTempSubdirectory("suanli-replay-").FullName;
        var second = Directory.CreateTempSubdirectory("suanli-replay-").FullName;
        try
        {
            Assert.Equal([Path.Combine(first, "heads0"), "h100"], Resolve(["@heads0", "h100"], first));
            Resolve(["@mars.yaml"], second);
            Assert.Equal(["heads0"], Directory.GetFileSystemEntries(first).Select(Path.GetFileName));
            Assert.Equal(["mars.yaml"], Directory.GetFileSystemEntries(second).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(first, true);
            Directory.Delete(second, true);
        }
    }

    public static TheoryData<string[], string> Cases() => new()
    {
        { ["plan", "@deep.yaml"], "deep.yaml:1:70: Lists and mappings are nested more than 64 deep" },
        { ["plan", "@apps2000.yaml"], "apps2000.yaml:3:3: The scenario has 2,000 applications, over the limit of 100" },
        { ["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "10", "--input", "512", "--output", "64", "--duration", "1e9"], "--duration must be between 0 and 2,592,000, got 1,000,000,000." },
        { ["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "10", "--input", "512", "--output", "64", "--duration", "1e308"], "--duration must be between 0 and 2,592,000, got 1e308." },
        { ["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "10", "--input", "512", "--output", "64", "--requests", "1e8"], "--requests must be a whole number from 1 to 1,000,000, got 1e8." },
        { ["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--concurrency", "2M", "--input", "512", "--output", "64"], "--concurrency must be a whole number from 1 to 1,000,000, got 2M." },
        { ["optimize", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "1e308"], "--rate must be between 0.000001 and 100,000,000, got 1e308." },
        { ["memory", "--model", "@heads0", "--hardware", "h100"], "config.json field 'num_attention_heads' must be greater than zero, got 0." },
        { ["memory", "--model", "@hidden4097", "--hardware", "h100"], "'hidden_size' (4097) must be a multiple of num_attention_heads (32)" },
        { ["memory", "--model", "@dupkey", "--hardware", "h100"], "Key 'hidden_size' appears twice in the same object" },
        { ["plan", "@rate.yaml"], "rate.yaml:5:16: applications[0].peak_rate must be from 0.000001 to 100,000,000, got 1e-300." },
        { ["plan", "/dev/zero"], "'/dev/zero' is larger than 10 MiB" },
        { ["plan", "@second.yaml"], "second.yaml:8:1: A second YAML document starts here" },
        { ["plan", "@mars.yaml"], "mars.yaml:2:12: Unknown time zone 'Mars/Olympus'." },
        { ["plan", "@dup.json"], "dup.json:1:27: Key 'hardware' appears twice in the same mapping" },
        { ["plan", "@zero-tokens.yaml"], "zero-tokens.yaml:6:19: applications[0].input_tokens: length must be a whole number of tokens from 1 to 10,000,000, got '0'." },
        { ["plan", "@huge-rack.yaml"], "huge-rack.yaml:2:15: rack.power: '1e308 kW' is too large to be power" },
        { ["chinchilla", "--flops", "1e-300"], "--flops must be from 1e18 to 1e30 FLOPs, got 1e-300" },
        { ["train", "--model", "llama-3.1-8b", "--hardware", "h100", "--tokens", "10B", "--teacher", "llama-3.1-405b", "--teacher-devices", "1"], "The teacher llama-3.1-405b in bf16 does not fit 1 x nvidia-h100-sxm5-80gb" },
        { ["memory", "--model", "qwen2-72b", "--context", "0"], "--context must be a whole number from 1 to 10,000,000, got 0." },
        { ["memory", "--model", "qwen2-72b", "--devices", "1e9"], "--devices must be a whole number from 1 to 128, got 1e9." },
        { ["perf", "--model", "qwen2.5-7b", "--hardware", "h100", "--batch", "0"], "--batch values must be whole numbers from 1 to 100,000, got '0'." },
        { ["simulate", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "-1", "--input", "512", "--output", "64"], "--rate must be greater than zero, got -1." },
        { ["compare", "--requests-per-month", "-1"], "--requests-per-month must be a number of zero or more" },
        { ["train", "--model", "llama-2-7b", "--tokens", "1T", "--hardware", "a100", "--devices", "0"], "--devices must be a whole number from 1 to 1,000,000, got 0." },
        { ["density", "--rack-kw", "1e308"], "--rack-kw must be between 0.1 and 1,000, got 1e308." },
        { ["memory", "--model", "qwen2-72b", "--contxt", "32k"], "Unknown option '--contxt' for 'suanli memory'. Did you mean '--context'?" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_reported_command_line_is_exit_2_with_one_clean_line(string[] args, string message)
    {
        var dir = Directory.CreateTempSubdirectory("suanli-replay-").FullName;
        try
        {
            Replayed(Resolve(args, dir), string.Join(' ', args), message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static void Replayed(string[] resolved, string typed, string message)
    {
        var (code, output, err, _) = CliTests.Run(resolved);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.True(HostilePropertyTests.Clean(line, typed), line);

        // With --format json the same error is one JSON object, still exit 2 and still nothing on stdout (no help text).
        var (jsonCode, jsonOut, jsonErr, _) = CliTests.Run([.. resolved, "--format", "json"]);
        Assert.Equal(2, jsonCode);
        Assert.Equal("", jsonOut);
        using var doc = JsonDocument.Parse(Assert.Single(jsonErr.TrimEnd().Split('\n')));
        var e = doc.RootElement.GetProperty("error");
        Assert.Equal("input", e.GetProperty("kind").GetString());
        Assert.Equal(2, e.GetProperty("exitCode").GetInt32());
        Assert.Contains(message, e.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_small_model_tpot_no_longer_falls_from_batch_32_to_64()
    {
        // Reported: TPOT 48.2 ms at batch 32 and 17.8 ms at batch 64 for an 8k prompt.
        var (code, output, err, _) = CliTests.Run("perf", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "8k", "--output", "64", "--batch", "16,32,64,128,256", "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var tpot = doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("timePerOutputTokenSeconds").GetDouble()).ToList();
        Assert.Equal(5, tpot.Count);
        Assert.All(tpot.Zip(tpot.Skip(1)), p => Assert.True(p.Second >= p.First, $"TPOT fell from {p.First} to {p.Second}"));
    }

    [Fact]
    public void A_model_that_does_not_fit_reports_no_negative_room_for_the_kv_cache()
    {
        // Reported: "-798.8 GB left for KV cache" for a 405B model on one 80 GB device.
        var (code, output, err, console) = CliTests.Run("memory", "--model", "llama-3.1-405b", "--hardware", "h100", "--devices", "1");
        Assert.True(code == 0, err);
        Assert.DoesNotMatch(@"-\d[\d,.]* (GB|GiB|MB)", console + output);
        Assert.Contains("does not fit on 1 x nvidia-h100-sxm5-80gb", console + output, StringComparison.Ordinal);
    }
}
