namespace Cast2md.Models;

/// <summary>
/// Bytes of a downloading file on disk so far (a resumed download starts above zero) and the full size when the server told it.
/// Reported by model downloads (<see cref="ModelStore"/>) and audio downloads (<c>Cast2md.Downloads.AudioDownloader</c>) alike;
/// it keeps its <c>Cast2md.Models</c> name because the CLI's progress reporter is written against it.
/// </summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes)
{
    /// <summary>0..1, or null while the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 and var total ? (double)BytesReceived / total : null;
}
