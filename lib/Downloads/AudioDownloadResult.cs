namespace Cast2md.Downloads;

/// <summary>A finished audio download: where it is, its size, the server's content type, its SHA-256 (lower-case hex), what it is and where it came from.</summary>
public sealed record AudioDownloadResult(string Path, long Bytes, string? ContentType, string Sha256, AudioFormat Format, Uri FinalUrl);
