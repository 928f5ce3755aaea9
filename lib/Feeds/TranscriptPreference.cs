namespace Cast2md.Feeds;

/// <summary>Which podcast:transcript to fetch when an entry offers several (upstream <c>extract_transcript_url</c>).</summary>
internal static class TranscriptPreference
{
    private static readonly string[] Types = ["text/vtt", "application/x-subrip", "text/srt", "application/json", "text/plain", "text/html"];
    private static readonly string[][] Extensions =
    [
        [".vtt"],
        [".srt"],
        [],
        [".json"],
        [".txt"],
        [".html", ".htm"],
    ];

    public static TranscriptLink? Choose(IReadOnlyList<TranscriptLink> links)
    {
        TranscriptLink? best = null;
        var bestRank = int.MaxValue;
        foreach (var link in links)
        {
            var rank = Rank(link);
            if (rank < bestRank)
                (best, bestRank) = (link, rank);
        }

        return best;
    }

    // Known types rank 0..5; an unknown type falls back to the URL extension (6..11); anything else 12.
    private static int Rank(TranscriptLink link)
    {
        var type = link.Type?.Split(';')[0].Trim();
        for (var i = 0; i < Types.Length; i++)
            if (string.Equals(type, Types[i], StringComparison.OrdinalIgnoreCase))
                return i;

        var path = link.Url.Split('?', '#')[0];
        for (var i = 0; i < Extensions.Length; i++)
            foreach (var extension in Extensions[i])
                if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                    return Types.Length + i;

        return 2 * Types.Length;
    }
}
