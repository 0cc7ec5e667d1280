using System.Text;
using Suanli.Files;
using Suanli.Text;

namespace Suanli.Validation;

/// <summary>The CSV tokenizer of <see cref="MeasurementFiles"/>: fields with the line and column they start at, so that a bad value is reported where it stands.</summary>
public static partial class MeasurementFiles
{
    /// <summary>RFC 4180 records with the line and column where each field starts (quoted fields may span lines).</summary>
    private static List<Record> Csv(string text, string file)
    {
        var records = new List<Record>();
        var fields = new List<Field>();
        var sb = new StringBuilder();
        int line = 1, col = 1, recordLine = 1, fieldCol = 1;
        var i = 0;
        var quoted = false;
        var wasQuoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        sb.Append('"');
                        i += 2;
                        col += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    col++;
                    continue;
                }
                if (c == '\n')
                {
                    line++;
                    col = 1;
                }
                else
                {
                    col++;
                }
                sb.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when sb.Length == 0 && !wasQuoted:
                    quoted = true;
                    wasQuoted = true;
                    break;
                case '"':
                    throw new InputException("csv", Phrase.Of("measurement-csv-quote", "A quote inside an unquoted field; wrap the field in double quotes and double the inner quotes."), new SourceLocation(file, line, col));
                case ',':
                    fields.Add(new Field(sb.ToString(), fieldCol));
                    sb.Clear();
                    wasQuoted = false;
                    fieldCol = col + 1;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(new Field(sb.ToString(), fieldCol));
                    records.Add(new Record(recordLine, fields));
                    fields = [];
                    sb.Clear();
                    wasQuoted = false;
                    line++;
                    col = 0;
                    recordLine = line;
                    fieldCol = 1;
                    break;
                default:
                    sb.Append(c);
                    break;
            }
            i++;
            col++;
        }
        if (quoted)
        {
            throw new InputException("csv", Phrase.Of("measurement-csv-unclosed", "A quoted field is never closed; end it with a double quote (a quote inside a quoted field is written twice)."), new SourceLocation(file, recordLine, fieldCol));
        }
        if (sb.Length > 0 || fields.Count > 0)
        {
            fields.Add(new Field(sb.ToString(), fieldCol));
            records.Add(new Record(recordLine, fields));
        }
        return records;
    }
}
