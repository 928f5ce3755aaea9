namespace Cast2md.Models;

/// <summary>Bytes of a model file on disk so far (a resumed download starts above zero) and the full size when the server told it.</summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes)
{
    /// <summary>0..1, or null while the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 and var total ? (double)BytesReceived / total : null;
}
