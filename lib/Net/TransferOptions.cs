namespace Cast2md.Net;

/// <summary>Inspects a download's first bytes; returns why they are unacceptable ("not audio: …"), or null when they are fine.</summary>
internal delegate string? HeadCheck(ReadOnlySpan<byte> head, string? mediaType);

/// <summary>How <see cref="ResumableTransfer"/> fetches one file.</summary>
internal sealed record TransferOptions
{
    /// <summary>The verb in messages: "Could not {Action} {url}: …".</summary>
    public string Action { get; init; } = "download";

    /// <summary>How long a request may go without receiving a byte (or waiting for headers) before it fails.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times one transfer resumes by itself after the connection drops (each try must make progress).</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>Refuse files larger than this, from the announced size and while streaming. Null: no limit.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Run once the .part holds <see cref="PartialDownload.HeadLength"/> bytes (or the whole, shorter file).</summary>
    public HeadCheck? CheckHead { get; init; }

    /// <summary>Adjusts each request before it is sent (a node adds its key and lease).</summary>
    public Action<HttpRequestMessage>? PrepareRequest { get; init; }

    /// <summary>Sees each response's headers before its body is read (a node takes <c>X-Content-SHA256</c>).</summary>
    public Action<HttpResponseMessage>? OnResponse { get; init; }

    /// <summary>Used only for the redirect-loop message: the client's redirect limit.</summary>
    public int MaxRedirects { get; init; } = 10;
}

/// <summary>What the server told about the file: its size (null if never given), content type and the URL after redirects.</summary>
internal sealed record TransferResult(long? AnnouncedLength, string? MediaType, Uri FinalUrl);
