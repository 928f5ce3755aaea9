using System.Security.Cryptography;
using System.Text;

namespace Cast2md.DataFolder;

/// <summary>
/// The bearer token that guards the admin API when the server listens beyond loopback: from
/// $CAST2MD_ADMIN_TOKEN, else generated once (256 bits) into {data}/admin-token with mode 0600.
/// </summary>
public sealed class AdminToken
{
    public const string Variable = Settings.SettingDefinitions.AdminToken;
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

    /// <exception cref="Errors.Cast2mdException">
    /// The variable is set but blank, the file is blank, or the file cannot be created: the server must not start with
    /// a token that any header matches, nor with one it never managed to keep.
    /// </exception>
    public static AdminToken Load(string dataDirectory, Func<string, string?>? environment = null)
    {
        // The environment (where set-but-blank is seen and refused), then the .env files, as every setting.
        environment ??= Settings.LocalSettings.Process.GetAsSet;
        if (environment(Variable) is { } configured)
            return string.IsNullOrWhiteSpace(configured)
                ? throw new Errors.Cast2mdException(
                    $"{Variable} is set but empty: set a real token, or unset it to have one generated into the data folder's {FileName} file."
                )
                : new AdminToken(configured.Trim(), wasGenerated: false, path: null);

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
            return FromFile(path);

        Directory.CreateDirectory(dataDirectory);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        // Written whole to a private temporary file first, then moved into place without replacing (link, then unlink):
        // another process sees no file or a complete one, and a failed write (a full disk) leaves nothing behind.
        var temporary = Path.Combine(dataDirectory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return FromFile(path); // another process created it first: use theirs (it was complete when it appeared)
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Errors.Cast2mdException(
                $"Cannot create the admin token file {path}: {ex.Message}. Free space or fix the data folder's permissions, or set {Variable}.",
                ex
            );
        }
        finally
        {
            File.Delete(temporary);
        }

        var stored = FromFile(path);
        if (stored.Value != token)
            throw new Errors.Cast2mdException($"The admin token file {path} did not read back as written: check the data folder's disk.");
        return new AdminToken(token, wasGenerated: true, path);
    }

    private static AdminToken FromFile(string path)
    {
        var text = File.ReadAllText(path).Trim();
        return text.Length == 0
            ? throw new Errors.Cast2mdException(
                $"The admin token file {path} is empty: delete it to have a new token generated, or write a token into it."
            )
            : new AdminToken(text, wasGenerated: false, path);
    }

    /// <summary>Constant-time check of an <c>Authorization</c> header value.</summary>
    public bool Matches(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        var presented = Encoding.UTF8.GetBytes(authorizationHeader[prefix.Length..].Trim());
        if (presented.Length == 0 || _token.Length == 0)
            return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(_token));
    }
}
