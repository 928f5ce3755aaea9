using System.Text;

namespace Cast2md.Downloads;

/// <summary>Recognises audio from its first bytes, as upstream's downloader does (ID3, MPEG sync, ftyp, OggS, RIFF/WAVE) plus FLAC, EBML and ADTS.</summary>
public static class AudioSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs to recognise every format.</summary>
    public const int HeadLength = 12;

    /// <summary>The format <paramref name="head"/> starts, or null when it is not audio we know.</summary>
    public static AudioFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("ID3"u8))
            return AudioFormat.Mp3;
        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8))
            return AudioFormat.Mp4;
        if (head.StartsWith("OggS"u8))
            return AudioFormat.Ogg;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
            return AudioFormat.Wav;
        if (head.StartsWith("fLaC"u8))
            return AudioFormat.Flac;
        ReadOnlySpan<byte> ebml = [0x1A, 0x45, 0xDF, 0xA3];
        if (head.StartsWith(ebml))
            return AudioFormat.Matroska;
        if (head.Length >= 2 && head[0] == 0xFF)
        {
            // 12 sync bits and layer 00: ADTS (0xFFF1 MPEG-4, 0xFFF9 MPEG-2; 0xFFF0/0xFFF8 with CRC).
            if ((head[1] & 0xF6) == 0xF0)
                return AudioFormat.Aac;
            // 11 sync bits and a layer other than "reserved": an MPEG audio frame (0xFFEx … 0xFFFx).
            if ((head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0)
                return AudioFormat.Mp3;
        }
        return null;
    }

    /// <summary>Why <paramref name="head"/> is not audio, for the error message: "not audio: the server sent text/html ("&lt;!DOCTYPE html&gt;…")", or null when it is.</summary>
    public static string? Problem(ReadOnlySpan<byte> head, string? mediaType)
    {
        if (Detect(head) is not null)
            return null;
        var sent = mediaType is { Length: > 0 } ? mediaType : "no content type";
        return head.IsEmpty
            ? $"not audio: the server sent an empty body ({sent})."
            : $"not audio: the server sent {sent} (starting \"{Preview(head)}\").";
    }

    /// <summary>The first bytes as printable ASCII, others as '.', for messages.</summary>
    private static string Preview(ReadOnlySpan<byte> head)
    {
        var text = new StringBuilder();
        foreach (var b in head[..Math.Min(head.Length, 24)])
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        return text.ToString().Trim() + (head.Length > 24 ? "…" : "");
    }
}
