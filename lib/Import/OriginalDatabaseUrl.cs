using System.Globalization;
using Cast2md.Errors;
using Npgsql;

namespace Cast2md.Import;

/// <summary>
/// The original's <c>DATABASE_URL</c> (<c>postgresql://user:password@host:port/database</c>, also <c>postgres://</c>,
/// with <c>?host=/socket/folder</c> and <c>?sslmode=</c> as libpq reads them) turned into a connection string, and
/// the same URL as it may be shown: the password never appears in anything we print.
/// </summary>
public static class OriginalDatabaseUrl
{
    /// <summary>The URL with any password replaced by "***" (also for a URL we cannot parse).</summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var at = url.LastIndexOf('@');
        if (at < start)
            return url;
        var colon = url.IndexOf(':', start);
        return colon >= 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }

    /// <summary>The Npgsql connection string for <paramref name="url"/>.</summary>
    /// <exception cref="Cast2mdException">Not a postgresql:// URL we can read.</exception>
    public static string ToConnectionString(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
            throw NotAUrl(url);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']') is { Length: > 0 } host ? host : "localhost",
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
            ApplicationName = "cast2md import",
            Timeout = 10,
            CommandTimeout = 300,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            switch (key)
            {
                case "host":
                    builder.Host = value;
                    break;
                case "port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port):
                    builder.Port = port;
                    break;
                case "sslmode":
                    builder.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new Cast2mdException(
                            $"sslmode={value} in {Redact(url)} is not one of disable, allow, prefer, require, verify-ca, verify-full."
                        ),
                    };
                    break;
                case "connect_timeout" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                    builder.Timeout = Math.Clamp(seconds, 1, 1024);
                    break;
            }
        }
        if (builder.Database is null)
            throw NotAUrl(url);
        return builder.ConnectionString;
    }

    /// <summary>Where the URL points, for messages: <c>user@host:port/database</c>, never the password.</summary>
    public static string Describe(string url)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(url));
            return $"{(builder.Username is { Length: > 0 } user ? user + "@" : "")}{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (Exception ex) when (ex is Cast2mdException or ArgumentException)
        {
            return Redact(url);
        }
    }

    private static Cast2mdException NotAUrl(string url) =>
        new($"'{Redact(url)}' is not a PostgreSQL URL: give the original's DATABASE_URL, postgresql://user:password@host:port/database.");
}
