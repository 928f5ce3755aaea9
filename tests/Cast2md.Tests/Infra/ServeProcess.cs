namespace Cast2md.Tests.Infra;

/// <summary>`cast2md serve` from the published binary as a real child process on a free loopback port.</summary>
public sealed class ServeProcess : Cast2mdProcess
{
    private ServeProcess(string dataDirectory, IReadOnlyDictionary<string, string?> environment, string host, int port)
        : base(
            ["serve", "--host", host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory],
            environment,
            "listening on "
        ) { }

    public Uri BaseUrl { get; private set; } = null!;

    /// <param name="port">0 picks a free port; a fixed one lets a restarted server answer where its nodes expect it.</param>
    public static async Task<ServeProcess> StartAsync(
        string dataDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        string host = "127.0.0.1",
        int port = 0
    )
    {
        var server = new ServeProcess(dataDirectory, environment ?? new Dictionary<string, string?>(), host, port);
        var address = await server.Announced.WaitAsync(TimeSpan.FromSeconds(20));
        server.BaseUrl = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1"));
        return server;
    }

    public HttpClient Client() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A port that is free now (for a server that must come back on the same port after a restart).</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
