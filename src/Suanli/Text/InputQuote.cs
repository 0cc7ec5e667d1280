namespace Suanli.Text;

/// <summary>How a user's text is quoted back in an error message.</summary>
public static class InputQuote
{
    /// <summary>The text, cut to 60 characters: a web request may send kilobytes, and a message must stay readable.</summary>
    public static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
