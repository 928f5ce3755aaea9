using System.Buffers;
using System.Security.Cryptography;

namespace Cast2md.Net;

/// <summary>
/// The {file}.part being written: appends bytes and hashes them as they arrive. On open, bytes already in the file
/// (an earlier, interrupted download) are hashed first, so the file on disk is always the truth a resume continues from.
/// Its first <see cref="HeadLength"/> bytes are kept in memory so content checks (audio magic) work on resumed files too.
/// </summary>
internal sealed class PartialDownload : IDisposable
{
    private readonly FileStream _file;
    private readonly HashAlgorithmName? _algorithm;
    private readonly byte[] _head = new byte[HeadLength];
    private IncrementalHash? _hash;

    /// <summary>How many leading bytes <see cref="Head"/> keeps.</summary>
    public const int HeadLength = 64;

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

    /// <summary>The file's first bytes (fewer while the file is shorter than <see cref="HeadLength"/>).</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, (int)Math.Min(Length, HeadLength));

    /// <summary>Bytes appended since <see cref="StartAttempt"/>: whether a failed request still made progress.</summary>
    public long ReceivedInAttempt { get; private set; }

    /// <summary>Opens (or creates) the .part exclusively; a file longer than <paramref name="maxLength"/> cannot be a prefix and is emptied.</summary>
    public static async Task<PartialDownload> OpenAsync(
        string path,
        HashAlgorithmName? algorithm,
        long? maxLength,
        CancellationToken cancellationToken
    )
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PartialFileException($"Cannot open {path} for writing: {ex.Message}", path, ex);
        }

        var part = new PartialDownload(path, file, algorithm);
        try
        {
            if (maxLength is { } max && file.Length > max)
                file.SetLength(0);
            if (file.Length > 0)
                await ReadExistingAsync(file, part._head, part._hash, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Copies the first bytes into <paramref name="head"/> and hashes the whole file (when hashing).</summary>
    private static async Task ReadExistingAsync(FileStream file, byte[] head, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(hash is null ? HeadLength : 1 << 20);
        try
        {
            file.Position = 0;
            long position = 0;
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (position < HeadLength)
                    buffer.AsSpan(0, (int)Math.Min(read, HeadLength - position)).CopyTo(head.AsSpan((int)position));
                position += read;
                if (hash is null)
                {
                    if (position >= HeadLength)
                        break;
                    continue;
                }
                hash.AppendData(buffer, 0, read);
            }
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
            throw new PartialFileException($"Cannot write {Path}: {ex.Message}", Path, ex);
        }
        _hash?.AppendData(data.Span);
        if (Length < HeadLength)
            data.Span[..(int)Math.Min(data.Length, HeadLength - Length)].CopyTo(_head.AsSpan((int)Length));
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
            throw new PartialFileException($"Cannot write {Path}: {ex.Message}", Path, ex);
        }
        return _hash?.GetHashAndReset();
    }

    public void Dispose()
    {
        _file.Dispose();
        _hash?.Dispose();
    }
}
