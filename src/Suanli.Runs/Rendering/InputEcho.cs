using Suanli.Text;

namespace Suanli.Runs;

/// <summary>How the shared runs quote a user's text back in an error message.</summary>
internal static class InputEcho
{
    /// <summary>The text, cut to 60 characters: a web request may send kilobytes, and a message must stay readable.</summary>
    public static string Clip(string text) => InputQuote.Clip(text);
}
