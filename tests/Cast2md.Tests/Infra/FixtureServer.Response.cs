using System.Net;
using System.Text;

namespace Cast2md.Tests.Infra;

/// <summary>
/// What <see cref="FixtureServer"/> answers: built with a factory (<see cref="Text"/>, <see cref="File"/>, <see cref="Generated"/>,
/// <see cref="Status"/>, <see cref="Redirect"/>, …) and adjusted with <c>With*</c> methods, including the misbehaviours
/// (<see cref="Truncated"/>, <see cref="Slow"/>, <see cref="Stalled"/>, <see cref="Unresponsive"/>, <see cref="WithoutContentLength"/>).
/// </summary>
public sealed record FixtureResponse
{
    public int StatusCode { get; init; } = 200;
    public FixtureBody Body { get; init; } = FixtureBody.Empty;
    public string? ContentType { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Sent as ETag; a request whose If-None-Match matches gets 304.</summary>
    public string? ETag { get; init; }

    /// <summary>Sent as Last-Modified; a request whose If-Modified-Since is not older gets 304 (when it sent no If-None-Match).</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Honour Range (206 / 416) and send Accept-Ranges.</summary>
    public bool SupportsRanges { get; init; }

    /// <summary>False: no Content-Length; the body ends when the connection closes.</summary>
    public bool SendsContentLength { get; init; } = true;

    /// <summary>Content-Length to announce instead of the body's real length.</summary>
    public long? AnnouncedLength { get; init; }

    /// <summary>Send at most this many body bytes, then close the connection (whatever Content-Length said).</summary>
    public long? SendAtMost { get; init; }

    public int ChunkSize { get; init; } = 64 * 1024;

    /// <summary>Pause between body chunks.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Send the headers, then nothing until the client gives up (or the server is disposed).</summary>
    public bool StallsAfterHeaders { get; init; }

    /// <summary>Read the request, then answer nothing at all.</summary>
    public bool StallsBeforeHeaders { get; init; }

    // Factories

    public static FixtureResponse Bytes(byte[] bytes, string contentType = "application/octet-stream") =>
        new() { Body = FixtureBody.Bytes(bytes), ContentType = contentType };

    public static FixtureResponse Text(string text, string contentType = "text/plain; charset=utf-8") =>
        Bytes(Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>A static file, as a real server sends it: content type from the extension and byte ranges.</summary>
    public static FixtureResponse File(string path, string? contentType = null) =>
        new()
        {
            Body = FixtureBody.File(path),
            ContentType = contentType ?? ContentTypeOf(path),
            SupportsRanges = true,
        };

    /// <summary>A large body made up on the fly, never held in memory; <paramref name="prefix"/> starts it (e.g. "ID3"u8.ToArray()).</summary>
    public static FixtureResponse Generated(long length, string contentType = "application/octet-stream", byte[]? prefix = null) =>
        new()
        {
            Body = FixtureBody.Generated(length, prefix),
            ContentType = contentType,
            SupportsRanges = true,
        };

    /// <summary>A bare status with a short text body ("404 Not Found").</summary>
    public static FixtureResponse Status(int statusCode) => Text($"{statusCode} {ReasonOf(statusCode)}") with { StatusCode = statusCode };

    public static FixtureResponse Redirect(string location, int statusCode = 302) => Status(statusCode).WithHeader("Location", location);

    // Adjustments

    public FixtureResponse WithStatus(int statusCode) => this with { StatusCode = statusCode };

    public FixtureResponse WithContentType(string? contentType) => this with { ContentType = contentType };

    public FixtureResponse WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    public FixtureResponse WithETag(string etag) => this with { ETag = etag };

    public FixtureResponse WithLastModified(DateTimeOffset lastModified) => this with { LastModified = lastModified };

    public FixtureResponse WithRanges(bool supported = true) => this with { SupportsRanges = supported };

    /// <summary>Ignore Range: always 200 with the whole body.</summary>
    public FixtureResponse IgnoringRange() => WithRanges(false);

    public FixtureResponse WithoutContentLength() => this with { SendsContentLength = false };

    /// <summary>Announce <paramref name="contentLength"/> whatever the body's real length.</summary>
    public FixtureResponse WithContentLength(long contentLength) => this with { AnnouncedLength = contentLength };

    /// <summary>Announce the full length, send only <paramref name="bytes"/> bytes of the body, close the connection.</summary>
    public FixtureResponse Truncated(long bytes) => this with { SendAtMost = bytes };

    /// <summary>Send the body in <paramref name="chunkSize"/> pieces with <paramref name="delay"/> between them.</summary>
    public FixtureResponse Slow(TimeSpan delay, int chunkSize = 16 * 1024) => this with { ChunkDelay = delay, ChunkSize = chunkSize };

    /// <summary>Headers, then silence.</summary>
    public FixtureResponse Stalled() => this with { StallsAfterHeaders = true };

    /// <summary>No answer at all.</summary>
    public FixtureResponse Unresponsive() => this with { StallsBeforeHeaders = true };

    public static string ReasonOf(int statusCode) =>
        statusCode switch
        {
            206 => "Partial Content",
            304 => "Not Modified",
            416 => "Range Not Satisfiable",
            _ => System.Text.RegularExpressions.Regex.Replace(((HttpStatusCode)statusCode).ToString(), "(?<=[a-z])(?=[A-Z])", " "),
        };

    public static string ContentTypeOf(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp3" => "audio/mpeg",
            ".m4a" or ".mp4" => "audio/mp4",
            ".ogg" or ".opus" => "audio/ogg",
            ".wav" => "audio/wav",
            ".flac" => "audio/flac",
            ".xml" or ".rss" => "application/rss+xml",
            ".json" => "application/json",
            ".vtt" => "text/vtt",
            ".srt" => "application/x-subrip",
            ".html" or ".htm" => "text/html; charset=utf-8",
            ".txt" or ".md" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
}
