using Cast2md.Errors;

namespace Cast2md.Net;

/// <summary>The local {file}.part of a download could not be opened or written (disk full, permissions, in use).</summary>
public sealed class PartialFileException(string message, string path, Exception? innerException = null) : Cast2mdException(message, innerException)
{
    public string Path { get; } = path;
}
