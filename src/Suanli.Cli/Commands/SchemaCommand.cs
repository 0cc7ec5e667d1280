using System.CommandLine;
using Suanli.IO.Reports;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli schema [NAME] [--out DIR]</c>: the JSON Schemas of the versioned output contract.</summary>
public static class SchemaCommand
{
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
            if (parse.GetValue(output) is { } dir)
            {
                Directory.CreateDirectory(dir);
                foreach (var d in ReportSchemas.Documents)
                {
                    var path = Path.Combine(dir, d.Name + ".schema.json");
                    var temp = path + ".tmp";
                    File.WriteAllText(temp, ReportSchemas.Schema(d));
                    File.Move(temp, path, overwrite: true);
                }
                c.Output.WriteLine($"Wrote {ReportSchemas.Documents.Count} schemas to {dir}.");
                return 0;
            }
            if (parse.GetValue(name) is { } n)
            {
                var document = ReportSchemas.Find(n) ?? throw new InputException("name",
                    $"No document named '{n}'. Known: {string.Join(", ", ReportSchemas.Documents.Select(d => d.Name))}.");
                c.Output.Write(ReportSchemas.Schema(document));
                return 0;
            }
            foreach (var d in ReportSchemas.Documents)
            {
                c.Output.WriteLine($"{d.Name,-18} {d.Producers}");
            }
            return 0;
        }));
        return command;
    }
}
