using System.Text;

namespace Cast2md.Tests.Infra;

/// <summary>One request as <see cref="FixtureServer"/> received it. Header names are case-insensitive.</summary>
public sealed record FixtureRequest(string Method, string Target, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? Range => Header("Range");
    public string? UserAgent => Header("User-Agent");
    public string? IfNoneMatch => Header("If-None-Match");
    public string? IfModifiedSince => Header("If-Modified-Since");
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Method} {Target}";
}
