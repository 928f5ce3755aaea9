namespace Cast2md.Notifications;

/// <summary>
/// One notification as it is stored in the outbox and sent: the webhook's JSON body, and for ntfy its title and
/// message. The episode, feed and node fields are set when the event is about one.
/// </summary>
public sealed record Notification(string Event, string Title, string Message, DateTimeOffset Time)
{
    public long? EpisodeId { get; init; }
    public string? EpisodeTitle { get; init; }
    public long? FeedId { get; init; }
    public string? FeedTitle { get; init; }
    public string? NodeId { get; init; }
    public string? NodeName { get; init; }

    /// <summary>Who did the work: "local:…" for this server's workers, "node:{id}" for a transcriber node.</summary>
    public string? Worker { get; init; }
}

/// <summary>The events a notification is sent for (the <c>event</c> field of the webhook body).</summary>
public static class NotificationEvents
{
    public const string TranscriptCompleted = "transcript_completed";
    public const string TranscriptionFailed = "transcription_failed";
    public const string DownloadFailed = "download_failed";
    public const string NodeOffline = "node_offline";
    public const string Test = "test";
}

/// <summary>Where notifications go; each configured one gets its own outbox row, so one target being down never repeats another's.</summary>
public static class NotificationTargets
{
    public const string Ntfy = "ntfy";
    public const string Webhook = "webhook";

    /// <summary>The targets configured now: ntfy when enabled with a topic, the webhook when it has an address.</summary>
    public static IReadOnlyList<string> Configured(Settings.SettingsStore settings)
    {
        var targets = new List<string>(2);
        if (settings.GetBool(Settings.SettingDefinitions.NtfyEnabled) && settings.GetString(Settings.SettingDefinitions.NtfyTopic).Length > 0)
            targets.Add(Ntfy);
        if (settings.GetString(Settings.SettingDefinitions.WebhookUrl).Length > 0)
            targets.Add(Webhook);
        return targets;
    }
}
