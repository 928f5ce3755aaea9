using System.Security.Cryptography;
using Cast2md.Net;

namespace Cast2md.NodeAgent;

/// <summary>
/// Downloads a job's audio from the server to <c>~/.cast2md/node-work/</c>, streaming to disk: resumes with Range after a
/// dropped connection, checks the length against <c>Content-Length</c> and the SHA-256 against <c>X-Content-SHA256</c>,
/// downloads once more on a mismatch, and refuses an <c>audio_url</c> on another origin (the key would go there).
/// </summary>
public sealed class AudioFetcher(HttpClient http, NodeClient client, string workDirectory)
{
    public const string HashHeader = "X-Content-SHA256";

    /// <summary>How long a download may go without receiving a byte.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fetches the audio of <paramref name="jobId"/> into <paramref name="targetPath"/> (default <c>job-{jobId}.audio</c> in
    /// the work folder) and returns the complete, verified file.
    /// </summary>
    public async Task<string> FetchAsync(
        long jobId,
        string audioUrl,
        string? leaseToken,
        IProgress<DownloadProgress>? progress = null,
        string? targetPath = null,
        CancellationToken cancellationToken = default
    )
    {
        if (string.IsNullOrWhiteSpace(audioUrl))
            throw new AudioFetchException($"job {jobId} came without an audio_url");
        if (!client.TryResolveOnServer(audioUrl, out var url))
            throw new AudioFetchException(
                $"refusing to download {url.GetLeftPart(UriPartial.Authority)}{url.AbsolutePath}: it is not on the server this node registered with "
                    + $"({client.Config.ServerUri.GetLeftPart(UriPartial.Authority)}), and the node's key must not go anywhere else",
                isPermanent: true
            );

        Directory.CreateDirectory(workDirectory);
        var target = targetPath ?? Path.Combine(workDirectory, $"job-{jobId}.audio");
        var partPath = target + ".part";
        for (var attempt = 1; ; attempt++)
        {
            var problem = await DownloadOnceAsync(url, partPath, leaseToken, progress, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                File.Move(partPath, target, overwrite: true);
                return target;
            }
            File.Delete(partPath);
            if (attempt >= 2)
                throw new AudioFetchException($"the audio of job {jobId} arrived damaged twice: {problem}");
        }
    }

    /// <summary>One (resumable) download; returns what is wrong with the result, or null when it checks out.</summary>
    private async Task<string?> DownloadOnceAsync(
        Uri url,
        string partPath,
        string? leaseToken,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        string? expectedHash = null;
        var options = new TransferOptions
        {
            Action = "download the audio from",
            IdleTimeout = IdleTimeout,
            MaxRedirects = 0,
            PrepareRequest = request => client.Authorize(request, leaseToken),
            OnResponse = response =>
            {
                client.NotifyServerReached();
                if (response.Headers.TryGetValues(HashHeader, out var values))
                    expectedHash = values.FirstOrDefault()?.Trim().ToLowerInvariant();
            },
        };
        using var part = await PartialDownload.OpenAsync(partPath, HashAlgorithmName.SHA256, null, cancellationToken).ConfigureAwait(false);
        TransferResult result;
        try
        {
            result = await new ResumableTransfer(http, options).RunAsync(url, part, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpFailureException ex)
        {
            throw ex.StatusCode switch
            {
                404 or 410 => new AudioFetchException(
                    $"the server has no audio for this job ({ex.StatusCode}): {ex.Message}",
                    isPermanent: true,
                    statusCode: ex.StatusCode,
                    innerException: ex
                ),
                403 or 409 => new AudioFetchException(
                    $"the server no longer gives this node the job ({ex.StatusCode})",
                    isLost: true,
                    statusCode: ex.StatusCode,
                    innerException: ex
                ),
                _ => new AudioFetchException(ex.Message, statusCode: ex.StatusCode, innerException: ex),
            };
        }
        var hash = Convert.ToHexStringLower(part.Complete()!);
        if (result.AnnouncedLength is { } length && length != part.Length)
            return $"{part.Length:N0} bytes instead of the announced {length:N0}";
        if (expectedHash is not null && expectedHash != hash)
            return $"SHA-256 {hash} instead of {expectedHash}";
        return null;
    }
}
