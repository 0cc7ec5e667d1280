using System.CommandLine;
using System.Net;
using Suanli.Text;
using Suanli.Web;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli serve</c>: the planning page and the HTTP API on this machine, offline.</summary>
public static class ServeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var port = CliOptions.Count("--port", "TCP port to listen on; 0 picks a free one.", WebSettings.DefaultPort, 0, 65535);
        var host = new Option<string>("--host")
        {
            Description = "Address to bind. The default 127.0.0.1 serves this machine only; 0.0.0.0 serves every network interface (there is no authentication).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var allowedHosts = new Option<string?>("--allowed-hosts")
        {
            Description = "Host names the server answers to, separated by ';' (e.g. planner.example.org;10.0.0.5), or * for any. Default: localhost, 127.0.0.1, [::1] and the --host address. Other names get a 400, so a web page elsewhere cannot reach the server through a DNS name it controls.",
        };
        var command = new Command("serve", "Serve the planning page (/) and the HTTP API (/api, OpenAPI at /openapi/v1.json, reference at /scalar); prints the URL. Ctrl+C stops it.")
        {
            port, host, allowedHosts,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var settings = new WebSettings(parse.GetValue(host)!, parse.GetValue(port), CliContext.CatalogFor(parse), parse.GetValue(allowedHosts));
            var url = settings.Url; // checks host and port before anything starts
            if (IPAddress.TryParse(settings.Host, out var ip) && !IPAddress.IsLoopback(ip))
            {
                c.Error.WriteLine(Line(c, Severity.Warning, Phrase.Of("cli.serve-open", "{url} is reachable from other machines and has no authentication; use {host} 127.0.0.1 to keep it local.",
                    ("url", url), ("host", host.Name))));
                if (parse.GetValue(allowedHosts) is null && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
                {
                    c.Error.WriteLine(Line(c, Severity.Info, Phrase.Of("cli.serve-local-names", "only requests addressed to localhost, 127.0.0.1 or [::1] are answered; add the names other machines use with {allowedHosts}.",
                        ("allowedHosts", allowedHosts.Name))));
                }
            }
            var app = SuanliWeb.Build(settings);
            return SuanliWeb.ServeAsync(app, c.Output, language: c.Language, stop: c.Cancel).GetAwaiter().GetResult();
        }));
        return command;
    }

    // "warning: ..." / "note: ..." in the language of the run, labelled as the terminal labels findings (a Chinese
    // label ends in a full-width colon, which needs no space after it).
    private static string Line(CliContext c, Severity severity, Phrase sentence)
    {
        var label = c.Say(CliLanguage.FindingLabel(severity));
        return label + (label.EndsWith(':') ? " " : "") + c.Say(sentence);
    }
}
