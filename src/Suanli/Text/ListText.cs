namespace Suanli.Text;

/// <summary>
/// The one rule for a list typed as text: a command-line option (<c>1,8,64</c>), an API field, a scenario value or a
/// distribution's values. Items are trimmed, and an empty item is an error naming the field and the item's position:
/// <c>1,,2</c> was read as <c>1,2</c>, so a value the user meant to type was dropped without a word.
/// </summary>
public static class ListText
{
    /// <summary>The items of <paramref name="text"/>, trimmed; an empty item (or empty text) is an error on <paramref name="field"/>.</summary>
    /// <param name="text">The list as typed.</param>
    /// <param name="field">The field the list was given for.</param>
    /// <param name="separator">The character between items.</param>
    public static IReadOnlyList<string> Split(string text, FieldRef field, char separator = ',') =>
        Split(text, separator, field.Arg, field.Error);

    /// <summary>
    /// The items of <paramref name="text"/>, trimmed; an empty item (or empty text) is an error raised by
    /// <paramref name="error"/>, for callers that place or spell the field their own way (a file's key and line, an API field).
    /// </summary>
    /// <param name="text">The list as typed.</param>
    /// <param name="separator">The character between items.</param>
    /// <param name="field">The field as a phrase placeholder value (a spelling or a <see cref="FieldName"/>).</param>
    /// <param name="error">Makes the input error from the sentence.</param>
    public static IReadOnlyList<string> Split(string text, char separator, object field, Func<Phrase, InputException> error)
    {
        var items = SplitOutsideParentheses(text, separator);
        if (items.Length == 1 && items[0].Length == 0)
        {
            throw error(Phrase.Of("list-empty", "{field} is empty; give at least one value, several separated by '{separator}', or leave {field} out for its default.",
                ("field", field), ("separator", separator.ToString())));
        }
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Length == 0)
            {
                throw error(Phrase.Of("list-empty-item", "{field}: item {position} of '{text}' is empty; remove the extra '{separator}' or put a value there.",
                    ("field", field), ("position", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("text", InputQuote.Clip(text)), ("separator", separator.ToString())));
            }
        }
        return items;
    }

    // A separator inside parentheses belongs to the item: catalog names such as the API price
    // "DeepSeek/deepseek-chat (DeepSeek-V3, CNY)" hold a comma, and the error for a mistyped name suggests them.
    private static string[] SplitOutsideParentheses(string text, char separator)
    {
        var items = new List<string>();
        var (depth, start) = (0, 0);
        for (var i = 0; i < text.Length; i++)
        {
            depth = text[i] == '(' ? depth + 1 : text[i] == ')' ? Math.Max(0, depth - 1) : depth;
            if (text[i] == separator && depth == 0)
            {
                items.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        items.Add(text[start..].Trim());
        return [.. items];
    }
}
