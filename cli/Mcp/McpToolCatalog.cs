using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

/// <summary>The tools as a client lists them: the original's set, each on the service the REST API uses.</summary>
internal static class McpToolCatalog
{
    public static readonly IList<Tool> All =
    [
        Define(
            "search",
            "Full-text search over transcript segments and episode titles/descriptions, best match first (bm25). Query syntax: words (all must match), "
                + "\"a phrase\", -word or -\"a phrase\" to exclude, word* for a prefix; nothing else is an operator. Each hit gives the episode, its feed, "
                + "the segment's start (start_ms, and start as hh:mm:ss; null for a title or description hit) and a snippet with the matches in **. "
                + "Read on from a hit with get_transcript and start_time.",
            """{"type":"object","properties":{"query":{"type":"string","description":"What to search for"},"feed_id":{"type":"integer","description":"Only this feed"},"since":{"type":"string","description":"Only episodes published on or after this date (YYYY-MM-DD or ISO 8601)"},"limit":{"type":"integer","description":"Hits per page (default 20, at most 100)"},"offset":{"type":"integer","description":"Hits to skip (the next page: offset + limit while has_more is true; at most 10000)"}},"required":["query"]}"""
        ),
        Define("list_feeds", "Every subscribed podcast feed with its id, title and episode counts.", """{"type":"object","properties":{}}"""),
        Define(
            "find_feed",
            "Feeds whose title or address contains the given text (case-insensitive).",
            """{"type":"object","properties":{"name":{"type":"string","description":"Part of the feed's title or URL"}},"required":["name"]}"""
        ),
        Define(
            "get_feed",
            "One feed and its newest episodes.",
            """{"type":"object","properties":{"feed_id":{"type":"integer"},"limit":{"type":"integer","description":"Episodes to list (default 20, at most 200)"}},"required":["feed_id"]}"""
        ),
        Define(
            "get_episode",
            "One episode: title, description, status, audio and transcript state.",
            """{"type":"object","properties":{"episode_id":{"type":"integer"}},"required":["episode_id"]}"""
        ),
        Define(
            "get_transcript",
            "An episode's transcript as Markdown (default) or plain text; with start_time (seconds) only that part, as [MM:SS] lines.",
            """{"type":"object","properties":{"episode_id":{"type":"integer"},"format":{"type":"string","enum":["md","txt"]},"start_time":{"type":"number","description":"Seconds from the start"},"duration":{"type":"number","description":"Seconds from start_time (default 300)"}},"required":["episode_id"]}"""
        ),
        Define(
            "recent_episodes",
            "Episodes published in the last days across all feeds, newest first.",
            """{"type":"object","properties":{"days":{"type":"integer","description":"Default 7"},"limit":{"type":"integer","description":"Default 50"}}}"""
        ),
        Define(
            "queue_episode",
            "Queue an episode for transcription: its publisher's transcript, else download and transcribe the audio.",
            """{"type":"object","properties":{"episode_id":{"type":"integer"}},"required":["episode_id"]}"""
        ),
        Define("queue_status", "Queued, running, completed and failed jobs per job type.", """{"type":"object","properties":{}}"""),
        Define(
            "add_feed",
            "Subscribe a podcast feed by its RSS address; new episodes are stored (and queued where auto-queue is on).",
            """{"type":"object","properties":{"url":{"type":"string"}},"required":["url"]}"""
        ),
        Define(
            "refresh_feed",
            "Poll a feed now for new episodes.",
            """{"type":"object","properties":{"feed_id":{"type":"integer"}},"required":["feed_id"]}"""
        ),
    ];

    private static Tool Define(string name, string description, string schema) =>
        new()
        {
            Name = name,
            Description = description,
            InputSchema = JsonDocument.Parse(schema).RootElement.Clone(),
        };
}
