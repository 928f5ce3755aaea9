using System.Security.Cryptography;

namespace Cast2md.Models;

/// <summary>
/// How a download is verified: SHA-256 when the catalogue knows it, else whisper.cpp's published SHA-1, else only the
/// size (the catalogue's, or the one the server announced) — see <see cref="Describe"/> for the notice that says which.
/// </summary>
internal sealed record ModelChecksum(string Name, HashAlgorithmName? Algorithm, string? Expected)
{
    public static ModelChecksum For(ModelInfo model) =>
        model.Sha256 is { } sha256 ? new("sha256", HashAlgorithmName.SHA256, sha256.ToLowerInvariant())
        : model.Sha1 is { } sha1 ? new("sha1", HashAlgorithmName.SHA1, sha1.ToLowerInvariant())
        : new("size", null, null);

    /// <summary>The exception to throw when the downloaded bytes are not the published file, or null when they are.</summary>
    public ModelChecksumException? Verify(ModelInfo model, Uri url, long length, long? announced, byte[]? hash)
    {
        var expectedSize = model.SizeBytes ?? announced;
        if (expectedSize is { } size && length != size)
            return new ModelChecksumException(
                $"Download of {model.FileName} from {url} has the wrong size: expected {size:N0} bytes, got {length:N0}. The partial file was deleted; try again.",
                model.FileName,
                "size",
                size.ToString(),
                length.ToString()
            );
        if (Expected is null || hash is null)
            return null;
        var actual = Convert.ToHexStringLower(hash);
        return actual == Expected
            ? null
            : new ModelChecksumException(
                $"Checksum mismatch for {model.FileName} from {url}: expected {Name} {Expected}, got {actual}. The partial file was deleted; try again.",
                model.FileName,
                Name,
                Expected,
                actual
            );
    }

    public string Describe(ModelInfo model, long length, long? announced) =>
        Name switch
        {
            "sha256" => $"Verified {model.FileName} ({length:N0} bytes) with its published SHA-256.",
            "sha1" => $"Verified {model.FileName} ({length:N0} bytes) with whisper.cpp's published SHA-1 (no SHA-256 is known for it).",
            _ when model.SizeBytes is not null || announced is not null =>
                $"{model.FileName} has no published checksum; checked its size only ({length:N0} bytes).",
            _ => $"{model.FileName} has no published checksum and the server gave no size; it could not be verified ({length:N0} bytes).",
        };
}
