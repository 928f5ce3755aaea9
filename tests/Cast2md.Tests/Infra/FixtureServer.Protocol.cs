using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Cast2md.Tests.Infra;

public sealed partial class FixtureServer
{
    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream, _stop.Token);
            _requests.Enqueue(request);
            var response = await RespondAsync(request);
            await WriteResponseAsync(stream, request, response, _stop.Token);
        }
        catch (Exception)
        {
            // The client went away, we dropped it on purpose, or the server is stopping: nothing to do.
        }
    }

    private static async Task WriteResponseAsync(NetworkStream stream, FixtureRequest request, FixtureResponse response, CancellationToken stop)
    {
        if (response.StallsBeforeHeaders)
        {
            await Task.Delay(Timeout.Infinite, stop);
            return;
        }

        var status = response.StatusCode;
        var headers = new List<string>();
        if (IsNotModified(request, response))
        {
            status = 304;
        }
        long from = 0;
        var count = response.Body.Length;
        if (status == 200 && response.SupportsRanges && ParseRange(request.Range, response.Body.Length) is { } range)
        {
            if (range.From < 0)
            {
                status = 416;
                count = 0;
                headers.Add($"Content-Range: bytes */{response.Body.Length}");
            }
            else
            {
                status = 206;
                (from, count) = (range.From, range.Count);
                headers.Add($"Content-Range: bytes {from}-{from + count - 1}/{response.Body.Length}");
            }
        }

        var hasBody = status is not (304 or 204 or 416) && status >= 200;
        if (response.ContentType is { } contentType && hasBody)
            headers.Add($"Content-Type: {contentType}");
        if (hasBody && response.SendsContentLength)
            headers.Add($"Content-Length: {response.AnnouncedLength ?? count}");
        else if (status == 416)
            headers.Add("Content-Length: 0");
        if (response.SupportsRanges)
            headers.Add("Accept-Ranges: bytes");
        if (response.ETag is { } etag)
            headers.Add($"ETag: {etag}");
        if (response.LastModified is { } lastModified)
            headers.Add($"Last-Modified: {lastModified.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture)}");
        headers.AddRange(response.Headers.Select(h => $"{h.Key}: {h.Value}"));
        headers.Add("Connection: close");

        var head = $"HTTP/1.1 {status} {FixtureResponse.ReasonOf(status)}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop);
        await stream.FlushAsync(stop);
        if (!hasBody || request.Method == "HEAD")
            return;
        if (response.StallsAfterHeaders)
        {
            await Task.Delay(Timeout.Infinite, stop);
            return;
        }
        await WriteBodyAsync(stream, response, from, Math.Min(count, response.SendAtMost ?? long.MaxValue), stop);
    }

    private static async Task WriteBodyAsync(NetworkStream stream, FixtureResponse response, long from, long count, CancellationToken stop)
    {
        await using var source = response.Body.Open();
        source.Position = from;
        var buffer = new byte[Math.Max(1, response.ChunkSize)];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), stop);
            if (read == 0)
                break;
            await stream.WriteAsync(buffer.AsMemory(0, read), stop);
            count -= read;
            if (response.ChunkDelay > TimeSpan.Zero && count > 0)
            {
                await stream.FlushAsync(stop);
                await Task.Delay(response.ChunkDelay, stop);
            }
        }
        await stream.FlushAsync(stop);
        // Returning closes the connection: the end of a close-delimited body, or a cut one when fewer bytes than announced went out.
    }

    private static bool IsNotModified(FixtureRequest request, FixtureResponse response)
    {
        if (response.StatusCode != 200 || request.Method is not ("GET" or "HEAD"))
            return false;
        if (request.IfNoneMatch is { } ifNoneMatch)
            return response.ETag is { } etag && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => t.Trim() == etag));
        return request.IfModifiedSince is { } since
            && response.LastModified is { } lastModified
            && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceTime)
            && TruncateToSeconds(lastModified) <= sinceTime;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Offset);

    /// <summary>One range of "bytes=a-", "bytes=a-b" or "bytes=-n"; From = -1 when unsatisfiable; null when absent or unparseable.</summary>
    private static (long From, long Count)? ParseRange(string? header, long length)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(','))
            return null;
        var parts = header["bytes=".Length..].Split('-', 2);
        if (parts.Length != 2)
            return null;
        if (parts[0].Length == 0)
            return long.TryParse(parts[1], out var suffix) && suffix > 0 && length > 0
                ? (Math.Max(0, length - suffix), Math.Min(suffix, length))
                : (-1, 0);
        if (!long.TryParse(parts[0], out var first))
            return null;
        var last =
            parts[1].Length == 0 ? length - 1
            : long.TryParse(parts[1], out var l) ? Math.Min(l, length - 1)
            : -1;
        return first >= length || last < first ? (-1, 0) : (first, last - first + 1);
    }

    private static async Task<FixtureRequest> ReadRequestAsync(NetworkStream stream, CancellationToken stop)
    {
        var headBytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (headBytes.Count > 64 * 1024)
                throw new IOException("request head too long");
            if (await stream.ReadAsync(one, stop) == 0)
                throw new IOException("client closed before the request ended");
            headBytes.Add(one[0]);
            if (headBytes.Count >= 4 && headBytes[^4] == '\r' && headBytes[^3] == '\n' && headBytes[^2] == '\r' && headBytes[^1] == '\n')
                break;
        }
        var lines = Encoding.ASCII.GetString(headBytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
            if (line.IndexOf(':') is var colon and > 0)
                headers[line[..colon].Trim()] = headers.TryGetValue(line[..colon].Trim(), out var earlier)
                    ? earlier + ", " + line[(colon + 1)..].Trim()
                    : line[(colon + 1)..].Trim();

        var body =
            headers.TryGetValue("Content-Length", out var length) && long.TryParse(length, out var n) && n > 0
                ? await ReadExactlyAsync(stream, n, stop)
            : headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
                ? await ReadChunkedAsync(stream, stop)
            : [];
        var target = requestLine[1];
        var query = target.Contains('?') ? target[target.IndexOf('?')..] : "";
        return new FixtureRequest(requestLine[0], target, Normalize(target), query, headers, body);
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, long count, CancellationToken stop)
    {
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes, stop);
        return bytes;
    }

    private static async Task<byte[]> ReadChunkedAsync(NetworkStream stream, CancellationToken stop)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(stream, stop);
            var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(stream, stop)).Length > 0) { } // trailers
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(stream, size, stop));
            await ReadLineAsync(stream, stop);
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken stop)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, stop) > 0)
        {
            if (one[0] == '\n')
                return line.ToString().TrimEnd('\r');
            line.Append((char)one[0]);
        }
        throw new IOException("client closed inside a chunked body");
    }
}
