using Suanli.Text;

namespace Suanli;

/// <summary>How much a finding matters to the answer.</summary>
public enum Severity
{
    /// <summary>An assumption or explanation the user should see.</summary>
    Info,
    /// <summary>The answer holds, but something is close to a limit or rests on weak data.</summary>
    Warning,
    /// <summary>The configuration does not work as asked (does not fit, misses a target).</summary>
    Error,
}

/// <summary>
/// A statement about a result that travels with it ("KV cache needs 96 GiB, 80 GiB free"). Findings are part of
/// every result, never log lines, so every renderer (terminal, JSON, web) shows the same ones. Each carries its
/// sentence as a <see cref="Phrase"/> (a key, an English template and named values with their units), so the web
/// and reports render it in the reader's language; <see cref="Message"/> is the English rendering.
/// </summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Code">A stable, machine-readable code, e.g. <c>does-not-fit</c>.</param>
/// <param name="Message">A complete English sentence with the numbers that matter.</param>
public sealed record Finding(Severity Severity, string Code, string Message)
{
    /// <summary>Findings are equal when severity, code and English message are (the phrase is how the message was made).</summary>
    public bool Equals(Finding? other) => other is not null && Severity == other.Severity && Code == other.Code && Message == other.Message;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Severity, Code, Message);

    /// <summary>The sentence as a key, template and values; null only for findings made from a bare message.</summary>
    public Phrase? Text { get; init; }

    /// <summary>The sentence as a phrase: <see cref="Text"/>, or the bare <see cref="Message"/> as a <see cref="Phrase.Plain"/> one.</summary>
    public Phrase Phrase => Text ?? Phrase.Plain(Message);

    /// <summary>
    /// An informational finding. <paramref name="key"/> is the code, or <c>code#variant</c> when one code has several
    /// sentences; <paramref name="template"/> names its values as <c>{name}</c>, each given formatted (units included).
    /// </summary>
    public static Finding Info(string key, string template, params (string Name, object Value)[] args) => Of(Severity.Info, key, template, args);

    /// <summary>A warning (see <see cref="Info"/> for the arguments).</summary>
    public static Finding Warn(string key, string template, params (string Name, object Value)[] args) => Of(Severity.Warning, key, template, args);

    /// <summary>An error: the configuration does not work as asked (see <see cref="Info"/> for the arguments).</summary>
    public static Finding Error(string key, string template, params (string Name, object Value)[] args) => Of(Severity.Error, key, template, args);

    /// <summary>A finding of a phrase made elsewhere; its code is the phrase key up to any <c>#</c>.</summary>
    public static Finding Of(Severity severity, Phrase text)
    {
        var hash = text.Key.IndexOf('#', StringComparison.Ordinal);
        return new Finding(severity, hash < 0 ? text.Key : text.Key[..hash], text.English) { Text = text };
    }

    /// <summary>
    /// The finding in <paramref name="language"/>, fields spelled by <paramref name="fields"/> and commands pointed to by
    /// <paramref name="commands"/> (the core's spellings when null).
    /// </summary>
    public string Render(Language language, Func<FieldName, string>? fields = null, Func<CommandRef, Language, string>? commands = null) =>
        Text is null ? Message : Text.Render(language, fields ?? FieldNames.Core, commands);

    /// <summary>The finding prefixed with the application it concerns ("chat: ..."), code unchanged.</summary>
    public Finding For(string application) => this with
    {
        Message = $"{application}: {Message}",
        Text = Text is null ? null : Phrase.Of("for-application", "{application}: {text}", ("application", application), ("text", Text)),
    };

    private static Finding Of(Severity severity, string key, string template, (string Name, object Value)[] args) =>
        Of(severity, Phrase.Of(key, template, args));
}
