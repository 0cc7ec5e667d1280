namespace Suanli.Text;

/// <summary>
/// The field an input error names: either a logical <see cref="FieldName"/> that each front end spells its own way, or a
/// spelling fixed by the caller (a scenario file's key, a web parameter). The core's look-ups and parsers take one with
/// no value by default and fall back to their own logical field, so the core never spells a command-line option.
/// </summary>
/// <param name="Name">The logical field, when the caller named one.</param>
/// <param name="Spelled">The caller's own spelling, when it gave one.</param>
public readonly record struct FieldRef(FieldName? Name, string? Spelled)
{
    /// <summary>A caller's own spelling (a file key such as <c>hardware</c>).</summary>
    public static implicit operator FieldRef(string spelled) => new(null, spelled);

    /// <summary>A logical field, spelled by each front end.</summary>
    public static implicit operator FieldRef(FieldName name) => new(name, null);

    /// <summary>True when the caller gave neither a field nor a spelling.</summary>
    public bool IsEmpty => Name is null && Spelled is null;

    /// <summary>This field, or <paramref name="fallback"/> when the caller gave none.</summary>
    public FieldRef Or(FieldName fallback) => IsEmpty ? fallback : this;

    /// <summary>The spelling for an English message: the caller's, else the core's spelling of the logical field.</summary>
    public string Spelling => Spelled ?? (Name is { } n ? FieldNames.Core(n) : "input");

    /// <summary>The value for a phrase placeholder: the logical field (spelled by the renderer) or the caller's spelling.</summary>
    public object Arg => Spelled ?? (object?)Name ?? "input";

    /// <summary>An input error on this field.</summary>
    /// <param name="text">What is wrong and what would be right.</param>
    public InputException Error(Phrase text) => Error(text, null);

    /// <summary>An input error on this field, placed at <paramref name="location"/> when the value came from a file.</summary>
    /// <param name="text">What is wrong and what would be right.</param>
    /// <param name="location">Where in a file the value is (file, line and column); null when it came from no file.</param>
    public InputException Error(Phrase text, SourceLocation? location) =>
        Name is { } n && Spelled is null ? new InputException(n, text, location) : new InputException(Spelling, text, location);

    /// <inheritdoc />
    public override string ToString() => Spelling;
}
