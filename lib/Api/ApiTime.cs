namespace Cast2md.Api;

/// <summary>Timestamps leave the API as ISO-8601 UTC ("2026-05-01T10:00:00.123Z"); the original wrote naive local times, ambiguous across time zones and daylight saving.</summary>
public static class ApiTime
{
    public static DateTime Utc(DateTimeOffset time) => time.UtcDateTime;

    public static DateTime? Utc(DateTimeOffset? time) => time?.UtcDateTime;
}
