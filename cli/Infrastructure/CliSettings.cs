using System.Globalization;

namespace Cast2md.Cli.Infrastructure;

/// <summary>Typed reads of environment settings; a malformed value is a usage error naming the variable.</summary>
internal static class EnvironmentSettings
{
    public static string? String(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    public static double? Double(string name) =>
        String(name) is not { } value ? null
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new UsageException($"{name}='{value}' is not a number.");
}
