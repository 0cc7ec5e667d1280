namespace Suanli.Tests;

/// <summary>More rows of the figure table (<see cref="CommandFigureRows"/>): parameter counts of models added after the table's file filled.</summary>
public sealed partial class DocFiguresTests
{
    private static IEnumerable<(string Page, Func<string> Says)> ModelRows()
    {
        yield return ("docs/catalog.md", () => F($"counts {Counted("step-3.5-flash").Total:0.00}B and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head against the card's 196B and 11B"));
        yield return ("docs/methodology.md", () => F($"layer, {Counted("step-3.5-flash").Total:0.00}B in total and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head (the card's 196B and 11B)"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted("step-3.5-flash").Total * 1e9:N0} (+0.5% on the card's rounded 196B, inside the 1% check) and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead * 1e9:N0} active"));
        yield return ("docs/catalog.md", () => F($"counts {Counted("step-3.7-flash").Total:0.00}B ({Parts("step-3.7-flash").Text:0.00}B text and a {Counted("step-3.7-flash").Total - Parts("step-3.7-flash").Text:0.00}B vision tower) and {Parts("step-3.7-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head against the README's 198B and 11B"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted("step-3.7-flash").Total * 1e9:N0} (+0.47% on the README's 198B): the text model's {Parts("step-3.7-flash").Text * 1e9:N0} and a {(Counted("step-3.7-flash").Total - Parts("step-3.7-flash").Text) * 1e9:N0} vision tower"));
    }
}
