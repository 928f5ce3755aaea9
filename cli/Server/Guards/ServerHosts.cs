using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Cast2md.Cli.Server.Guards;

/// <summary>
/// The Host names the server answers to (ASP.NET Core's host filtering enforces them). A web page that points its own
/// name at 127.0.0.1 (DNS rebinding) reaches the server under that foreign name and is refused. An IP address in the
/// Host header cannot be re-pointed that way, so addresses always pass: a node may reach a server in a container
/// through the host's address, which the server cannot know.
/// </summary>
internal static class ServerHosts
{
    /// <summary>Marks a request the host filter let through, so the error middleware can say why it refused one.</summary>
    public const string PassedItem = "cast2md.host-passed";

    public static IReadOnlyList<string> Allowed(ServerOptions options, string? configured)
    {
        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        var bound = options.Host.Trim();
        if (IsWildcard(bound))
        {
            var name = Dns.GetHostName();
            hosts.Add(name);
            if (!name.Contains('.'))
                hosts.Add(name + ".local");
        }
        else
        {
            hosts.Add(Format(bound));
        }
        hosts.AddRange((configured ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>ASP.NET Core's host filtering middleware for exactly <paramref name="allowedHosts"/>.</summary>
    public static Func<RequestDelegate, RequestDelegate> Filter(WebApplication app, IReadOnlyList<string> allowedHosts)
    {
        var options = new FixedOptions(new HostFilteringOptions { AllowedHosts = [.. allowedHosts], IncludeFailureMessage = false });
        var logger = app.Services.GetRequiredService<ILogger<HostFilteringMiddleware>>();
        return next =>
        {
            var filter = new HostFilteringMiddleware(next, logger, options);
            return context => IsAddress(context.Request.Host.Host) ? next(context) : filter.Invoke(context);
        };
    }

    private static bool IsAddress(string host) => host.Length > 0 && IPAddress.TryParse(host.AsSpan().Trim("[]"), out _);

    private sealed class FixedOptions(HostFilteringOptions value) : IOptionsMonitor<HostFilteringOptions>
    {
        public HostFilteringOptions CurrentValue => value;

        public HostFilteringOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<HostFilteringOptions, string?> listener) => null;
    }

    public static bool IsWildcard(string host) => host is "0.0.0.0" or "*" or "+" or "::" or "[::]";

    private static string Format(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : host;
}
