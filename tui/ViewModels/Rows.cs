namespace Cast2md.Tui.ViewModels;

/// <summary>A line of the Nodes table (Status tab and Nodes tab).</summary>
/// <param name="Speed">Its reported real-time factor ("24.0x"), empty until known.</param>
/// <param name="Eta">What its current job still needs at that speed ("4:05"), empty when idle or unknown.</param>
public sealed record NodeRow(
    string Id,
    string Name,
    string Status,
    string CurrentJob,
    string Progress,
    string LastHeartbeat,
    string Url,
    string Model,
    string Speed = "",
    string Eta = ""
);

/// <summary>A line of the Queue tab: a running, queued or failed job.</summary>
public sealed record JobRow(long JobId, string State, string Type, string Episode, string Where, string Progress, int Priority);

public sealed record FeedRow(long Id, string Title, int Episodes, string Transcribed, string LastPolled, string Problem);

public sealed record EpisodeRow(long Id, string Title, string Status, string Published, string Duration, bool HasTranscript);

/// <summary>A server setting; <see cref="Key"/> is the API's lower-case key.</summary>
public sealed record SettingRow(
    string Key,
    string Label,
    string Value,
    string Source,
    string Type,
    bool Editable,
    string Description,
    IReadOnlyList<string>? Options
);

/// <summary>A search hit on the Search tab: where (feed, episode, time) and the snippet, with what opening it needs.</summary>
public sealed record SearchRow(int Index, string Feed, string Episode, string At, string Snippet, long EpisodeId, string EpisodeTitle, long? StartMs);
