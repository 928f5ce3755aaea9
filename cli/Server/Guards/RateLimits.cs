using System.Globalization;
using System.Threading.RateLimiting;

namespace Cast2md.Cli.Server.Guards;

/// <summary>
/// Per-address limits on the two node calls anyone may start without proving much first: registration (each one
/// writes a row and hashes a key) and claims (each may park a request for a minute). The figures are far above what a
/// real fleet behind one address needs (fifty cloud workers behind one NAT starting at once): a node registers once per
/// start and claims once per job or per long-poll.
/// </summary>
internal static class RateLimits
{
    public const string Registration = "node-registration";
    public const string Claims = "node-claims";

    public const int RegistrationsPerMinute = 120;
    public const int ClaimsPerMinute = 3000;

    public static void Add(IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Registration, context => PerAddress(context, RegistrationsPerMinute));
            options.AddPolicy(Claims, context => PerAddress(context, ClaimsPerMinute));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await ApiErrors
                    .Detail(
                        StatusCodes.Status429TooManyRequests,
                        $"Too many requests from {rejected.HttpContext.Connection.RemoteIpAddress}: try again in {Math.Ceiling(retryAfter.TotalSeconds):0} s."
                    )
                    .ExecuteAsync(rejected.HttpContext);
            };
        });

    private static RateLimitPartition<string> PerAddress(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
