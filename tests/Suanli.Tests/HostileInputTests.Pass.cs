using Suanli.Catalog;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>What a pass of hostile input as a new user would type found: each was a crash, a hang, a silent drop or a wrong sentence.</summary>
public partial class HostileInputTests
{
    [Fact]
    public void A_name_of_130000_characters_is_refused_with_its_echo_clipped()
    {
        // The longest argument Linux passes (128 KiB): the nearest-name search compared it with every catalog name,
        // 15 s of CPU, and the error line quoted all of it.
        var name = new string('a', 130_000);
        var (code, output, err, _) = CliTests.Run("memory", "--model", name);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: --model: Unknown model '{new string('a', 57)}...'. List the catalog with 'suanli catalog'.", err.TrimEnd());
    }

    [Fact]
    public void The_nearest_names_skip_only_candidates_too_far_apart_in_length_to_qualify()
    {
        string[] names = ["nvidia-h100-sxm5-80gb", "h100", "h200", "a100-80gb", "mi300x"];
        // A candidate whose length differs by more than the limit (3, or half the typed length) cannot be within it.
        Assert.Empty(Nearest.Names(new string('a', 130_000), names));
        Assert.Equal(["h100", "nvidia-h100-sxm5-80gb", "h200"], Nearest.Names("h10", names));
        // mi300x differs by 2 in length and 3 in edits: within the limit, still suggested.
        Assert.Equal(["h100", "h200", "mi300x"], Nearest.Names("h300", names));
        // Containment still counts whatever the lengths: the typed name inside a long id.
        Assert.Equal(["nvidia-h100-sxm5-80gb"], Nearest.Names("sxm5", names, 1));
    }

    [Fact]
    public void An_empty_models_list_names_the_application_and_its_line_rather_than_an_empty_reason()
    {
        // It reached the search and read "Application 'kb' cannot be served as asked: . Relax the targets, ...".
        var ex = ScenarioError("hardware: h100\napplications:\n  - name: kb\n    models: []\n    peak_concurrency: 5\n    input_tokens: 100\n    output_tokens: 100\n");
        Assert.Equal("applications[0].models", ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 4, 13), ex.Location);
        Assert.Equal("Application 'kb' has an empty 'models' list; name one model or more, or remove the key.", ex.Detail);
    }

    [Theory]
    [InlineData("0,100,10,5\n", 1, "found 4")]
    [InlineData("arrival,input,output\n0,100,10\n1,100,10,\n", 3, "found 4")]
    public void A_trace_row_with_a_fourth_column_is_refused_rather_than_the_column_dropped(string csv, int line, string found)
    {
        var ex = Assert.ThrowsAny<InputException>(() => ServingText.ParseTrace(csv.Split('\n'), "t.csv"));
        Assert.Equal(new SourceLocation("t.csv", line), ex.Location);
        Assert.Equal($"expected 3 columns (arrival seconds, input tokens, output tokens), {found}.", ex.Detail);
    }

    [Fact]
    public void A_negative_seed_is_refused_as_below_zero_not_as_no_whole_number()
    {
        var (code, _, err, _) = CliTests.Run("simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "1", "--input", "512", "--output", "64", "--seed", "-1");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --seed: '-1' is not a whole number from 0 to 18,446,744,073,709,551,615.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_option_with_an_empty_part_is_refused_naming_its_position()
    {
        var (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "1e6", "--custom", "x;;build=1 USD");
        Assert.Equal(2, code);
        Assert.Equal("error: --custom: item 2 of 'x;;build=1 USD' is empty; remove the extra ';' or put a value there.", err.TrimEnd());
    }

    [Fact]
    public void An_out_folder_that_is_a_file_says_so_even_with_force()
    {
        var file = TempFiles.Write("not-a-folder", "");
        var (code, output, err, _) = CliTests.Run("plan", "--out", file, "--force");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: --out is the folder the report is written into, but '{file}' is a file; choose a folder (created when missing).", err.TrimEnd());
        Assert.Equal("", File.ReadAllText(file));
    }

    [Fact]
    public void A_measurement_id_used_twice_is_a_located_problem_and_leave_one_out_runs()
    {
        // Leave-one-out keys training rows by id: the repeated id was an internal error, exit 70.
        var lines = File.ReadAllLines(Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "training.csv"));
        var path = TempFiles.Write("twice.csv", string.Join('\n', lines[0], lines[1], lines[1]) + "\n");
        var id = lines[1].Split(',')[0];
        var (code, output, err, _) = CliTests.Run("validate", path, "--leave-one-out", "--format", "json");
        Assert.True(code == 2, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var problem = Assert.Single(doc.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.Equal($"Row id '{id}' is already used at {path}:2:1; give each measurement its own id.", problem.GetProperty("message").GetString());
        Assert.Single(doc.RootElement.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public void A_server_drawing_no_power_is_refused_at_its_line_rather_than_overflowing_the_rack()
    {
        var path = TempFiles.Write("servers.yaml", "servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 8\n    power: 0 kW\n    height_u: 4\n");
        var (code, output, err, _) = CliTests.Run("density", "--server", "s1", "--model", "llama-3.1-8b", "--catalog", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {path}:6:12: Server 's1' needs a power draw greater than zero at servers[0].power, e.g. 10.2 kW.", err.TrimEnd());
    }

    [Theory]
    [InlineData("devices:\n  - id: x1\n    vendor: A\n    name: X\n    category: datacenter-gpu\n    memory: 8 GB\n    memory_bandwidth: 100 GB/s\n    peak: {bf16: 10 TFLOP/s}\n    aliases: [h100]\n",
        "devices[0].id", 2, "The device name 'h100' is used by two catalog entries (nvidia-h100-sxm5-80gb and x1); rename or remove one alias.")]
    [InlineData("servers:\n  - id: s1\n    name: S\n    device: nosuch\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 4\n",
        "servers[0].device", 4, "Unknown hardware 'nosuch'. List the catalog with 'suanli catalog'.")]
    // A server id used twice printed the whole record ("Server { Id = dgx-h100, Aliases = <>z__ReadOnlyList`1[...] ...").
    [InlineData("servers:\n  - id: dgx-h100\n    name: S\n    device: h100\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 4\n",
        "servers[0].id", 2, "The server name 'dgx-h100' is used by two catalog entries (dgx-h100 and dgx-h100); rename or remove one alias.")]
    // 1e9 devices per node overflowed the sessions a rack carries in density (exit 70, "This is a defect").
    [InlineData("servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 1000000000\n    power: 10 kW\n    height_u: 4\n",
        "servers[0].devices_per_node", 5, "Server 's1' has servers[0].devices_per_node 1000000000; a node holds at most 1,024 devices (the largest in the catalog, CloudMatrix 384, holds 384). Give the devices of one node.")]
    // 100,000U was read: density put no server in any rack and plan refused every rack as too small, both without naming the file.
    [InlineData("servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 100000\n",
        "servers[0].height_u", 7, "Server 's1' has servers[0].height_u 100000; a node is 1 to 960 rack units tall (16 racks of 60U; the tallest in the catalog, CloudMatrix 384, spans 16 racks, 672U). Give the height of one node in rack units (1U = 44.45 mm).")]
    [InlineData("servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 0\n",
        "servers[0].height_u", 7, "Server 's1' has servers[0].height_u 0; a node is 1 to 960 rack units tall (16 racks of 60U; the tallest in the catalog, CloudMatrix 384, spans 16 racks, 672U). Give the height of one node in rack units (1U = 44.45 mm).")]
    [InlineData("servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 0\n    power: 10 kW\n    height_u: 4\n",
        "servers[0].devices_per_node", 5, "Server 's1' has servers[0].devices_per_node 0; give the devices of one node, 1 or more.")]
    // A TDP of 0 W let a rack hold infinitely many servers (plan overflowed, exit 70); an interconnect of 0 GB/s made
    // every collective NaN seconds ("duration must be a finite number, got NaN", naming no file).
    [InlineData("devices:\n  - id: x1\n    vendor: A\n    name: X\n    category: datacenter-gpu\n    memory: 8 GB\n    memory_bandwidth: 100 GB/s\n    peak: {bf16: 10 TFLOP/s}\n    tdp: 0 W\n",
        "devices[0].tdp", 9, "devices[0].tdp is '0 W'; it must be greater than zero. Leave the key out when the figure is unknown.")]
    [InlineData("devices:\n  - id: x1\n    vendor: A\n    name: X\n    category: datacenter-gpu\n    memory: 8 GB\n    memory_bandwidth: 100 GB/s\n    peak: {bf16: 10 TFLOP/s}\n    interconnect_bandwidth: 0 GB/s\n",
        "devices[0].interconnect_bandwidth", 9, "devices[0].interconnect_bandwidth is '0 GB/s'; it must be greater than zero. Leave the key out when the figure is unknown.")]
    public void A_user_catalog_entry_the_catalog_refuses_is_named_at_its_file_and_line(string yaml, string field, int line, string detail)
    {
        // Both were refused without a file or line: the name clash when the catalog was built, the device where a command used the server.
        var path = TempFiles.Write("mine.yaml", yaml);
        var ex = Assert.ThrowsAny<InputException>(() => CatalogFiles.WithUserFiles([path]));
        Assert.Equal(field, ex.Field);
        Assert.Equal(path, ex.Location!.File);
        Assert.Equal(line, ex.Location.Line);
        Assert.Equal(detail, ex.Detail);
    }

    [Fact]
    public void A_catalog_file_of_20000_servers_loads_and_a_name_repeated_deep_inside_is_named_at_its_line()
    {
        // Each entry was added by rebuilding the catalog's name index: 100,000 servers, under the 10 MiB cap, ran for hours.
        const string Entry = "    name: S\n    device: h100\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 4\n";
        var rows = new System.Text.StringBuilder("servers:\n");
        for (var i = 0; i < 20_000; i++)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - id: s{i}\n{Entry}");
        }
        var catalog = CatalogFiles.WithUserFiles([TempFiles.Write("servers.yaml", rows.ToString())]);
        Assert.Equal(CatalogFiles.Embedded.Servers.Count + 20_000, catalog.Servers.Count);
        Assert.Same(catalog.Servers[^1], catalog.Server("s19999"));

        // Entry 20,000 (line 2 + 6 x 20,000) repeats a name; the entry after it is named only if the search overshoots.
        var path = TempFiles.Write("servers.yaml", rows + "  - id: x\n    aliases: [s12345]\n" + Entry + "  - id: y\n" + Entry);
        var ex = Assert.ThrowsAny<InputException>(() => CatalogFiles.WithUserFiles([path]));
        Assert.Equal(new SourceLocation(path, 120_002, 9), ex.Location);
        Assert.Equal("servers[20000].id", ex.Field);
        Assert.Equal("The server name 's12345' is used by two catalog entries (s12345 and x); rename or remove one alias.", ex.Detail);
    }

    [Theory]
    // 1e300 s was read: validate printed every TTFT error as a 300-digit percentage. -1 s was refused as
    // "duration must be zero or more", naming neither the key nor its line.
    [InlineData("1e300", "1e300")]
    [InlineData("-1", "-1")]
    public void A_calibration_overhead_outside_zero_to_one_second_is_refused_at_its_key(string value, string shown)
    {
        var yaml = "fitted: 2026-12-06\ndata: x\ngroups:\n  - engine_class: serving\n    hardware: gpu\n    compute_efficiency: 0.5\n    compute_half_rows: 100\n"
            + "    memory_efficiency: 0.8\n    memory_half_bytes: 1e7\n    step_overhead_s: " + value + "\n    layer_overhead_s: 5e-6\n    collective_latency_s: 1e-5\n    interconnect_efficiency: 0.6\n";
        var ex = Assert.ThrowsAny<InputException>(() => Suanli.Files.CalibrationFiles.Parse(yaml, "cal.yaml"));
        Assert.Equal("groups[0].step_overhead_s", ex.Field);
        Assert.Equal(new SourceLocation("cal.yaml", 10, 22), ex.Location);
        Assert.Equal($"step_overhead_s must be between 0 and 1, got {shown}.", ex.Detail);
    }
}
