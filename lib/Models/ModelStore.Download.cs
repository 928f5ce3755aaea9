using Cast2md.Net;

namespace Cast2md.Models;

public sealed partial class ModelStore
{
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
        CancellationToken cancellationToken = default
    )
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
        try
        {
            using var part = await PartialDownload.OpenAsync(partPath, check.Algorithm, model.SizeBytes, cancellationToken).ConfigureAwait(false);
            total = await TransferAsync(url, part, progress, cancellationToken).ConfigureAwait(false);
            length = part.Length;
            hash = part.Complete();
        }
        catch (PartialFileException ex)
        {
            throw new ModelException(ex.Message, ex);
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
        var transfer = new ResumableTransfer(_http, new TransferOptions { IdleTimeout = IdleTimeout, MaxResumeAttempts = MaxResumeAttempts });
        try
        {
            return (await transfer.RunAsync(url, part, progress, cancellationToken).ConfigureAwait(false)).AnnouncedLength;
        }
        catch (HttpFailureException ex)
        {
            throw new ModelDownloadException(ex.Message, url, ex.StatusCode, ex.InnerException ?? ex);
        }
    }
}
