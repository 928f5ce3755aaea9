using System.Globalization;
using Cast2md.Settings;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// Typed reads of the settings a command falls back on when its option is not given: the environment, then the .env
/// files (<see cref="LocalSettings.Process"/>, the precedence every part of cast2md shares). A malformed value is a
/// usage error naming the setting.
/// </summary>
internal static class CliSettings
{
    public static string? String(string name) => LocalSettings.Process.Get(name);

    public static double? Double(string name) =>
        String(name) is not { } value ? null
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new UsageException($"{name}='{value}' is not a number.");
}
