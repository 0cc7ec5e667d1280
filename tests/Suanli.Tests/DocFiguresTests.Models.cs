namespace Suanli.Tests;

/// <summary>More rows of the figure table (<see cref="CommandFigureRows"/>): parameter counts of models added after the table's file filled.</summary>
public sealed partial class DocFiguresTests
{
    private static IEnumerable<(string Page, Func<string> Says)> ModelRows()
    {
        yield return ("docs/catalog.md", () => F($"counts {Counted("step-3.5-flash").Total:0.00}B and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head against the card's 196B and 11B"));
        yield return ("docs/methodology.md", () => F($"layer, {Counted("step-3.5-flash").Total:0.00}B in total and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead:0.00}B active without embedding and head (the card's 196B and 11B)"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted("step-3.5-flash").Total * 1e9:N0} (+0.5% on the card's rounded 196B, inside the 1% check) and {Parts("step-3.5-flash").ActiveNoEmbeddingNoHead * 1e9:N0} active"));
        const string super = "nemotron-3-super-120b-a12b";
        yield return ("docs/catalog.md", () => F($"counts {Counted(super).Total:0.00}B and {Counted(super).Active:0.00}B active with embedding and head against the report's 120B and 12B"));
        yield return ("docs/methodology.md", () => F($"it counts {Counted(super).Total:0.00}B in total and {Counted(super).Active:0.00}B active with embedding and head (the report's 120B and 12B;"));
        yield return ("docs/methodology.md", () => F($"the `2h x h` projection and the final norm, {Parts(super).Mtp:0.00}B; as a"));
        yield return ("catalog/models/SOURCES.md", () => F($"Counts {Counted(super).Total * 1e9:N0} (+{(Counted(super).Total / 120 - 1) * 100:0.00}% on the report's rounded 120B, inside the 1% check) and {Counted(super).Active * 1e9:N0} active with embedding and head"));
    }
}
