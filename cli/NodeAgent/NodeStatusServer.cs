using System.Net;
using System.Net.Sockets;
using Cast2md.Json;
using Cast2md.NodeAgent;
using Microsoft.AspNetCore.Hosting;

namespace Cast2md.Cli.NodeAgent;

/// <summary>
/// The node's read-only status endpoint (<c>GET /status</c>, <c>/</c>, <c>/api/status</c>): Kestrel with the slim builder
/// (Native AOT). Always on 127.0.0.1; also on the registered URL's host when that is not loopback, so the server's
/// "Test" (<c>GET {url}/status</c>) works from another machine. Never shows the API key.
/// </summary>
internal static class NodeStatusServer
{
    /// <summary>Starts the endpoint; returns the app and the URL to register/heartbeat (the registered host with the bound port).</summary>
    public static async Task<(WebApplication App, string StatusUrl, string LocalUrl)> StartAsync(
        NodeWorker worker,
        int port,
        string? registeredUrl,
        CancellationToken cancellationToken
    )
    {
        var externalHost =
            Uri.TryCreate(registeredUrl, UriKind.Absolute, out var registered)
            && !registered.IsLoopback
            && IPAddress.TryParse(registered.IdnHost.Trim('[', ']'), out var address)
            && !IPAddress.Any.Equals(address)
                ? registered.Host
                : null;
        if (port == 0)
            port = FreePort();
        if (externalHost is not null)
        {
            var both = Build(worker, [$"http://127.0.0.1:{port}", $"http://{externalHost}:{port}"]);
            try
            {
                await both.StartAsync(cancellationToken);
                return (both, $"http://{externalHost}:{port}", $"http://127.0.0.1:{port}");
            }
            catch (IOException ex)
            {
                await both.DisposeAsync();
                Infrastructure.Log.Warn($"cannot listen on {externalHost}:{port} ({ex.Message}); the status endpoint answers on 127.0.0.1 only");
            }
        }
        var local = Build(worker, [$"http://127.0.0.1:{port}"]);
        try
        {
            await local.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await local.DisposeAsync();
            throw new Errors.Cast2mdException($"Cannot listen on 127.0.0.1:{port} ({ex.Message}); is another node running? Use --port.", ex);
        }
        var url = $"http://127.0.0.1:{port}";
        return (local, url, url);
    }

    private static WebApplication Build(NodeWorker worker, string[] urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        IResult Status() => TypedResults.Json(worker.Snapshot(), Cast2mdJsonContext.Default.NodeStatusResponse);
        app.MapGet("/", Status);
        app.MapGet("/status", Status);
        app.MapGet("/api/status", Status);
        return app;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
