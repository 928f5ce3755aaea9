namespace Cast2md.Feeds;

/// <summary>
/// The feed bytes as the XML reader sees them: counted against the size limit while they are read (the whole
/// feed is never buffered), and, for single-byte-based encodings, with raw C0 control bytes other than tab,
/// line feed and carriage return replaced by spaces, since XML forbids them but real feeds contain them.
/// </summary>
internal sealed class FeedInputStream : Stream
{
    private readonly Stream _inner;
    private readonly long _maxBytes;
    private readonly byte[] _prefix;
    private readonly int _prefixLength;
    private readonly bool _scrubControls;
    private int _prefixOffset;
    private long _total;

    private FeedInputStream(Stream inner, long maxBytes, byte[] prefix, int prefixLength)
    {
        _inner = inner;
        _maxBytes = maxBytes;
        _prefix = prefix;
        _prefixLength = prefixLength;
        _total = prefixLength;
        // In UTF-8 (and ASCII, Latin-1) bytes below 0x20 are never part of a multi-byte character,
        // so they can be replaced safely; UTF-16/32 are left alone.
        _scrubControls = !LooksWide(prefix.AsSpan(0, prefixLength));
    }

    /// <summary>The first bytes of the feed, for sniffing (HTML instead of a feed).</summary>
    public ReadOnlySpan<byte> Prefix => _prefix.AsSpan(0, _prefixLength);

    /// <summary>Reads up to <paramref name="prefixSize"/> bytes ahead and wraps the rest.</summary>
    public static FeedInputStream Open(Stream inner, long maxBytes, int prefixSize = 1024)
    {
        if (inner.CanSeek && inner.Length - inner.Position > maxBytes)
            throw TooLarge(maxBytes);
        var prefix = new byte[prefixSize];
        var length = 0;
        while (length < prefix.Length)
        {
            var read = inner.Read(prefix, length, prefix.Length - length);
            if (read == 0)
                break;
            length += read;
        }

        if (length > maxBytes)
            throw TooLarge(maxBytes);
        var stream = new FeedInputStream(inner, maxBytes, prefix, length);
        if (stream._scrubControls)
            Scrub(prefix.AsSpan(0, length));
        return stream;
    }

    internal static FeedParseException TooLarge(long maxBytes) =>
        new($"The feed is larger than the limit of {FormatSize(maxBytes)}; it was not read further.");

    private static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        if (_prefixOffset < _prefixLength)
        {
            var n = Math.Min(buffer.Length, _prefixLength - _prefixOffset);
            _prefix.AsSpan(_prefixOffset, n).CopyTo(buffer);
            _prefixOffset += n;
            return n;
        }

        // Ask for at most one byte past the limit, so a feed exactly at the limit still parses.
        var allowed = (int)Math.Min(buffer.Length, _maxBytes - _total + 1);
        var read = _inner.Read(buffer[..Math.Max(allowed, 1)]);
        _total += read;
        if (_total > _maxBytes)
            throw TooLarge(_maxBytes);
        if (_scrubControls)
            Scrub(buffer[..read]);
        return read;
    }

    private static void Scrub(Span<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] < 0x20 && bytes[i] is not (0x09 or 0x0A or 0x0D))
                bytes[i] = 0x20;
    }

    // A UTF-16/32 byte order mark, or "<" followed or preceded by a zero byte.
    private static bool LooksWide(ReadOnlySpan<byte> prefix) =>
        prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
        || prefix.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00]) || (prefix.Length >= 2 && (prefix[0] == 0 || prefix[1] == 0));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
