using System.Globalization;
using Suanli.Files;
using Suanli.Text;

namespace Suanli.Validation;

/// <summary>Reads measurement CSV files (RFC 4180, formats A and B of validation/measurements/README.md).</summary>
public static partial class MeasurementFiles
{
    /// <summary>The header of format A; the optional columns <see cref="InferenceOptionalColumns"/> may follow it.</summary>
    public const string InferenceHeader = "id,model,hardware,devices,precision,kv_precision,framework,scenario,concurrency,request_rate,input_tokens,output_tokens,ttft_target_s,tpot_target_s,metric,value,source,note";

    /// <summary>Columns a format-A file may add after <see cref="InferenceHeader"/>, in any order: a pinned layout, a length-distribution name and the engine's scheduler limits.</summary>
    public static IReadOnlyList<string> InferenceOptionalColumns { get; } = ["tp", "pp", "ep", "replicas", "lengths", "max_num_seqs", "max_num_tokens", "chunked_prefill", "capacity_scheduler", "batcher_window_s", "min_duration_s", "dispatch", "speculation", "draft_tokens", "acceptance_length"];

    /// <summary>The exact header of format B.</summary>
    public const string TrainingHeader = "id,model,hardware,devices,precision,train_tokens,seq_len,metric,value,source,note";

    /// <summary>Reads a file; a missing file or unknown header is an <see cref="InputException"/>, a bad row a problem in the result.</summary>
    public static MeasurementFile Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InputException("FILE", Phrase.Of("measurement-file-missing", "Measurement file '{path}' does not exist.", ("path", path)));
        }
        return Parse(InputFiles.ReadText(path, "FILE"), path);
    }

    /// <summary>Parses the text of a measurement file.</summary>
    public static MeasurementFile Parse(string text, string file)
    {
        var records = Csv(text, file);
        if (records.Count == 0)
        {
            throw new InputException("header", Phrase.Of("measurement-file-empty", "The file is empty; a measurement file starts with the header of format A or B (validation/measurements/README.md)."), new SourceLocation(file, 1, 1));
        }
        var header = string.Join(",", records[0].Fields.Select(f => f.Text.Trim()));
        var training = header == TrainingHeader;
        if (!training && !IsInferenceHeader(records[0].Fields.Select(f => f.Text.Trim()).ToArray()))
        {
            throw new InputException("header", UnknownHeader(records[0].Fields.Select(f => f.Text.Trim()).ToArray(), header), new SourceLocation(file, 1, 1));
        }
        var rows = new List<MeasurementRow>();
        var problems = new List<InputException>();
        var names = records[0].Fields.Select(f => f.Text.Trim()).ToArray();
        foreach (var r in records.Skip(1))
        {
            if (r.Fields.Count == 1 && string.IsNullOrWhiteSpace(r.Fields[0].Text))
            {
                continue;
            }
            try
            {
                if (r.Fields.Count != names.Length)
                {
                    throw new InputException("row", Phrase.Of("measurement-row-fields", "The row has {fields} fields; the header has {header}. Quote fields that contain commas.", ("fields", r.Fields.Count), ("header", names.Length)),
                        new SourceLocation(file, r.Line, 1));
                }
                var row = new Row(r, names, file);
                rows.Add(training ? ReadTraining(row) : ReadInference(row));
            }
            catch (InputException ex)
            {
                problems.Add(ex);
            }
        }
        if (rows.Count == 0 && problems.Count == 0)
        {
            throw new InputException("row", Phrase.Of("measurement-file-no-rows",
                "The file has a header but no rows, so there is nothing to validate: add one row per measurement below the header (validation/measurements/README.md)."),
                new SourceLocation(file, 2, 1));
        }
        return new MeasurementFile(file, rows, problems);
    }

    /// <summary>
    /// The files with each row id kept once, across all of them: a later row whose id was already read becomes a problem
    /// of its file naming where the id was first used. The fit and leave-one-out key rows by id; a repeated id crashed them.
    /// </summary>
    public static IReadOnlyList<MeasurementFile> UniqueIds(IEnumerable<MeasurementFile> files)
    {
        var first = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        return [.. files.Select(f =>
        {
            var rows = new List<MeasurementRow>();
            var problems = f.Problems.ToList();
            foreach (var row in f.Rows)
            {
                if (first.TryAdd(row.Id, row.Location))
                {
                    rows.Add(row);
                    continue;
                }
                problems.Add(new InputException("id", Phrase.Of("measurement-id-twice", "Row id '{id}' is already used at {first}; give each measurement its own id.",
                    ("id", row.Id), ("first", first[row.Id].ToString())), row.Location));
            }
            return f with { Rows = rows, Problems = problems };
        })];
    }

    /// <summary>
    /// The unknown-header error, naming the first column that differs from the format the header comes closer to
    /// (format B when it has train_tokens): a header missing a column read only "Unknown header" and both formats.
    /// </summary>
    private static Phrase UnknownHeader(string[] names, string header)
    {
        var trainingLike = names.Contains("train_tokens");
        var expected = (trainingLike ? TrainingHeader : InferenceHeader).Split(',');
        var format = trainingLike ? "B" : "A";
        (string Name, object Value)[] formats = [("formatA", InferenceHeader), ("optional", PhraseList.Words(InferenceOptionalColumns)), ("formatB", TrainingHeader)];
        var at = Enumerable.Range(0, expected.Length).FirstOrDefault(i => i >= names.Length || names[i] != expected[i], -1);
        if (at >= 0 && at < names.Length)
        {
            return Phrase.Of("measurement-header-unknown#column", "Unknown header '{header}': column {column} is '{got}' where format {format} has '{want}'. Use format A ({formatA}, optionally followed by any of {optional}) or format B ({formatB}).",
                [("header", Clip(header)), ("column", (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("got", Clip(names[at])), ("format", format), ("want", expected[at]), .. formats]);
        }
        if (at >= 0)
        {
            return Phrase.Of("measurement-header-unknown#short", "Unknown header '{header}': it ends after column {column}, where format {format} goes on with '{want}'. Use format A ({formatA}, optionally followed by any of {optional}) or format B ({formatB}).",
                [("header", Clip(header)), ("column", at.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("format", format), ("want", expected[at]), .. formats]);
        }
        return Phrase.Of("measurement-header-unknown", "Unknown header '{header}'. Use format A ({formatA}, optionally followed by any of {optional}) or format B ({formatB}).",
            [("header", Clip(header)), .. formats]);
    }

    private static bool IsInferenceHeader(string[] names)
    {
        var required = InferenceHeader.Split(',');
        return names.Length >= required.Length && names.Take(required.Length).SequenceEqual(required)
            && names.Skip(required.Length).All(InferenceOptionalColumns.Contains)
            && names.Skip(required.Length).Distinct().Count() == names.Length - required.Length;
    }

    private static InferenceMeasurement ReadInference(Row r)
    {
        var devices = r.Int("devices", 1, 1_000_000) ?? throw r.Missing("devices");
        return new(
            r.Required("id"), r.Required("model"), r.Required("hardware"), devices,
            r.Text("precision"), r.Text("kv_precision"), r.Required("framework"), r.Required("scenario"),
            r.Int("concurrency", 1, 10_000_000), r.Number("request_rate", positive: true),
            r.Bounded("input_tokens", 0, 100_000_000), r.Bounded("output_tokens", 0, 100_000_000),
            r.Required("metric"), r.Number("value", positive: true) ?? throw r.Missing("value"), r.Text("source"), r.Text("note"), r.Location)
        {
            TtftTargetSeconds = r.Number("ttft_target_s", positive: true),
            TpotTargetSeconds = r.Number("tpot_target_s", positive: true),
            Layout = ReadLayout(r, devices),
            Lengths = ReadLengths(r),
            MaxNumSeqs = r.Has("max_num_seqs") ? r.Int("max_num_seqs", 1, 100_000) : null,
            MaxNumTokens = r.Has("max_num_tokens") ? r.Int("max_num_tokens", 1, 10_000_000) : null,
            ChunkedPrefill = r.Has("chunked_prefill") ? r.Bool("chunked_prefill") : null,
            ReserveWholeSequence = r.Has("capacity_scheduler") ? r.CapacityScheduler("capacity_scheduler") : null,
            BatcherWindowSeconds = r.Has("batcher_window_s") ? r.Bounded("batcher_window_s", 0.001, 60) : null,
            MinDurationSeconds = r.Has("min_duration_s") ? r.Bounded("min_duration_s", 1, 86_400) : null,
            LeastBusyDispatch = r.Has("dispatch") ? r.Dispatch("dispatch") : null,
            Speculation = ReadSpeculation(r),
            ValueLocation = r.At("value"),
        };
    }

    /// <summary>The speculation columns of a row: kind, proposed tokens (default 1 for mtp, 4 otherwise, as <c>--draft-tokens</c>) and acceptance length.</summary>
    private static StatedSpeculation? ReadSpeculation(Row r)
    {
        var text = r.Has("speculation") ? r.Text("speculation") : "";
        var k = r.Has("draft_tokens") ? r.Int("draft_tokens", 1, Suanli.StepTime.Speculation.MaxTokens) : null;
        var length = r.Has("acceptance_length") ? r.Number("acceptance_length", positive: true) : null;
        if (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            if (k is not null || length is not null)
            {
                var column = k is not null ? "draft_tokens" : "acceptance_length";
                throw new InputException(column, text.Length == 0
                    ? Phrase.Of("measurement-speculation-off#empty", "Column '{column}' is given but 'speculation' is empty; state the speculation (mtp, eagle or draft:MODEL) or leave '{column}' empty.", ("column", column))
                    : Phrase.Of("measurement-speculation-off#none", "Column '{column}' is given but 'speculation' is none; state the speculation (mtp, eagle or draft:MODEL) or leave '{column}' empty.", ("column", column)), r.At(column));
            }
            return null;
        }
        var lower = text.ToLowerInvariant();
        string kind, draft = "";
        if (lower is "mtp" or "eagle")
        {
            kind = lower;
        }
        else if (lower.StartsWith("draft:", StringComparison.Ordinal) && text[6..].Trim().Length > 0)
        {
            kind = "draft";
            draft = text[6..].Trim();
        }
        else
        {
            throw new InputException("speculation", Phrase.Of("measurement-speculation-unknown", "Column 'speculation' must be none, mtp, eagle or draft:MODEL (a catalog model id, e.g. draft:llama-3.2-1b), got '{value}'.", ("value", Clip(text))), r.At("speculation"));
        }
        var tokens = k ?? (kind == "mtp" ? 1 : 4);
        if (length is null)
        {
            throw new InputException("acceptance_length", Phrase.Of("measurement-acceptance-missing", "Column 'acceptance_length' is empty while 'speculation' is given; state the mean tokens emitted per verify step, the target's own token included (TensorRT-LLM's and SGLang's 'acceptance length', EAGLE's tau), e.g. 1.92."), r.At(r.Has("acceptance_length") ? "acceptance_length" : "speculation"));
        }
        if (length <= 1 || length >= tokens + 1)
        {
            throw new InputException("acceptance_length", Phrase.Of("measurement-acceptance-range", "Column 'acceptance_length' must be more than 1 and less than draft_tokens + 1 = {max} (the mean tokens emitted per verify step, the target's own token included), got '{value}'. A rate per proposed token (0 to 1) is not this column: convert it with (1 - a^(k+1)) / (1 - a).",
                ("max", tokens + 1), ("value", Clip(r.Text("acceptance_length")))), r.At("acceptance_length"));
        }
        return new StatedSpeculation(kind, draft, tokens, length.Value);
    }

    /// <summary>
    /// The <c>lengths</c> column: empty, or a dataset of catalog/datasets; an unknown name is this row's error listing
    /// the known ones, as <c>--input dataset:NAME</c> is, rather than a row skipped when predicted.
    /// </summary>
    private static string ReadLengths(Row r)
    {
        var name = r.Has("lengths") ? r.Text("lengths") : "";
        if (name.Length > 0 && !LengthDatasets.Names.Contains(name.ToLowerInvariant(), StringComparer.Ordinal))
        {
            throw new InputException("lengths", Phrase.Of("measurement-lengths-unknown", "Column 'lengths' names no known length dataset: '{value}'. Known datasets: {known}; or leave it empty for fixed lengths at the row's means.",
                ("value", Clip(name)), ("known", PhraseList.Words(LengthDatasets.Names))), r.At("lengths"));
        }
        return name;
    }

    private static PinnedLayout? ReadLayout(Row r, int devices)
    {
        int? Opt(string name) => r.Has(name) ? r.Int(name, 1, 1_000_000) : null;
        var (tp, pp, ep, replicas) = (Opt("tp"), Opt("pp"), Opt("ep"), Opt("replicas"));
        if (tp is null && pp is null && ep is null && replicas is null)
        {
            return null;
        }
        if (tp is null)
        {
            throw new InputException("tp", Phrase.Of("measurement-tp-missing", "Column 'tp' is empty while 'pp', 'ep' or 'replicas' is given; a pinned layout needs its tensor-parallel degree (1 for none)."), r.At("tp"));
        }
        // An ep that is a multiple k x tp (k at least 2) states data-parallel attention: a replica is EP x PP devices, as
        // SystemLayouts.Validate reads it when the row is predicted (validation/measurements/README.md).
        var width = ep is { } e && e > tp.Value && e % tp.Value == 0 ? e : tp.Value;
        var group = width * (pp ?? 1);
        var n = replicas ?? devices / group;
        if (n < 1 || n * group != devices)
        {
            // The splits of the device count, whatever the model: which of them the model's heads and layers allow is
            // checked when the row is predicted, and a source's layout the model refuses skips the row naming them.
            var sizes = string.Join(", ", Enumerable.Range(1, devices).Where(g => devices % g == 0).Take(24)
                .Select(g => $"{(devices / g).ToString(CultureInfo.InvariantCulture)} x {g.ToString(CultureInfo.InvariantCulture)}"));
            var split = width == tp.Value ? Phrase.Of("cell.value", "{value}", ("value", $"TP={tp}"))
                : Phrase.Of("measurement-layout-ep", "EP={width} (TP={tp} x {ranks} data-parallel attention ranks)", ("width", width), ("tp", tp.Value), ("ranks", width / tp.Value));
            (string, object)[] args = [("split", split), ("pp", pp ?? 1), ("group", group), ("devices", devices), ("sizes", sizes)];
            throw new InputException(replicas is null ? "tp" : "replicas",
                replicas is null
                    ? Phrase.Of("measurement-layout-divide", "The pinned layout {split} x PP={pp} = {group} devices per replica does not divide the row's {devices} devices; choose TP and PP whose product divides {devices}, or give 'replicas'. Splits of {devices} devices, replicas x (TP x PP): {sizes}.", args)
                    : Phrase.Of("measurement-layout-replicas", "The pinned layout {n} replicas x {split} x PP={pp} uses {used} devices, not the row's {devices}; devices must equal replicas x {width} x PP. Splits of {devices} devices, replicas x (TP x PP): {sizes}.",
                        [.. args.Where(a => a.Item1 != "group"), ("n", n), ("used", n * group), ("width", width == tp.Value ? "TP" : "EP")]),
                r.At(replicas is null ? "tp" : "replicas"));
        }
        return new PinnedLayout(tp.Value, pp ?? 1, ep, n);
    }

    private static TrainingMeasurement ReadTraining(Row r) => new(
        r.Required("id"), r.Required("model"), r.Required("hardware"), r.Int("devices", 1, 10_000_000),
        r.Text("precision"), r.Number("train_tokens", positive: true), r.Int("seq_len", 1, 100_000_000),
        r.Required("metric"), r.Number("value", positive: true) ?? throw r.Missing("value"), r.Text("source"), r.Text("note"), r.Location)
    {
        ValueLocation = r.At("value"),
    };

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "..." : s;

    private sealed record Field(string Text, int Column);

    private sealed record Record(int Line, IReadOnlyList<Field> Fields);

    private sealed class Row(Record record, string[] names, string file)
    {
        public SourceLocation Location { get; } = new(file, record.Line, 1);

        public string Text(string name) => Get(name).Text.Trim();

        public bool Has(string name) => Array.IndexOf(names, name) >= 0;

        // A value below the range is refused with the range, not with Number's sign rule ("zero or more" for a column that
        // starts at 1), as the scenario files' ranges are.
        public double? Bounded(string name, double min, double max)
        {
            var v = Parsed(name);
            if (v is { } x && (x < min || x > max))
            {
                throw Bad(name, Phrase.Of("measurement-column-range", "Column '{column}' must be from {min} to {max}, got '{value}'.", ("column", name), ("min", min), ("max", max.ToString("N0", CultureInfo.InvariantCulture)), ("value", Clip(Text(name)))));
            }
            return v;
        }

        public string Required(string name)
        {
            var v = Text(name);
            return v.Length > 0 ? v : throw Missing(name);
        }

        public InputException Missing(string name) =>
            Bad(name, Phrase.Of("measurement-column-missing", "Column '{column}' is empty; it is required.", ("column", name)));

        // A bad value of column <paramref name="name"/>, placed at its cell.
        private InputException Bad(string name, Phrase text) => new(name, text, At(name));

        public int? Int(string name, int min, int max)
        {
            var v = Number(name, positive: false);
            if (v is null)
            {
                return null;
            }
            if (v != Math.Floor(v.Value) || v < min || v > max)
            {
                throw Bad(name, Phrase.Of("measurement-column-whole", "Column '{column}' must be a whole number from {min} to {max}, got '{value}'.", ("column", name), ("min", min), ("max", max.ToString("N0", CultureInfo.InvariantCulture)), ("value", Clip(Text(name)))));
            }
            return (int)v.Value;
        }

        public bool? Bool(string name) => Text(name).ToLowerInvariant() switch
        {
            "" => null,
            "true" => true,
            "false" => false,
            _ => throw Bad(name, Phrase.Of("measurement-column-bool", "Column '{column}' must be true or false (or empty for the engine's default), got '{value}'.", ("column", name), ("value", Clip(Text(name))))),
        };

        public bool? CapacityScheduler(string name) => Text(name).ToLowerInvariant() switch
        {
            "" => null,
            "guaranteed_no_evict" => true,
            "max_utilization" => false,
            _ => throw Bad(name, Phrase.Of("measurement-column-scheduler", "Column '{column}' must be guaranteed_no_evict or max_utilization (TensorRT-LLM's capacity_scheduler_policy; empty for the engine's default), got '{value}'.", ("column", name), ("value", Clip(Text(name))))),
        };

        public bool? Dispatch(string name) => Text(name).ToLowerInvariant() switch
        {
            "" => null,
            "least_busy" => true,
            "random" => false,
            _ => throw Bad(name, Phrase.Of("measurement-column-dispatch", "Column '{column}' must be least_busy or random (how a harness sends requests to the replicas; empty for a random split), got '{value}'.", ("column", name), ("value", Clip(Text(name))))),
        };

        public double? Number(string name, bool positive)
        {
            if (Parsed(name) is not { } v)
            {
                return null;
            }
            var text = Text(name);
            if (positive ? v <= 0 : v < 0)
            {
                throw Bad(name, positive
                    ? Phrase.Of("measurement-column-positive", "Column '{column}' must be greater than zero, got '{value}'.", ("column", name), ("value", Clip(text)))
                    : Phrase.Of("measurement-column-positive#zero", "Column '{column}' must be zero or more, got '{value}'.", ("column", name), ("value", Clip(text))));
            }
            return v;
        }

        private double? Parsed(string name)
        {
            var text = Text(name);
            if (text.Length == 0)
            {
                return null;
            }
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw Bad(name, Phrase.Of("measurement-column-number", "Column '{column}' must be a number, got '{value}'.", ("column", name), ("value", Clip(text))));
        }

        private Field Get(string name) => record.Fields[Array.IndexOf(names, name)];

        public SourceLocation At(string name) => Has(name) ? new(file, record.Line, Get(name).Column) : Location;
    }
}
