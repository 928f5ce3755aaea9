using System.Security.Cryptography;
using System.Text;

namespace Cast2md.NodeRegistry;

/// <summary>
/// A node's secret: 32 random bytes (256 bits) as base64url. The server keeps only its SHA-256 (a leaked database
/// gives no usable keys) and compares hashes in constant time (the original stored keys in plain text and compared
/// them with an ordinary string comparison).
/// </summary>
public static class NodeApiKey
{
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>Whether <paramref name="presented"/> is the key whose hash is <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string? presented, string storedHash)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
            return false;
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        Span<byte> expected = stackalloc byte[32];
        return Convert.FromHexString(storedHash, expected, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
