using System.Security.Cryptography;
using Cast2md.Net;

namespace Cast2md.Downloads;

/// <summary>
/// Downloads an episode's audio: streams to <c>{destination}.part</c> (resuming one left by an interrupted try or an earlier
/// process), checks from the first bytes that it is audio, enforces <see cref="MaxAudioMb"/>, then renames it into place.
/// Pass a client from <see cref="Cast2mdHttp.CreateClient"/> with <see cref="HttpClientOptions.ForDownloads"/> to apply the
/// <c>USER_AGENT</c> setting; the default is the shared download client.
/// </summary>
public sealed class AudioDownloader(HttpClient? httpClient = null)
{
    public const int DefaultMaxAudioMb = 500;
    private const string PartSuffix = ".part";

    private readonly HttpClient _http = httpClient ?? Cast2mdHttp.Downloads;

    /// <summary>The <c>MAX_AUDIO_MB</c> setting: larger files are refused (by Content-Length, and while streaming when it is absent).</summary>
    public int MaxAudioMb { get; init; } = DefaultMaxAudioMb;

    /// <summary>How long a request may go without receiving a byte before it fails (upstream's read timeout: 300 s).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How many times one download resumes by itself after the connection drops (each try must make progress).</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destinationPath"/> (replacing it). A cancelled download or a
    /// transient failure keeps the .part for the next call; a permanent one deletes it.
    /// </summary>
    /// <exception cref="AudioDownloadException">HTTP error, not audio, too large, timeout, connection or disk failure.</exception>
    public async Task<AudioDownloadResult> DownloadAsync(
        string url,
        string destinationPath,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        if (!HttpFailures.TryParseUrl(url, out var uri))
            throw new AudioDownloadException(
                $"Cannot download audio from '{url}': not an absolute http(s) URL.",
                new Uri("about:blank"),
                HttpFailureKind.InvalidUrl
            );

        var finalPath = Path.GetFullPath(destinationPath);
        var partPath = finalPath + PartSuffix;
        var maxBytes = (long)MaxAudioMb * 1024 * 1024;
        var transfer = new ResumableTransfer(
            _http,
            new TransferOptions
            {
                IdleTimeout = IdleTimeout,
                MaxResumeAttempts = MaxResumeAttempts,
                MaxBytes = maxBytes,
                CheckHead = AudioSniffer.Problem,
            }
        );
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            TransferResult result;
            long length;
            byte[] hash;
            AudioFormat format;
            using (var part = await PartialDownload.OpenAsync(partPath, HashAlgorithmName.SHA256, maxBytes, cancellationToken).ConfigureAwait(false))
            {
                result = await transfer.RunAsync(uri, part, progress, cancellationToken).ConfigureAwait(false);
                length = part.Length;
                format = AudioSniffer.Detect(part.Head) ?? throw new InvalidOperationException("the head check let non-audio through");
                hash = part.Complete()!;
            }
            File.Move(partPath, finalPath, overwrite: true);
            return new AudioDownloadResult(finalPath, length, result.MediaType, Convert.ToHexStringLower(hash), format, result.FinalUrl);
        }
        catch (HttpFailureException ex)
        {
            if (ex.IsPermanent)
                TryDelete(partPath); // nothing worth resuming: the file is gone, refused, not audio or too large
            throw new AudioDownloadException(ex.Message, uri, ex.Kind, ex.StatusCode, ex.InnerException ?? ex);
        }
        catch (Exception ex) when (ex is PartialFileException or IOException or UnauthorizedAccessException)
        {
            throw new AudioDownloadException($"Could not save audio from {uri} to {finalPath}: {ex.Message}", uri, HttpFailureKind.Storage, null, ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover .part is emptied or resumed by the next try.
        }
    }
}
