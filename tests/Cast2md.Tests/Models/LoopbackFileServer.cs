using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cast2md.Tests.Models;

/// <summary>One request as the server saw it.</summary>
public sealed record ServedRequest(string Method, string Path, string? Range, string? UserAgent);

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (free port) serving the files of one folder under <see cref="BaseUrl"/>,
/// with byte-range support and knobs to misbehave: drop the connection once, ignore Range, answer a fixed status,
/// corrupt a byte, stall after the headers, or send slowly. One response per connection (Connection: close).
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    public const string PathPrefix = "/models/";
    private const int ChunkSize = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private long _dropAfterBytesOnce = -1;

    private LoopbackFileServer(string root)
    {
        _root = root;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}{PathPrefix.TrimEnd('/')}");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Serves <paramref name="root"/> (default: ../shared/models).</summary>
    public static LoopbackFileServer Start(string? root = null) =>
        new(root ?? Path.Combine(Cast2md.Tests.Infra.Paths.Shared, "models"));

    /// <summary>http://127.0.0.1:{port}/models (no trailing slash, as a user would write it).</summary>
    public Uri BaseUrl { get; }

    public ConcurrentQueue<ServedRequest> Requests { get; } = new();

    /// <summary>The next file response sends this many body bytes, then closes the connection.</summary>
    public long? DropAfterBytesOnce
    {
        set => Interlocked.Exchange(ref _dropAfterBytesOnce, value ?? -1);
    }

    /// <summary>Answer every request with 200 and the whole file, whatever its Range header says.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Answer every request with this status and an empty body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>Flip the byte at offset 1000 of every file served.</summary>
    public bool CorruptBody { get; set; }

    /// <summary>Send the headers, then nothing until the client gives up.</summary>
    public bool StallAfterHeaders { get; set; }

    /// <summary>Wait this long between 64 KiB chunks.</summary>
    public TimeSpan ChunkDelay { get; set; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var (method, path, headers) = await ReadRequestAsync(stream);
            headers.TryGetValue("range", out var range);
            headers.TryGetValue("user-agent", out var userAgent);
            Requests.Enqueue(new ServedRequest(method, path, range, userAgent));

            if (FailWith is { } status)
            {
                await WriteHeadAsync(stream, (int)status, status.ToString(), 0);
                return;
            }
            var name = Uri.UnescapeDataString(path.StartsWith(PathPrefix, StringComparison.Ordinal) ? path[PathPrefix.Length..] : "");
            var file = Path.Combine(_root, name);
            if (name.Length == 0 || name.Contains('/') || !File.Exists(file))
            {
                await WriteHeadAsync(stream, 404, "Not Found", 0);
                return;
            }

            var length = new FileInfo(file).Length;
            long from = 0;
            if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                from = long.Parse(range["bytes=".Length..^1]);
                if (from >= length)
                {
                    await WriteHeadAsync(stream, 416, "Range Not Satisfiable", 0, $"Content-Range: bytes */{length}");
                    return;
                }
                await WriteHeadAsync(stream, 206, "Partial Content", length - from, $"Content-Range: bytes {from}-{length - 1}/{length}");
            }
            else
            {
                await WriteHeadAsync(stream, 200, "OK", length);
            }
            if (method == "HEAD")
                return;
            if (StallAfterHeaders)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            await SendBodyAsync(stream, file, from, Interlocked.Exchange(ref _dropAfterBytesOnce, -1));
        }
        catch (Exception)
        {
            // The client went away (or we dropped it on purpose): nothing to do.
        }
    }

    private async Task SendBodyAsync(NetworkStream stream, string file, long from, long dropAfter)
    {
        await using var source = File.OpenRead(file);
        source.Position = from;
        var buffer = new byte[ChunkSize];
        long sent = 0;
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            if (CorruptBody && from + sent <= 1000 && 1000 < from + sent + read)
                buffer[1000 - (from + sent)] ^= 0xFF;
            if (dropAfter >= 0 && sent + read > dropAfter)
            {
                await stream.WriteAsync(buffer.AsMemory(0, (int)(dropAfter - sent)));
                await stream.FlushAsync();
                return; // disposing the client closes the connection mid-body
            }
            await stream.WriteAsync(buffer.AsMemory(0, read));
            sent += read;
            if (ChunkDelay > TimeSpan.Zero)
                await Task.Delay(ChunkDelay, _stop.Token);
        }
    }

    private static async Task<(string Method, string Path, Dictionary<string, string> Headers)> ReadRequestAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
                throw new IOException("client closed before the request ended");
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
                break;
        }
        var lines = Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
            if (line.IndexOf(':') is var colon and > 0)
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        return (requestLine[0], requestLine[1], headers);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, int status, string reason, long contentLength, string? extraHeader = null)
    {
        var head = new StringBuilder()
            .Append($"HTTP/1.1 {status} {reason}\r\n")
            .Append($"Content-Length: {contentLength}\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append("Accept-Ranges: bytes\r\n")
            .Append("Connection: close\r\n");
        if (extraHeader is not null)
            head.Append(extraHeader).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}
