using Cast2md.Downloads;

namespace Cast2md.Media;

/// <summary>
/// What ffmpeg is told about an input before it opens it. Left to probe, ffmpeg skips an ID3 tag and takes whatever
/// follows for its format: an HLS or DASH playlist (or an ffconcat list) then makes it open other files and URLs named
/// inside, so a 150-byte "episode" could make the server transcribe any media file on its disk. So: a recognised
/// format is forced with <c>-f</c>, playlists and lists are refused as not audio, and ffmpeg may only use the file
/// and pipe protocols.
/// </summary>
public static class MediaInput
{
    /// <summary>The protocols ffmpeg may use for a local decode.</summary>
    public const string ProtocolWhitelist = "file,pipe";

    private const int HeadLength = 64;

    /// <summary>
    /// The ffmpeg demuxer for the file's content (<c>mp3</c>, <c>mov</c>, …), or null when it is not one we recognise and
    /// ffmpeg is left to probe (the protocol whitelist still applies).
    /// </summary>
    /// <exception cref="AudioDecodeException">The file is a playlist or a file list, not audio.</exception>
    public static string? Demuxer(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
        var head = ReadAt(file, 0);
        var content = head;
        var tagged = head.Length >= 10 && head.AsSpan().StartsWith("ID3"u8);
        if (tagged)
        {
            // ID3v2: a 10-byte header with a 28-bit "syncsafe" size, plus a 10-byte footer when flagged.
            long size =
                10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)) + ((head[5] & 0x10) != 0 ? 10 : 0);
            content = ReadAt(file, size);
        }
        if (Playlist(content) is { } kind)
            throw new AudioDecodeException(
                path,
                $"Cannot decode '{path}': it is not an audio file but {kind}, which is refused (it would make ffmpeg open the files it names)."
            );
        if (tagged)
            return AudioSniffer.Detect(content) switch
            {
                AudioFormat.Aac => "aac",
                AudioFormat.Flac => "flac",
                _ => "mp3", // an ID3 tag heads MP3 (ffmpeg's mp3 demuxer resyncs past padding or junk)
            };
        return AudioSniffer.Detect(content) switch
        {
            AudioFormat.Mp3 => "mp3",
            AudioFormat.Aac => "aac",
            AudioFormat.Mp4 => "mov",
            AudioFormat.Ogg => "ogg",
            AudioFormat.Wav => "wav",
            AudioFormat.Flac => "flac",
            AudioFormat.Matroska => "matroska",
            _ => OtherDemuxer(content),
        };
    }

    /// <summary>"an HLS playlist" and the like when <paramref name="head"/> starts a text format that names other inputs; else null.</summary>
    internal static string? Playlist(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> byteOrderMark = [0xEF, 0xBB, 0xBF];
        if (head.StartsWith(byteOrderMark))
            head = head[3..];
        while (!head.IsEmpty && head[0] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            head = head[1..];
        if (head.StartsWith("#EXTM3U"u8) || head.StartsWith("#EXT"u8))
            return "an HLS playlist (#EXTM3U)";
        if (head.StartsWith("<?xml"u8) || head.StartsWith("<MPD"u8))
            return "an XML document (a DASH manifest or other markup)";
        if (head.StartsWith("ffconcat"u8))
            return "an ffconcat file list";
        return null;
    }

    // Formats a local file may be in besides those downloads are checked against.
    private static string? OtherDemuxer(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head.StartsWith("FORM"u8) && (head[8..12].SequenceEqual("AIFF"u8) || head[8..12].SequenceEqual("AIFC"u8)))
            return "aiff";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("AVI "u8))
            return "avi";
        if (head.StartsWith("caff"u8))
            return "caf";
        ReadOnlySpan<byte> asf = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11];
        if (head.StartsWith(asf))
            return "asf";
        return null;
    }

    private static byte[] ReadAt(FileStream file, long offset)
    {
        if (offset >= file.Length)
            return [];
        file.Position = offset;
        var buffer = new byte[HeadLength];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = file.Read(buffer, total, buffer.Length - total)) > 0)
            total += read;
        return buffer[..total];
    }

    /// <summary>ffmpeg's input options for <paramref name="demuxer"/>: the protocol whitelist, and <c>-f</c> when the format is known.</summary>
    internal static IReadOnlyList<string> InputOptions(string? demuxer) =>
        demuxer is null ? ["-protocol_whitelist", ProtocolWhitelist] : ["-protocol_whitelist", ProtocolWhitelist, "-f", demuxer];
}
