using System.CommandLine;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Validation;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli schema [NAME] [--out DIR]</c>: the JSON Schemas of the versioned output contract.</summary>
public static class SchemaCommand
{
    /// <summary>The whole contract: every run's document (<see cref="ReportSchemas.Documents"/>) and <c>suanli validate</c>'s.</summary>
    public static IReadOnlyList<SchemaDocument> Documents { get; } = [.. ReportSchemas.Documents, ValidationSchema.Document];

    /// <summary>The document named <paramref name="name"/>, or null.</summary>
    public static SchemaDocument? Find(string name) => Documents.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var name = new Argument<string?>("name") { Description = "A document name (plan, memory, perf, ...); without it, the list.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--out") { Description = "Write every schema to DIR/NAME.schema.json (docs/schemas is generated this way)." };
        var command = new Command("schema", $"JSON Schemas (draft 2020-12) of every command's --format json output and web response, contract version {ReportDocument.CurrentSchemaVersion}.")
        {
            name, output,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            CliContext.RefuseUnreadableCatalog(parse);
            if (parse.GetValue(output) is { } dir)
            {
                // Regenerating docs/schemas replaces its files; written as one set, a failure (a folder that refuses
                // writing, a full disk) leaves the old schemas and says which path and what to do.
                using var files = new OutputFiles(force: true);
                foreach (var d in Documents)
                {
                    files.Stage(Path.Combine(dir, d.Name + ".schema.json"), "--out", temp => File.WriteAllText(temp, ReportSchemas.Schema(d)));
                }
                files.Commit();
                c.Output.WriteLine(c.Say(Suanli.Text.Phrase.Of("cli.schemas-written", "Wrote {count} schemas to {dir}.", ("count", Documents.Count), ("dir", dir))));
                return 0;
            }
            if (parse.GetValue(name) is { } n)
            {
                var document = Find(n) ?? throw new InputException("name", Suanli.Text.Phrase.Of("cli.schema-unknown", "No document named '{name}'. Give one of {known}.",
                    ("name", Suanli.Text.InputQuote.Clip(n)), ("known", Suanli.Text.PhraseList.Words(Documents.Select(d => d.Name)))));
                c.Output.Write(ReportSchemas.Schema(document));
                return 0;
            }
            foreach (var d in Documents)
            {
                c.Output.WriteLine($"{d.Name,-18} {d.Producers}");
            }
            return 0;
        }));
        return command;
    }
}
