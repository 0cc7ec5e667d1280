using System.CommandLine;
using Spectre.Console;
using Suanli.Catalog;
using Suanli.IO;
using Suanli.IO.Reports;

namespace Suanli.Cli;

/// <summary>Output format of a command.</summary>
public enum OutputFormat
{
    /// <summary>Terminal tables.</summary>
    Table,
    /// <summary>JSON document (stable field names).</summary>
    Json,
    /// <summary>Markdown tables.</summary>
    Markdown,
    /// <summary>CSV tables.</summary>
    Csv,
}

/// <summary>What every command needs: where to write, and how to turn input errors into messages.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error)
{
    /// <summary>Terminal for tables.</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Plain output for machine formats.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Error stream.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The catalog, with user files from --catalog added.</summary>
    public static SuanliCatalog CatalogFor(ParseResult parse)
    {
        var extra = parse.GetValue(CliOptions.Catalog) ?? [];
        return extra.Length == 0 ? CatalogFiles.Embedded : CatalogFiles.WithUserFiles(extra);
    }

    /// <summary>The step-time model every command uses (the calibrated model from catalog/calibration; docs/methodology-steptime.md).</summary>
    public static Suanli.StepTime.IStepTimeModel StepTimeModel => CalibrationFiles.Default;

    /// <summary>The capacity provider the plan uses.</summary>
    public static Suanli.Plan.CapacityProvider Capacity => Suanli.Plan.ReplicaCapacitySearch.Provider(StepTimeModel);

    /// <summary>Resolves a model name, or loads a config.json path / model folder.</summary>
    public static ModelEntry Model(SuanliCatalog catalog, string nameOrPath, string field = "--model") =>
        CatalogFiles.ModelFromPath(nameOrPath) ?? catalog.Model(nameOrPath, field);

    /// <summary>Runs a command body, turning input errors into a message and exit code 2, never a stack trace.</summary>
    public int Guarded(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException ex)
        {
            Error.WriteLine($"error: {ex.Message}");
            return SuanliCli.InputError;
        }
        catch (IOException ex)
        {
            Error.WriteLine($"error: {ex.Message}");
            return SuanliCli.InputError;
        }
        catch (UnauthorizedAccessException ex)
        {
            Error.WriteLine($"error: {ex.Message}");
            return SuanliCli.InputError;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("SUANLI_DEBUG") != "1")
        {
            // A defect, not bad input: say so in one line; SUANLI_DEBUG=1 shows the stack trace.
            Error.WriteLine($"internal error: {ex.GetType().Name}: {ex.Message} (please report it with the command you ran; set SUANLI_DEBUG=1 for details)");
            return 70;
        }
    }

    /// <summary>Writes a report in the chosen format.</summary>
    public void Write(Report report, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Output.WriteLine(ReportText.Json(report));
                break;
            case OutputFormat.Markdown:
                Output.Write(ReportText.Markdown(report));
                break;
            case OutputFormat.Csv:
                Output.Write(ReportText.Csv(report));
                break;
            default:
                TerminalReport.Write(Console, report);
                break;
        }
    }
}
