using System.Buffers;
using System.Security.Cryptography;

namespace Cast2md.Models;

/// <summary>
/// The {file}.part being written: appends bytes and hashes them as they arrive. On open, bytes already in the file
/// (an earlier, interrupted download) are hashed first, so the file on disk is always the truth a resume continues from.
/// </summary>
internal sealed class PartialDownload : IDisposable
{
    private readonly FileStream _file;
    private readonly HashAlgorithmName? _algorithm;
    private IncrementalHash? _hash;

    private PartialDownload(string path, FileStream file, HashAlgorithmName? algorithm)
    {
        Path = path;
        _file = file;
        _algorithm = algorithm;
        _hash = algorithm is { } a ? IncrementalHash.CreateHash(a) : null;
    }

    public string Path { get; }

    /// <summary>Bytes in the file.</summary>
    public long Length { get; private set; }

    /// <summary>Bytes appended since <see cref="StartAttempt"/>: whether a failed request still made progress.</summary>
    public long ReceivedInAttempt { get; private set; }

    /// <summary>Opens (or creates) the .part exclusively; a file longer than <paramref name="maxLength"/> cannot be a prefix and is emptied.</summary>
    public static async Task<PartialDownload> OpenAsync(string path, HashAlgorithmName? algorithm, long? maxLength, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelException($"Cannot open {path} for writing: {ex.Message}", ex);
        }

        var part = new PartialDownload(path, file, algorithm);
        try
        {
            if (maxLength is { } max && file.Length > max)
                file.SetLength(0);
            if (file.Length > 0 && part._hash is { } hash)
                await HashExistingAsync(file, hash, cancellationToken).ConfigureAwait(false);
            part.Length = file.Length;
            file.Position = part.Length;
            return part;
        }
        catch
        {
            part.Dispose();
            throw;
        }
    }

    private static async Task HashExistingAsync(FileStream file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            file.Position = 0;
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void StartAttempt() => ReceivedInAttempt = 0;

    /// <summary>Empties the file: the server is sending the whole file again.</summary>
    public void Reset()
    {
        _file.SetLength(0);
        _file.Position = 0;
        Length = 0;
        _hash?.Dispose();
        _hash = _algorithm is { } a ? IncrementalHash.CreateHash(a) : null;
    }

    public async Task AppendAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            // Not cancellable: a local write is short, and stopping mid-write would only cost a re-hash on resume.
            await _file.WriteAsync(data).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new ModelException($"Cannot write {Path}: {ex.Message}", ex);
        }
        _hash?.AppendData(data.Span);
        Length += data.Length;
        ReceivedInAttempt += data.Length;
    }

    /// <summary>Flushes the file to disk and returns the hash of its whole content (null when nothing is hashed).</summary>
    public byte[]? Complete()
    {
        try
        {
            _file.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            throw new ModelException($"Cannot write {Path}: {ex.Message}", ex);
        }
        return _hash?.GetHashAndReset();
    }

    public void Dispose()
    {
        _file.Dispose();
        _hash?.Dispose();
    }
}
