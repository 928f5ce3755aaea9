namespace Cast2md.Downloads;

/// <summary>The container an audio download was recognised as, from its first bytes.</summary>
public enum AudioFormat
{
    /// <summary>An ID3 tag (usually MP3 follows) or a bare MPEG audio frame.</summary>
    Mp3,

    /// <summary>Raw AAC in ADTS frames.</summary>
    Aac,

    /// <summary>ISO base media (<c>ftyp</c>): m4a, mp4, m4b.</summary>
    Mp4,

    /// <summary>Ogg (Vorbis, Opus).</summary>
    Ogg,

    /// <summary>RIFF/WAVE.</summary>
    Wav,

    Flac,

    /// <summary>EBML: WebM, Matroska audio.</summary>
    Matroska,
}
