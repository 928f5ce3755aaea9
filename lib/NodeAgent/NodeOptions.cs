using System.Globalization;
using Cast2md.Settings;

namespace Cast2md.NodeAgent;

/// <summary>How a node works: intervals, polling, auto-termination and whisper settings, read from the node's environment.</summary>
public sealed record NodeOptions
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>NODE_LONG_POLL</c> (default on): claims wait on the server for a job; off: the original's plain polling.</summary>
    public bool LongPoll { get; init; } = true;

    /// <summary><c>NODE_POLL_INTERVAL_SECONDS</c>: the pause after an empty claim when not long-polling.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public bool Persistent { get; init; }

    public int RequiredEmptyChecks { get; init; } = 2;

    /// <summary><c>NODE_EMPTY_QUEUE_WAIT</c>: seconds between two empty checks (with long-poll, how long each claim waits, at most 60).</summary>
    public TimeSpan EmptyQueueWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Zero disables.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Zero disables.</summary>
    public TimeSpan ServerUnreachableTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Zero disables.</summary>
    public int MaxConsecutiveFailures { get; init; } = 3;

    public NodeWhisperOptions Whisper { get; init; } = NodeWhisperOptions.Default;

    /// <summary>How long one long-poll claim waits on the server: <see cref="EmptyQueueWait"/>, at most 60 s (the server's limit).</summary>
    public TimeSpan ClaimWait => LongPoll ? TimeSpan.FromSeconds(Math.Clamp(EmptyQueueWait.TotalSeconds, 1, 60)) : TimeSpan.Zero;

    /// <summary>Reads every <c>NODE_*</c> and <c>WHISPER_*</c> setting; a malformed value throws <see cref="NodeSettingException"/>.</summary>
    public static NodeOptions Read(LocalSettings env) =>
        new()
        {
            HeartbeatInterval = TimeSpan.FromSeconds(Number(env, SettingDefinitions.NodeHeartbeatIntervalSeconds, 30, positive: true)),
            LongPoll = Flag(env, SettingDefinitions.NodeLongPoll, true),
            PollInterval = TimeSpan.FromSeconds(Number(env, SettingDefinitions.NodePollIntervalSeconds, 5, positive: true)),
            Persistent = Flag(env, SettingDefinitions.NodePersistent, false),
            RequiredEmptyChecks = (int)Math.Ceiling(Number(env, SettingDefinitions.NodeRequiredEmptyChecks, 2)),
            EmptyQueueWait = TimeSpan.FromSeconds(Number(env, SettingDefinitions.NodeEmptyQueueWait, 60)),
            IdleTimeout = TimeSpan.FromMinutes(Number(env, SettingDefinitions.NodeIdleTimeoutMinutes, 10)),
            ServerUnreachableTimeout = TimeSpan.FromMinutes(Number(env, SettingDefinitions.NodeServerUnreachableMinutes, 5)),
            MaxConsecutiveFailures = (int)Math.Ceiling(Number(env, SettingDefinitions.NodeMaxConsecutiveFailures, 3)),
            Whisper = NodeWhisperOptions.Read(env),
        };

    private static double Number(LocalSettings env, string name, double fallback, bool positive = false)
    {
        if (env.Get(name) is not { } text)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new NodeSettingException(name, $"{name}='{text}' is not a number.");
        if (value < 0 || (positive && value == 0))
            throw new NodeSettingException(name, $"{name}='{text}' must be {(positive ? "greater than 0" : "0 or more")}.");
        return value;
    }

    private static bool Flag(LocalSettings env, string name, bool fallback) =>
        env.Get(name)?.ToLowerInvariant() switch
        {
            null => fallback,
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            var other => throw new NodeSettingException(name, $"{name}='{other}' is not a boolean (use 1/0, true/false)."),
        };
}
