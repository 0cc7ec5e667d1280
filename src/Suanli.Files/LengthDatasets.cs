using System.Globalization;
using Suanli.Serving;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// Per-request prompt and answer lengths of public benchmark datasets, embedded under catalog/datasets (one CSV per
/// dataset, columns <c>input_length,output_length</c>; sources and licence in catalog/datasets/README.md). A scenario,
/// a command or a measurement row names one to draw request lengths from the real long-tailed workload. A prompt and
/// an output distribution of the same dataset are drawn together, one dataset request at a time
/// (<see cref="LengthDistribution.Pairing"/>).
/// </summary>
public static class LengthDatasets
{
    private const string Folder = "datasets/";
    private static readonly Lazy<IReadOnlyList<string>> AllNames = new(() =>
        [.. CatalogFiles.EmbeddedPaths(Folder).Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)]);
    private static readonly Dictionary<string, (int[] Input, int[] Output)> Cache = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>The dataset names (file names without <c>.csv</c>), e.g. <c>mlperf-llama2-70b-99</c>.</summary>
    public static IReadOnlyList<string> Names => AllNames.Value;

    /// <summary>The prompt lengths of a dataset as an empirical distribution; an unknown name throws on <paramref name="field"/> listing the known ones.</summary>
    public static LengthDistribution Input(string name, FieldRef field) => LengthDistribution.Empirical(Load(name, field).Input, field).PairedAs(Key(name));

    /// <summary>The answer lengths of a dataset as an empirical distribution.</summary>
    public static LengthDistribution Output(string name, FieldRef field) => LengthDistribution.Empirical(Load(name, field).Output, field).PairedAs(Key(name));

    /// <summary>
    /// The answer lengths of a dataset scaled so that their mean is <paramref name="mean"/> tokens (a benchmark whose
    /// model generates longer or shorter answers than the dataset's reference answers), each at least 1 token.
    /// </summary>
    public static LengthDistribution OutputWithMean(string name, double mean, FieldRef field)
    {
        var values = Load(name, field).Output;
        var scale = mean / values.Average();
        return LengthDistribution.Empirical([.. values.Select(v => Math.Max(1, (int)Math.Round(v * scale)))], field).PairedAs(Key(name));
    }

    private static string Key(string name) => name.Trim().ToLowerInvariant();

    private static (int[] Input, int[] Output) Load(string name, FieldRef field)
    {
        var key = name.Trim().ToLowerInvariant();
        lock (Gate)
        {
            if (Cache.TryGetValue(key, out var cached))
            {
                return cached;
            }
            if (!Names.Contains(key, StringComparer.Ordinal))
            {
                var named = field.Or(FieldNames.Input);
                throw named.Error(Phrase.Of("length-dataset-unknown", "{field}: unknown length dataset '{name}'. Known datasets: {names}.", ("field", named.Arg), ("name", name), ("names", PhraseList.Words(Names))));
            }
            var path = Folder + key + ".csv";
            var input = new List<int>();
            var output = new List<int>();
            var line = 0;
            foreach (var raw in CatalogFiles.ReadEmbedded(path).Split('\n'))
            {
                line++;
                var text = raw.Trim();
                if (line == 1 || text.Length == 0)
                {
                    continue;
                }
                var cells = text.Split(',');
                if (cells.Length != 2 || !int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                    || !int.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out var o) || i < 1 || o < 1)
                {
                    throw new InputException("dataset", Phrase.Of("length-dataset-bad-row", "Expected two positive whole numbers (input_length,output_length), got '{text}'.", ("text", text)),
                        new SourceLocation("catalog/" + path, line));
                }
                input.Add(i);
                output.Add(o);
            }
            var result = (input.ToArray(), output.ToArray());
            Cache[key] = result;
            return result;
        }
    }
}
