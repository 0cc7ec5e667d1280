using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>What a report column holds, so each renderer can format it (text files) or keep the number (spreadsheets).</summary>
public enum CellKind
{
    /// <summary>Words, ids, or values already formatted with their words around them; a phrase when it has words to translate.</summary>
    Text,

    /// <summary>A whole number of things (devices, servers, replicas), shown with thousands separators.</summary>
    Count,

    /// <summary>A number in the unit the header names (kW, kWh, tokens/s), shown with fixed decimals.</summary>
    Number,

    /// <summary>A ratio (0.37), shown as a percentage ("37%").</summary>
    Percent,

    /// <summary>An amount of money in a currency, shown as <see cref="Show.Money"/> writes it.</summary>
    Money,

    /// <summary>A duration in seconds, shown as <see cref="Show.Time"/> writes it (ms below 1 s, h from 1 h).</summary>
    Seconds,

    /// <summary>A size in bytes, shown as <see cref="Show.Bytes"/> writes it (GB with GiB beside).</summary>
    Bytes,
}

/// <summary>A column of a report table: its header as a phrase (a key with an English template, translated by key) and the kind of its cells.</summary>
/// <param name="Header">The header; units in it, e.g. "Energy (kWh/day)".</param>
/// <param name="Kind">What the cells hold; <see cref="CellKind.Text"/> for a column of mixed or worded cells.</param>
public sealed record ReportColumn(Phrase Header, CellKind Kind = CellKind.Text)
{
    /// <summary>The English header.</summary>
    public string Name => Header.English;

    /// <summary>
    /// True for a column of prices that the terminal shows with the same decimals in every row (0.60 USD above 10.00 USD);
    /// the JSON document and the files keep each amount as it is.
    /// </summary>
    public bool AlignDecimals { get; init; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// One cell of a report table as a value: a count, a number with its decimals, a ratio, money, seconds, bytes, a
/// phrase or plain text. Renderers format it (<see cref="Render"/>) or keep the number (<see cref="ReportFiles.Workbook"/>).
/// </summary>
public sealed record ReportCell
{
    private ReportCell(CellKind kind, double value, int decimals, Money? money, Phrase? phrase)
    {
        Kind = kind;
        Value = value;
        Decimals = decimals;
        Amount = money;
        Phrase = phrase;
    }

    /// <summary>What the cell holds.</summary>
    public CellKind Kind { get; }

    /// <summary>The number: the count, the number in the column's unit, the ratio (not times 100), seconds or bytes; 0 for text and money.</summary>
    public double Value { get; }

    /// <summary>Decimals shown for <see cref="CellKind.Number"/> and <see cref="CellKind.Percent"/> (of the percentage).</summary>
    public int Decimals { get; }

    /// <summary>The money of a <see cref="CellKind.Money"/> cell.</summary>
    public Money? Amount { get; }

    /// <summary>The words of a <see cref="CellKind.Text"/> cell; null for an empty cell (shown as "-").</summary>
    public Phrase? Phrase { get; }

    private Duration Time { get; init; }

    private Quantities.Bytes Size { get; init; }

    /// <summary>True when the cell has no value (shown as "-", left blank in a spreadsheet).</summary>
    public bool IsEmpty => Kind == CellKind.Text && Phrase is null;

    /// <summary>A cell with no value, e.g. a cost with no price.</summary>
    public static ReportCell None { get; } = new(CellKind.Text, 0, 0, null, null);

    /// <summary>Text that reads the same in every language: an id, a name, or a value formatted with its unit.</summary>
    public static ReportCell Text(string text) => new(CellKind.Text, 0, 0, null, Unkeyed(text));

    /// <summary>Words rendered in the reader's language.</summary>
    public static ReportCell Words(Phrase phrase) => new(CellKind.Text, 0, 0, null, phrase);

    /// <summary>A whole number of things.</summary>
    public static ReportCell Count(double count) => new(CellKind.Count, Finite(count), 0, null, null);

    /// <summary>A number in the column's unit with <paramref name="decimals"/> decimals shown.</summary>
    public static ReportCell Number(double value, int decimals) => new(CellKind.Number, Finite(value), decimals, null, null);

    /// <summary>A ratio (0.37) shown as a percentage with <paramref name="decimals"/> decimals ("37%").</summary>
    public static ReportCell Percent(double ratio, int decimals = 0) => new(CellKind.Percent, Finite(ratio), decimals, null, null);

    /// <summary>An amount of money.</summary>
    public static ReportCell Money(Money money) => new(CellKind.Money, 0, 0, money, null);

    /// <summary>An amount of money, or an empty cell when there is none.</summary>
    public static ReportCell Money(Money? money) => money is { } m ? Money(m) : None;

    /// <summary>
    /// A price that can be below one unit (per hour, per million tokens): shown as <see cref="Quantities.Money.ToDisplayString"/>
    /// writes it, four significant figures below 1, so 0.6401 USD does not read 0.64 USD.
    /// </summary>
    public static ReportCell Price(Money money) => new(CellKind.Money, 0, 0, money, null) { Precise = true };

    /// <summary>True for a <see cref="Price"/>: the text keeps four significant figures below one unit and a spreadsheet the whole amount.</summary>
    public bool Precise { get; private init; }

    /// <summary>A duration.</summary>
    public static ReportCell Seconds(Duration duration) => new(CellKind.Seconds, Finite(duration.Value), 0, null, null) { Time = duration };

    /// <summary>A size.</summary>
    public static ReportCell Bytes(Quantities.Bytes size) => new(CellKind.Bytes, Finite(size.Value), 0, null, null) { Size = size };

    /// <summary>The cell as text in <paramref name="language"/>: numbers with the invariant culture's separators, words translated.</summary>
    public string Render(Language language) => Kind switch
    {
        CellKind.Count => Show.N(Value),
        CellKind.Number => Show.N(Value, Decimals),
        CellKind.Percent => Show.N(Value * 100, Decimals) + "%",
        CellKind.Money => Precise ? Amount!.Value.ToDisplayString() : Show.Money(Amount!.Value),
        CellKind.Seconds => Show.Time(Time),
        CellKind.Bytes => Show.Bytes(Size),
        _ => Phrase?.Render(language, FieldNames.Core) ?? "-",
    };

    /// <summary>The cell as English text.</summary>
    public string English => Render(Languages.English);

    /// <summary>The English text (what the Markdown and CSV reports show).</summary>
    public static implicit operator string(ReportCell cell) => cell.English;

    /// <inheritdoc />
    public override string ToString() => English;

    /// <summary>Text with no key, the same in every language (a name, an id); a brace in it stays as written.</summary>
    public static Phrase Unkeyed(string text) => new("", text, []);

    private static double Finite(double value) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), "not finite");
}
