namespace Cast2md.Net;

/// <summary>
/// Bytes of a downloading file on disk so far (a resumed download starts above zero) and the full size when the server told it.
/// Reported by every resumable transfer: model downloads (<c>Cast2md.Models.ModelStore</c>), audio downloads
/// (<c>Cast2md.Downloads.AudioDownloader</c>) and a node's audio fetch alike.
/// </summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes)
{
    /// <summary>0..1, or null while the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 and var total ? (double)BytesReceived / total : null;
}
