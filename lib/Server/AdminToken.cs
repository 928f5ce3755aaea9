using System.Security.Cryptography;
using System.Text;

namespace Cast2md.Server;

/// <summary>
/// The bearer token that guards the admin API when the server listens beyond loopback: from
/// $CAST2MD_ADMIN_TOKEN, else generated once (256 bits) into {data}/admin-token with mode 0600.
/// </summary>
public sealed class AdminToken
{
    public const string Variable = "CAST2MD_ADMIN_TOKEN";
    public const string FileName = "admin-token";

    private readonly byte[] _token;

    private AdminToken(string token, bool wasGenerated, string? path)
    {
        _token = Encoding.UTF8.GetBytes(token);
        Value = token;
        WasGenerated = wasGenerated;
        FilePath = path;
    }

    public string Value { get; }

    /// <summary>True on the start that created the file: the only time the token is printed.</summary>
    public bool WasGenerated { get; }

    public string? FilePath { get; }

    public static AdminToken Load(string dataDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(Variable) is { Length: > 0 } configured)
            return new AdminToken(configured.Trim(), wasGenerated: false, path: null);

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
            return new AdminToken(File.ReadAllText(path).Trim(), wasGenerated: false, path);

        Directory.CreateDirectory(dataDirectory);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return new AdminToken(File.ReadAllText(path).Trim(), wasGenerated: false, path);
        }
        return new AdminToken(token, wasGenerated: true, path);
    }

    /// <summary>Constant-time check of an <c>Authorization</c> header value.</summary>
    public bool Matches(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        var presented = Encoding.UTF8.GetBytes(authorizationHeader[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(_token));
    }
}
