using System.IO.Compression;
using System.Text;

namespace Cast2md.Feeds.Xml;

/// <summary>
/// Turns the bytes a host served into text: read within the size limit (never further), gunzipped when they are gzip
/// although no Content-Encoding said so (static mirrors serve pre-compressed files that way), and decoded with the
/// encoding named by the byte order mark, else the XML declaration, else the HTTP charset, else UTF-8.
/// </summary>
internal static class FeedDecoder
{
    static FeedDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // windows-1251, KOI8-R, ISO-8859-x

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The decoded feed text; what had to be worked around is added to <paramref name="warnings"/>.</summary>
    public static string Decode(Stream input, long maxBytes, string? httpCharset, List<string> warnings)
    {
        var bytes = ReadBounded(input, maxBytes);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
            bytes = Gunzip(bytes, maxBytes);
        return DecodeText(bytes, httpCharset, warnings);
    }

    internal static FeedParseException TooLarge(long maxBytes) =>
        new($"The feed is larger than the limit of {FormatSize(maxBytes)}; it was not read further.");

    private static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    // Reads at most one byte past the limit, so a feed exactly at the limit is accepted and a longer one is not read on.
    private static byte[] ReadBounded(Stream input, long maxBytes)
    {
        if (input.CanSeek && input.Length - input.Position > maxBytes)
            throw TooLarge(maxBytes);
        using var buffer = new MemoryStream(input.CanSeek ? (int)Math.Min(input.Length - input.Position, maxBytes) : 64 * 1024);
        var chunk = new byte[81920];
        while (true)
        {
            var want = (int)Math.Min(chunk.Length, maxBytes - buffer.Length + 1);
            var read = input.Read(chunk, 0, want);
            if (read == 0)
                break;
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
                throw TooLarge(maxBytes);
        }

        return buffer.ToArray();
    }

    // The limit applies to what is decompressed, so a small gzip bomb is refused like a large feed.
    private static byte[] Gunzip(byte[] compressed, long maxBytes)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            var bytes = ReadBounded(gzip, maxBytes);
            // A stream cut off inside its header decompresses to nothing rather than failing.
            if (bytes.Length == 0)
                throw new FeedParseException("The feed starts like a gzip file but cannot be decompressed.");
            return bytes;
        }
        catch (InvalidDataException ex)
        {
            throw new FeedParseException("The feed starts like a gzip file but cannot be decompressed.", ex);
        }
    }

    private static string DecodeText(byte[] bytes, string? httpCharset, List<string> warnings)
    {
        var (encoding, bomLength) = FromByteOrderMark(bytes);
        if (encoding is null && LooksUtf16(bytes, out var utf16))
            encoding = utf16;
        if (encoding is null)
        {
            var declared = DeclaredEncoding(bytes);
            encoding = Named(declared, "its XML declaration", warnings) ?? Named(httpCharset, "the server", warnings);
            // A declaration of UTF-16 on single-byte text is a leftover of a conversion: the bytes say otherwise.
            if (encoding is UnicodeEncoding)
                encoding = null;
        }

        encoding ??= Encoding.UTF8;
        if (encoding is not UTF8Encoding)
            return encoding.GetString(bytes, bomLength, bytes.Length - bomLength);
        try
        {
            return StrictUtf8.GetString(bytes, bomLength, bytes.Length - bomLength);
        }
        catch (DecoderFallbackException ex)
        {
            var at = bomLength + Math.Max(0, ex.Index);
            var line = 1 + bytes.AsSpan(0, Math.Min(at, bytes.Length)).Count((byte)'\n');
            warnings.Add($"The feed is not valid UTF-8 (first at line {line}); the bytes that are not were replaced by \uFFFD.");
            return Encoding.UTF8.GetString(bytes, bomLength, bytes.Length - bomLength);
        }
    }

    private static (Encoding? Encoding, int Length) FromByteOrderMark(ReadOnlySpan<byte> b) =>
        b switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
            [0xFF, 0xFE, 0x00, 0x00, ..] => (Encoding.UTF32, 4),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
            [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
            [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
            _ => (null, 0),
        };

    // "<" next to a zero byte: UTF-16 without a byte order mark.
    private static bool LooksUtf16(ReadOnlySpan<byte> b, out Encoding? encoding)
    {
        encoding = b switch
        {
            [(byte)'<', 0x00, ..] => Encoding.Unicode,
            [0x00, (byte)'<', ..] => Encoding.BigEndianUnicode,
            _ => null,
        };
        return encoding is not null;
    }

    // encoding="..." in an <?xml ...?> declaration among the first bytes (ASCII-compatible encodings only reach here).
    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 2048)]);
        var start = head.IndexOf("<?xml", StringComparison.Ordinal);
        if (start < 0)
            return null;
        var end = head.IndexOf("?>", start, StringComparison.Ordinal);
        var declaration = end < 0 ? head[start..] : head[start..end];
        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
            return null;
        var rest = declaration.AsSpan(at + "encoding".Length).TrimStart();
        if (rest.IsEmpty || rest[0] != '=')
            return null;
        rest = rest[1..].TrimStart();
        if (rest.IsEmpty || rest[0] is not ('"' or '\''))
            return null;
        var close = rest[1..].IndexOf(rest[0]);
        return close < 0 ? null : rest.Slice(1, close).Trim().ToString();
    }

    private static Encoding? Named(string? name, string source, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try
        {
            return Encoding.GetEncoding(name.Trim().Trim('"'));
        }
        catch (ArgumentException)
        {
            warnings.Add($"The feed's encoding \"{name.Trim()}\" (named by {source}) is unknown; it was read as UTF-8.");
            return null;
        }
    }
}
