using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Cast2md.Net;

/// <summary>
/// Fills a <see cref="PartialDownload"/> from a URL: resumes with <c>Range</c> after a dropped connection (and from a .part
/// an earlier process left), starts over when the server ignores Range or answers a range that does not fit, treats 416
/// on a full-length .part as done, and fails a request that stays silent for <see cref="TransferOptions.IdleTimeout"/>.
/// Failures are <see cref="HttpFailureException"/>s; disk errors are <see cref="PartialFileException"/>s. One instance per transfer.
/// Shared by model downloads (<c>Cast2md.Models.ModelStore</c>) and audio downloads.
/// </summary>
internal sealed class ResumableTransfer(HttpClient http, TransferOptions options)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    private bool _headChecked;
    private string? _mediaType;
    private Uri? _finalUrl;

    /// <summary>Requests until the .part holds the whole file.</summary>
    public async Task<TransferResult> RunAsync(
        Uri url,
        PartialDownload part,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken
    )
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
                    {
                        CheckHead(url, part, ended: true, statusCode: null);
                        return new TransferResult(total, _mediaType, _finalUrl ?? url);
                    }
                    if (++restarts > 2)
                        throw new HttpFailureException(
                            $"Could not {options.Action} {url}: the server's byte ranges do not match the partial download.",
                            url,
                            HttpFailureKind.RangeMismatch
                        );
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    // A connection that broke after delivering bytes is resumed from where it stopped; one that
                    // delivers nothing is an error to report, not to retry forever.
                    if (part.ReceivedInAttempt > 0 && ++resumes <= options.MaxResumeAttempts)
                        continue;
                    var (message, kind, status) = HttpFailures.DescribeException(options.Action, url, ex, options.IdleTimeout, idle: true);
                    throw new HttpFailureException(message, url, kind, status, ex);
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
        Uri url,
        PartialDownload part,
        byte[] buffer,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(options.IdleTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Cast2mdHttp.AddUserAgentIfMissing(http, request);
        if (part.Length > 0)
            request.Headers.Range = new RangeHeaderValue(part.Length, null);
        options.PrepareRequest?.Invoke(request);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
        _finalUrl = response.RequestMessage?.RequestUri ?? url;
        options.OnResponse?.Invoke(response);
        long? total;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent:
                var range = response.Content.Headers.ContentRange;
                if (range?.From != part.Length)
                {
                    Reset(part);
                    return (false, null);
                }
                total = range.Length;
                break;
            case HttpStatusCode.OK:
                if (part.Length > 0)
                    Reset(part); // the server ignored Range and sends the whole file: start the .part over
                total = response.Content.Headers.ContentLength;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // The .part is already as long as the file (a download interrupted between last byte and rename),
                // or longer than it: then it is not a prefix and we start over.
                var fileLength = response.Content.Headers.ContentRange?.Length;
                if (fileLength == part.Length)
                    return (true, fileLength);
                Reset(part);
                return (false, null);
            default:
                var (message, kind) = HttpFailures.DescribeStatus(options.Action, url, response, options.MaxRedirects);
                throw new HttpFailureException(message, url, kind, (int)response.StatusCode);
        }

        _mediaType = HttpFailures.MediaType(response);
        var status = (int)response.StatusCode;
        if (options.MaxBytes is { } max && total > max)
            throw TooLarge(url, max, status, $"the server announced {HttpFailures.FormatSize(total.Value)}");

        progress?.Report(new DownloadProgress(part.Length, total));
        await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
        var lastReport = Stopwatch.GetTimestamp();
        while (true)
        {
            idle.CancelAfter(options.IdleTimeout);
            var read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            if (read == 0)
                break;
            if (options.MaxBytes is { } limit && part.Length + read > limit)
                throw TooLarge(url, limit, status, "the server kept sending past it");
            await part.AppendAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            CheckHead(url, part, ended: false, status);
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

    private void Reset(PartialDownload part)
    {
        part.Reset();
        _headChecked = false;
    }

    private void CheckHead(Uri url, PartialDownload part, bool ended, int? statusCode)
    {
        if (_headChecked || options.CheckHead is null || (!ended && part.Length < PartialDownload.HeadLength))
            return;
        _headChecked = true;
        if (options.CheckHead(part.Head, _mediaType) is { } problem)
            throw new HttpFailureException($"Could not {options.Action} {url}: {problem}", url, HttpFailureKind.UnexpectedContent, statusCode);
    }

    private HttpFailureException TooLarge(Uri url, long max, int status, string detail) =>
        new(
            $"Could not {options.Action} {url}: it is larger than the {HttpFailures.FormatSize(max)} limit ({detail}).",
            url,
            HttpFailureKind.TooLarge,
            status
        );
}
