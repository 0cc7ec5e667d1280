using System.CommandLine;
using Spectre.Console;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Runs;

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

    /// <summary>The clock: dated findings (stale prices, fit dates) read it, so tests can fix the day.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>Today in the local time zone, from <see cref="Clock"/>.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetLocalNow().DateTime);

    /// <summary>When true (the command line asked for <c>--format json</c>), errors are written as one JSON object per line.</summary>
    public bool JsonErrors { get; init; }

    /// <summary>
    /// Cancelled by Ctrl+C (<see cref="SuanliCli.Run"/>): the long commands (simulate, capacity, plan, optimize, density, compare, perf, train, validate) pass it
    /// to the core, which stops within a second (validate inside each row's simulation and each capacity row's search of its splits, and its
    /// refits between rows); <see cref="Guarded"/> then exits <see cref="SuanliCli.Interrupted"/>.
    /// </summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>The capacity provider the plan uses, stopped by <see cref="Cancel"/>.</summary>
    public Suanli.Plan.CapacityProvider CancellableCapacity => Suanli.Plan.SimulatedReplicaCapacity.Provider(StepTimeModel, cancel: Cancel);

    /// <summary>
    /// The language of every sentence printed (<see cref="CliLanguage"/>): set by <see cref="SuanliCli.Run"/> once the
    /// command line is parsed, before any command runs; English until then.
    /// </summary>
    public Suanli.Text.Language Language { get; set; } = Suanli.Text.Languages.English;

    /// <summary>
    /// Writes one error line on the error stream: <c>error: MESSAGE</c> (in <see cref="Language"/>: <c>错误：MESSAGE</c>), or with <see cref="JsonErrors"/> the object
    /// <c>{"error":{"kind":"input","field":...,"location":...,"message":...,"exitCode":2}}</c> (kind <c>interrupted</c> with exit
    /// code 130 after Ctrl+C, <c>internal</c> with 70 for a defect). Returns <paramref name="exitCode"/>.
    /// </summary>
    public int Fail(string message, string? field = null, SourceLocation? location = null, int exitCode = SuanliCli.InputError)
    {
        var line = OneLine(message);
        var kind = exitCode switch
        {
            SuanliCli.InputError => "input",
            SuanliCli.Interrupted => "interrupted",
            _ => "internal",
        };
        if (!JsonErrors)
        {
            Error.WriteLine(CliLanguage.ErrorLine(kind, line).Render(Language, Suanli.Text.FieldNames.Core));
            return exitCode;
        }
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("kind", kind);
            WriteOptional(json, "field", field);
            WriteOptional(json, "location", location?.ToString());
            json.WriteString("message", line);
            json.WriteNumber("exitCode", exitCode);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        Error.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return exitCode;
    }

    private static void WriteOptional(System.Text.Json.Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Collapses line breaks and tabs so every error is one line.</summary>
    public static string OneLine(string message) => System.Text.RegularExpressions.Regex.Replace(message.Trim(), @"\s*[\r\n\t]+\s*", " ");

    /// <summary>The catalog, with user files from --catalog added.</summary>
    public static SuanliCatalog CatalogFor(ParseResult parse)
    {
        var extra = parse.GetValue<string[]>("--catalog") ?? [];
        return extra.Length == 0 ? CatalogFiles.Embedded : CatalogFiles.WithUserFiles(extra);
    }

    /// <summary>
    /// Reads the user files of --catalog for a command that uses no catalog entry, so that a --catalog that cannot be
    /// read is refused there as by every command (an <see cref="Suanli.InputException"/> naming the file and line).
    /// </summary>
    public static void RefuseUnreadableCatalog(ParseResult parse) => _ = CatalogFor(parse);

    /// <summary>The step-time model every command uses (the calibrated model from catalog/calibration; docs/methodology-steptime.md).</summary>
    public static Suanli.StepTime.IStepTimeModel StepTimeModel => CalibrationFiles.Default;

    /// <summary>The capacity provider the plan uses.</summary>
    public static Suanli.Plan.CapacityProvider Capacity => Suanli.Plan.SimulatedReplicaCapacity.Provider(StepTimeModel);

    /// <summary>Resolves a model name, or loads a config.json path / model folder.</summary>
    public static ModelEntry Model(SuanliCatalog catalog, string nameOrPath, Suanli.Text.FieldRef field = default) =>
        CatalogFiles.ModelFromPath(nameOrPath) ?? catalog.Model(nameOrPath, field.Or(Suanli.Text.FieldNames.Model));

    /// <summary>Runs a command body, turning input errors into a message and exit code 2, never a stack trace.</summary>
    public int Guarded(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException ex)
        {
            return Fail(CliLanguage.Detail(ex, Language), ex.Field, ex.Location);
        }
        catch (OperationCanceledException) when (Cancel.IsCancellationRequested)
        {
            return Fail(Say(Suanli.Text.Phrase.Of("cli.interrupted", "Ctrl+C stopped the command before it finished; no output file was written.")), exitCode: SuanliCli.Interrupted);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Files the command writes say which path and what to do (OutputFiles.WriteError); this is the rest.
            return Fail(Say(Suanli.Text.Phrase.Of("cli.io-failed", "A file could not be read or written ({reason}). Check the path, that its folder exists and that you may read or write it.",
                ("reason", ex.Message.TrimEnd('.')))));
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("SUANLI_DEBUG") != "1")
        {
            // A defect, not bad input: say so in one line (no .NET type names); SUANLI_DEBUG=1 shows the stack trace.
            return Fail(Say(Suanli.Text.Phrase.Of("cli.defect", "{message} This is a defect, not bad input: please report it with the command you ran (SUANLI_DEBUG=1 shows the details).",
                ("message", ex.Message))), exitCode: SuanliCli.InternalError);
        }
    }

    /// <summary>A phrase in <see cref="Language"/>, fields spelled as options and commands as the command line runs them.</summary>
    public string Say(Suanli.Text.Phrase phrase) => phrase.Render(Language, Suanli.Text.FieldNames.Core);

    /// <summary>
    /// Writes a report in the chosen format and <see cref="Language"/>: JSON keeps its codes and field names, its
    /// messages rendered as the web's <c>lang</c> renders them; the other formats translate every phrase.
    /// </summary>
    public void Write(Report report, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Output.WriteLine(CliLanguage.Json(report, Language));
                break;
            case OutputFormat.Markdown:
                Output.Write(ReportText.Markdown(CliLanguage.Localized(report, Language), Language));
                break;
            case OutputFormat.Csv:
                Output.Write(ReportText.Csv(CliLanguage.Localized(report, Language), Language));
                break;
            default:
                TerminalReport.Write(Console, CliLanguage.Localized(report, Language), Language);
                break;
        }
    }
}
