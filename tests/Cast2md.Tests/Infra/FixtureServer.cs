using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cast2md.Tests.Infra;

/// <summary>
/// A loopback HTTP/1.1 server for specs (127.0.0.1, free port, one response per connection). Tests map paths to
/// <see cref="FixtureResponse"/>s — files, bytes, text, generated bodies — which can misbehave on demand (status codes,
/// slow, truncated, stalled, redirect loops, wrong content type); ETag/Last-Modified and Range are honoured.
/// Every request is recorded in <see cref="Requests"/>. Unmapped paths get 404.
/// <code>
/// await using var server = FixtureServer.Start();
/// server.Map("/feed.xml", FixtureResponse.Text(xml, "application/rss+xml").WithETag("\"v1\""));
/// server.DropConnectionOnce("/feed.xml", afterBytes: 100);
/// var response = await http.GetAsync(server.Url("/feed.xml"));
/// Assert.Equal("\"v1\"", server.RequestsTo("/feed.xml")[^1].IfNoneMatch);
/// </code>
/// </summary>
public sealed partial class FixtureServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly ConcurrentQueue<FixtureRequest> _requests = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Func<FixtureRequest, Task<FixtureResponse>>> _routes = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, Func<FixtureRequest, Task<FixtureResponse>> Handler)> _prefixRoutes = [];
    private readonly Dictionary<string, Queue<Func<FixtureResponse, FixtureResponse>>> _once = new(StringComparer.Ordinal);

    private FixtureServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    public static FixtureServer Start() => new();

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUrl { get; }

    /// <summary>The absolute URL of <paramref name="path"/> ("/feed.xml", "feed.xml?x=1").</summary>
    public Uri Url(string path) => new(BaseUrl, path.StartsWith('/') ? path : "/" + path);

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<FixtureRequest> Requests => _requests.ToArray();

    /// <summary>The requests for <paramref name="path"/> (query ignored).</summary>
    public IReadOnlyList<FixtureRequest> RequestsTo(string path) => _requests.Where(r => r.Path == Normalize(path)).ToArray();

    // Routes

    /// <summary>Answers <paramref name="path"/> (exact, query ignored) with <paramref name="handler"/>; mapping a path again replaces it.</summary>
    public FixtureServer Map(string path, Func<FixtureRequest, Task<FixtureResponse>> handler)
    {
        lock (_gate)
            _routes[Normalize(path)] = handler;
        return this;
    }

    public FixtureServer Map(string path, Func<FixtureRequest, FixtureResponse> handler) => Map(path, r => Task.FromResult(handler(r)));

    public FixtureServer Map(string path, FixtureResponse response) => Map(path, _ => response);

    /// <summary>Answers every path under <paramref name="prefix"/> ("/models" → "/models/a.bin") not mapped exactly; mapping a prefix again replaces it.</summary>
    public FixtureServer MapPrefix(string prefix, Func<FixtureRequest, FixtureResponse> handler)
    {
        var key = Normalize(prefix).TrimEnd('/') + "/";
        lock (_gate)
        {
            _prefixRoutes.RemoveAll(p => p.Prefix == key);
            _prefixRoutes.Add((key, r => Task.FromResult(handler(r))));
        }
        return this;
    }

    public FixtureServer MapFile(string path, string file, string? contentType = null) => Map(path, FixtureResponse.File(file, contentType));

    public FixtureServer MapBytes(string path, byte[] bytes, string contentType = "application/octet-stream") =>
        Map(path, FixtureResponse.Bytes(bytes, contentType));

    public FixtureServer MapText(string path, string text, string contentType = "text/plain; charset=utf-8") =>
        Map(path, FixtureResponse.Text(text, contentType));

    public FixtureServer MapStatus(string path, int statusCode) => Map(path, FixtureResponse.Status(statusCode));

    public FixtureServer MapRedirect(string path, string location, int statusCode = 302) => Map(path, FixtureResponse.Redirect(location, statusCode));

    /// <summary><paramref name="first"/> redirects to <paramref name="second"/> and back, forever.</summary>
    public FixtureServer MapRedirectLoop(string first, string second) => MapRedirect(first, Normalize(second)).MapRedirect(second, Normalize(first));

    /// <summary>Serves every file of <paramref name="directory"/> under <paramref name="prefix"/>, each adjusted by <paramref name="adjust"/>.</summary>
    public FixtureServer MapDirectory(string prefix, string directory, Func<FixtureResponse, FixtureResponse>? adjust = null) =>
        MapPrefix(prefix, request =>
        {
            var name = Uri.UnescapeDataString(request.Path[(Normalize(prefix).TrimEnd('/').Length + 1)..]);
            var file = System.IO.Path.Combine(directory, name);
            if (name.Length == 0 || name.Contains('/') || name.Contains('\\') || !File.Exists(file))
                return FixtureResponse.Status(404);
            var response = FixtureResponse.File(file);
            return adjust is null ? response : adjust(response);
        });

    // Misbehaviour for the next request only

    /// <summary>The next response for <paramref name="path"/> is passed through <paramref name="adjust"/> (queued: one per call).</summary>
    public FixtureServer Once(string path, Func<FixtureResponse, FixtureResponse> adjust)
    {
        lock (_gate)
        {
            if (!_once.TryGetValue(Normalize(path), out var queue))
                _once[Normalize(path)] = queue = new();
            queue.Enqueue(adjust);
        }
        return this;
    }

    /// <summary>The next response for <paramref name="path"/> sends <paramref name="afterBytes"/> body bytes, then the connection drops.</summary>
    public FixtureServer DropConnectionOnce(string path, long afterBytes) => Once(path, r => r.Truncated(afterBytes));

    /// <summary>The next response for <paramref name="path"/> is <paramref name="statusCode"/> instead.</summary>
    public FixtureServer FailOnce(string path, int statusCode) => Once(path, _ => FixtureResponse.Status(statusCode));

    private async Task<FixtureResponse> RespondAsync(FixtureRequest request)
    {
        Func<FixtureRequest, Task<FixtureResponse>>? handler;
        Func<FixtureResponse, FixtureResponse>? adjust = null;
        lock (_gate)
        {
            if (!_routes.TryGetValue(request.Path, out handler))
                handler = _prefixRoutes.FirstOrDefault(p => request.Path.StartsWith(p.Prefix, StringComparison.Ordinal)).Handler;
            if (_once.TryGetValue(request.Path, out var queue) && queue.Count > 0)
                adjust = queue.Dequeue();
        }
        FixtureResponse response;
        try
        {
            response = handler is null ? FixtureResponse.Status(404) : await handler(request);
        }
        catch (Exception ex)
        {
            response = FixtureResponse.Text($"The fixture handler for {request.Path} threw: {ex}") with { StatusCode = 500 };
        }
        return adjust is null ? response : adjust(response);
    }

    private static string Normalize(string path)
    {
        var withoutQuery = path.Split('?', 2)[0];
        return withoutQuery.StartsWith('/') ? withoutQuery : "/" + withoutQuery;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            var connection = Task.Run(() => ServeAsync(client));
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAny(Task.WhenAll(_connections.Keys), Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
    }
}
