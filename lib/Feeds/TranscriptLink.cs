namespace Cast2md.Feeds;

/// <summary>A Podcasting 2.0 <c>&lt;podcast:transcript url type language rel&gt;</c>.</summary>
public sealed record TranscriptLink(string Url, string? Type, string? Language, string? Rel);
