using Suanli.Text;

namespace Suanli;

/// <summary>
/// A problem with what the user supplied (an option, a file, a catalog entry), as opposed to a defect.
/// The CLI and web turn it into a message and exit code 2 / an RFC 7807 response; it never escapes as a stack trace.
/// </summary>
public class InputException : Exception
{
    /// <summary>Creates the exception for a named field.</summary>
    /// <param name="field">The option, key or column at fault, e.g. <c>--context</c> or <c>peak_concurrency</c>.</param>
    /// <param name="message">A complete sentence saying what is wrong and what would be right.</param>
    /// <param name="location">Where the value came from (file and line), when it came from a file.</param>
    public InputException(string field, string message, SourceLocation? location = null)
        : base(location is null ? message : $"{location}: {message}")
    {
        Field = field;
        Location = location;
        Detail = message;
    }

    /// <summary>
    /// Creates the exception for a logical field (spelled by each front end its own way) with the message as a phrase,
    /// so the web renders it in the reader's language with its own field names.
    /// </summary>
    /// <param name="field">The field at fault.</param>
    /// <param name="text">What is wrong and what would be right.</param>
    /// <param name="location">Where the value came from, when it came from a file.</param>
    public InputException(FieldName field, Phrase text, SourceLocation? location = null)
        : this(FieldNames.Core(field), text.English, location)
    {
        FieldId = field;
        Text = text;
    }

    /// <summary>
    /// Creates the exception for a logical field whose spelling is fixed by where the value came from: a scenario
    /// file's keys (<c>applications[0].input_tokens</c>) rather than each front end's own. The English message and
    /// <see cref="Field"/> use <paramref name="spelling"/>; the web renders <see cref="Text"/> with it in the reader's language.
    /// </summary>
    /// <param name="field">The field at fault.</param>
    /// <param name="text">What is wrong and what would be right.</param>
    /// <param name="location">Where the value is in the file (or where it would go, when a default was used).</param>
    /// <param name="spelling">How the fields named in the message are spelled.</param>
    public InputException(FieldName field, Phrase text, SourceLocation? location, Func<FieldName, string> spelling)
        : this(spelling(field), text.Render(Languages.English, spelling), location)
    {
        FieldId = field;
        Text = text;
        Spelling = spelling;
    }

    /// <summary>
    /// Creates the exception for a field named as the caller's front end names it (<c>--model</c> or <c>model</c>) with
    /// the message as a phrase that names no field, so the web renders it in the reader's language.
    /// </summary>
    /// <param name="field">The option, key or column at fault.</param>
    /// <param name="text">What is wrong and what would be right.</param>
    public InputException(string field, Phrase text)
        : this(field, text.English)
    {
        Text = text;
    }

    /// <summary>
    /// Creates the exception for a field named as the caller's front end names it (<c>applications[0].peak_rate</c> or
    /// <c>peakRate</c>) with the message as a phrase whose fields that front end spelled, placed at its position in a file.
    /// </summary>
    /// <param name="field">The option, key or column at fault.</param>
    /// <param name="text">What is wrong and what would be right.</param>
    /// <param name="location">Where the value came from, when it came from a file.</param>
    public InputException(string field, Phrase text, SourceLocation? location)
        : this(field, text.English, location)
    {
        Text = text;
    }

    /// <summary>
    /// The spelling of the fields the message names when it is fixed by the input's source (a scenario file); null when
    /// each front end spells them its own way.
    /// </summary>
    public Func<FieldName, string>? Spelling { get; }

    /// <summary>
    /// The 0-based index of the scenario application whose planning raised the error, when the planner knows it; a
    /// scenario file's reader turns it and <see cref="FieldId"/> into the key the user wrote and its line.
    /// </summary>
    public int? Application { get; init; }

    /// <summary>
    /// This error tagged with the scenario application being planned (a copy), unless it already names one, carries no
    /// logical field or already has a fixed spelling (then it is returned as it is).
    /// </summary>
    /// <param name="index">The 0-based index of the application in the scenario.</param>
    public InputException ForApplication(int index) =>
        FieldId is { } field && Text is { } text && Application is null && Spelling is null
            ? new InputException(field, text, Location) { Application = index }
            : this;

    /// <summary>The option, key or column at fault.</summary>
    public string Field { get; }

    /// <summary>The logical field at fault, when the core named one.</summary>
    public FieldName? FieldId { get; }

    /// <summary>The message as a phrase, when the core made one (null for messages made from a bare string).</summary>
    public Phrase? Text { get; }

    /// <summary>The message as a phrase: <see cref="Text"/>, or the bare <see cref="Exception.Message"/> as a <see cref="Phrase.Plain"/> one.</summary>
    public Phrase Phrase => Text ?? Phrase.Plain(Message);

    /// <summary>The message without the location prefix.</summary>
    public string Detail { get; }

    /// <summary>The file position, when the value came from a file.</summary>
    public SourceLocation? Location { get; }

    /// <summary>Creates an instance without details; prefer the field constructor.</summary>
    public InputException() : this("input", "Invalid input.") { }

    /// <summary>Creates an instance with a message; prefer the field constructor.</summary>
    public InputException(string message) : this("input", message) { }

    /// <summary>Creates an instance wrapping another; prefer the field constructor.</summary>
    public InputException(string message, Exception innerException) : base(message, innerException)
    {
        Field = "input";
        Detail = message;
    }
}

/// <summary>A position in a user or catalog file: path, 1-based line and column (0 when unknown).</summary>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0)
{
    /// <inheritdoc />
    public override string ToString() => Line <= 0 ? File : Column <= 0 ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}

/// <summary>A name that matched nothing in a catalog; carries the nearest valid names.</summary>
public sealed class UnknownNameException : InputException
{
    /// <summary>Creates the exception with the suggestions already computed.</summary>
    public UnknownNameException(string field, string kind, string name, IReadOnlyList<string> suggestions)
        : base(field, Describe(kind, name, suggestions))
    {
        Name = name;
        Suggestions = Near(name, suggestions);
    }

    /// <summary>Creates the exception for a logical field, spelled by each front end, with the suggestions already computed.</summary>
    public UnknownNameException(FieldName field, string kind, string name, IReadOnlyList<string> suggestions)
        : base(field, Describe(kind, name, suggestions))
    {
        Name = name;
        Suggestions = Near(name, suggestions);
    }

    private UnknownNameException(FieldName field, Phrase text, string name, IReadOnlyList<string> members)
        : base(field, text) => (Name, Suggestions) = (name, members);

    private UnknownNameException(string field, Phrase text, string name, IReadOnlyList<string> members)
        : base(field, text) => (Name, Suggestions) = (name, members);

    /// <summary>
    /// The exception for a family name ("gemma-4", "Llama 4") that begins the ids of several entries: the name is
    /// ambiguous, and the message lists every member by id rather than the three nearest strings (which were often
    /// aliases of one entry, or of another family: 'Gemma 4' was offered 'gemma-3n').
    /// </summary>
    public static UnknownNameException Family(FieldRef field, string kind, string name, IReadOnlyList<string> members)
    {
        var text = Phrase.Of("unknown-name#family", "'{name}' names {count} {kind} entries, not one: {members}. Give one of them; {catalog} lists them all.",
            ("name", InputQuote.Clip(name)), ("count", members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("kind", Kind(kind)),
            ("members", PhraseList.Words(members.Select(s => $"'{s}'"))), ("catalog", CommandRefs.Catalog));
        return field is { Name: { } n, Spelled: null } ? new UnknownNameException(n, text, name, members) : new UnknownNameException(field.Spelling, text, name, members);
    }

    /// <summary>The exception for <paramref name="field"/>: a logical field when the caller gave one, else its spelling.</summary>
    public static UnknownNameException For(FieldRef field, string kind, string name, IReadOnlyList<string> suggestions) =>
        field is { Name: { } n, Spelled: null } ? new UnknownNameException(n, kind, name, suggestions) : new UnknownNameException(field.Spelling, kind, name, suggestions);

    /// <summary>The name that matched nothing.</summary>
    public string Name { get; }

    /// <summary>The nearest catalog names, best first; for a family name (<see cref="Family"/>), its members in catalog order.</summary>
    public IReadOnlyList<string> Suggestions { get; }

    // A blank name is near nothing: 'Did you mean hy3?' for --model '' only puzzled.
    private static IReadOnlyList<string> Near(string name, IReadOnlyList<string> suggestions) => string.IsNullOrWhiteSpace(name) ? [] : suggestions;

    private static Phrase Describe(string kind, string name, IReadOnlyList<string> suggestions) =>
        // No model, device or server id holds a comma: 'a,b' where one name belongs is a web parameter given twice
        // (model=a&model=b arrives joined) or a list, which "Unknown model 'a,b'" did not say.
        kind is "model" or "hardware" or "server" && name.Contains(',', StringComparison.Ordinal)
            ? Phrase.Of("unknown-name#several", "One {kind} is expected, got '{name}': a parameter given twice, or a comma-separated list where one name belongs. Give one, e.g. '{first}'.",
                ("kind", Kind(kind)), ("name", InputQuote.Clip(name)), ("first", InputQuote.Clip(name.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "")))
            // A tariff is a region of the prices catalog or a price; 'suanli catalog' lists neither.
            : kind == "tariff region"
            ? Phrase.Of("unknown-name#tariff", "Unknown tariff region '{name}'. Give a price such as '0.65 CNY/kWh', or a region {prices} lists{near}.",
                ("name", InputQuote.Clip(name)), ("prices", CommandRefs.CatalogPrices),
                ("near", Near(name, suggestions).Count == 0 ? Phrase.Of("nothing", "") : Phrase.Of("unknown-name#tariff-near", " (nearest: {suggestions})", ("suggestions", PhraseList.Words(suggestions.Select(s => $"'{s}'"))))))
            : Near(name, suggestions).Count == 0
            ? Phrase.Of("unknown-name", "Unknown {kind} '{name}'. List the catalog with {catalog}.", ("kind", Kind(kind)), ("name", InputQuote.Clip(name)), ("catalog", CommandRefs.Catalog))
            : Phrase.Of("unknown-name#suggest", "Unknown {kind} '{name}'. Did you mean {suggestions}? List them all with {catalog}.",
                ("kind", Kind(kind)), ("catalog", CommandRefs.Catalog), ("name", InputQuote.Clip(name)), ("suggestions", PhraseList.Words(suggestions.Select(s => $"'{s}'"))));

    // The kinds of catalog entry a name is looked up in, as words of the reader's language.
    private static Phrase Kind(string kind) => kind switch
    {
        "model" => Phrase.Of("name-kind#model", "model"),
        "hardware" => Phrase.Of("name-kind#hardware", "hardware"),
        "server" => Phrase.Of("name-kind#server", "server"),
        "API price" => Phrase.Of("name-kind#api-price", "API price"),
        "tariff region" => Phrase.Of("name-kind#tariff-region", "tariff region"),
        "PUE figure" => Phrase.Of("name-kind#pue", "PUE figure"),
        _ => Phrase.Of("name-kind", "{kind}", ("kind", kind)),
    };
}
