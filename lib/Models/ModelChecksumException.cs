namespace Cast2md.Models;

/// <summary>A downloaded model file did not match its published checksum (or size); the partial file has been deleted.</summary>
public sealed class ModelChecksumException(string message, string fileName, string algorithm, string expected, string actual)
    : ModelException(message)
{
    public string FileName { get; } = fileName;

    /// <summary>"sha256", "sha1" or "size".</summary>
    public string Algorithm { get; } = algorithm;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
