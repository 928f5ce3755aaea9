using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Cast2md.Models;

public sealed partial class ModelStore
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Downloads <paramref name="model"/> into the models directory (replacing an existing file) and returns its path.</summary>
    public Task<string> DownloadAsync(ModelInfo model, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DownloadAsync(model, progress, onNotice: null, cancellationToken);

    /// <summary>
    /// Downloads <paramref name="model"/> to {file}.part (resuming one left by an earlier try), verifies it, renames it
    /// atomically to its final name and returns that path. <paramref name="onNotice"/> hears which check verified it.
    /// A cancelled download keeps its .part for the next try; a corrupt one is deleted.
    /// If another process is downloading the same file, this waits for it and returns its result.
    /// </summary>
    /// <exception cref="ModelDownloadException">HTTP error, connection failure or timeout (names the URL).</exception>
    /// <exception cref="ModelChecksumException">The file does not match its published checksum or size.</exception>
    public async Task<string> DownloadAsync(
        ModelInfo model,
        IProgress<DownloadProgress>? progress,
        Action<string>? onNotice,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            Directory.CreateDirectory(Settings.ModelsDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelException($"Cannot create the models directory {Settings.ModelsDirectory}: {ex.Message}", ex);
        }

        var finalPath = GetPath(model);
        var existedBefore = File.Exists(finalPath);
        using var downloadLock = await AcquireLockAsync(finalPath, onNotice, cancellationToken).ConfigureAwait(false);
        if (!existedBefore && File.Exists(finalPath))
            return finalPath; // another process finished it while we waited for the lock

        var url = GetDownloadUrl(model);
        var partPath = finalPath + PartSuffix;
        var check = ModelChecksum.For(model);
        long length;
        long? total;
        byte[]? hash;
        using (var part = await PartialDownload.OpenAsync(partPath, check.Algorithm, model.SizeBytes, cancellationToken).ConfigureAwait(false))
        {
            total = await TransferAsync(url, part, progress, cancellationToken).ConfigureAwait(false);
            length = part.Length;
            hash = part.Complete();
        }

        if (check.Verify(model, url, length, total, hash) is { } mismatch)
        {
            File.Delete(partPath);
            throw mismatch;
        }
        File.Move(partPath, finalPath, overwrite: true);
        onNotice?.Invoke(check.Describe(model, length, total));
        return finalPath;
    }

    /// <summary>Requests until the .part holds the whole file; returns the size the server gave (null if it gave none).</summary>
    private async Task<long?> TransferAsync(Uri url, PartialDownload part, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var resumes = 0;
            var restarts = 0;
            while (true)
            {
                part.StartAttempt();
                try
                {
                    var (complete, total) = await TransferOnceAsync(url, part, buffer, progress, cancellationToken).ConfigureAwait(false);
                    if (complete)
                        return total;
                    if (++restarts > 2)
                        throw new ModelDownloadException($"Could not download {url}: the server's byte ranges do not match the partial download.", url);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    // A connection that broke after delivering bytes is resumed from where it stopped; one that
                    // delivers nothing is an error to report, not to retry forever.
                    if (part.ReceivedInAttempt > 0 && ++resumes <= MaxResumeAttempts)
                        continue;
                    throw DownloadFailure(url, ex);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One GET (with Range when resuming). Returns complete=false when the .part was reset and a new request must start over.</summary>
    private async Task<(bool Complete, long? Total)> TransferOnceAsync(
        Uri url, PartialDownload part, byte[] buffer, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(IdleTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.Add(UserAgent);
        if (part.Length > 0)
            request.Headers.Range = new RangeHeaderValue(part.Length, null);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
        long? total;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent:
                var range = response.Content.Headers.ContentRange;
                if (range?.From != part.Length)
                {
                    part.Reset();
                    return (false, null);
                }
                total = range.Length;
                break;
            case HttpStatusCode.OK:
                if (part.Length > 0)
                    part.Reset(); // the server ignored Range and sends the whole file: start the .part over
                total = response.Content.Headers.ContentLength;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // The .part is already as long as the file (a download interrupted between last byte and rename),
                // or longer than it: then it is not a prefix and we start over.
                var fileLength = response.Content.Headers.ContentRange?.Length;
                if (fileLength == part.Length)
                    return (true, fileLength);
                part.Reset();
                return (false, null);
            default:
                throw new ModelDownloadException(
                    $"Could not download {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.".TrimEnd(' ', '.') + ".",
                    url, (int)response.StatusCode);
        }

        progress?.Report(new DownloadProgress(part.Length, total));
        await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
        var lastReport = Stopwatch.GetTimestamp();
        while (true)
        {
            idle.CancelAfter(IdleTimeout);
            var read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            if (read == 0)
                break;
            await part.AppendAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            if (progress is not null && Stopwatch.GetElapsedTime(lastReport) >= ProgressInterval)
            {
                progress.Report(new DownloadProgress(part.Length, total));
                lastReport = Stopwatch.GetTimestamp();
            }
        }
        progress?.Report(new DownloadProgress(part.Length, total));
        if (total is { } expected && part.Length < expected)
            throw new IOException($"the connection closed after {part.Length:N0} of {expected:N0} bytes");
        return (true, total);
    }

    private ModelDownloadException DownloadFailure(Uri url, Exception ex) => ex switch
    {
        OperationCanceledException => new ModelDownloadException(
            $"Could not download {url}: timed out (no data for {IdleTimeout.TotalSeconds:0.#} s).", url, null, ex),
        HttpRequestException { StatusCode: { } status } => new ModelDownloadException(
            $"Could not download {url}: HTTP {(int)status} ({ex.Message}).", url, (int)status, ex),
        HttpRequestException => new ModelDownloadException(
            $"Could not download {url}: {ex.Message}".TrimEnd('.') + ".", url, null, ex),
        _ => new ModelDownloadException($"Could not download {url}: the connection broke ({Innermost(ex).Message}).", url, null, ex),
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
            ex = inner;
        return ex;
    }
}
