using System.CommandLine;
using System.Net;
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
        var command = new Command("serve", "Serve the planning page (/) and the HTTP API (/api, OpenAPI at /openapi/v1.json, reference at /scalar); prints the URL. Ctrl+C stops it.")
        {
            port, host,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var settings = new WebSettings(parse.GetValue(host)!, parse.GetValue(port), CliContext.CatalogFor(parse));
            var url = settings.Url; // checks host and port before anything starts
            if (IPAddress.TryParse(settings.Host, out var ip) && !IPAddress.IsLoopback(ip))
            {
                c.Error.WriteLine($"warning: {url} is reachable from other machines and has no authentication; use --host 127.0.0.1 to keep it local.");
            }
            var app = SuanliWeb.Build(settings);
            return SuanliWeb.ServeAsync(app, c.Output).GetAwaiter().GetResult();
        }));
        return command;
    }
}
