using Cast2md.Search;
using Cast2md.Transcripts;

namespace Cast2md.Tui.ViewModels;

/// <summary>The Search tab: hits as table rows, and a transcript as lines opened at a hit's segment.</summary>
public static class SearchViewModel
{
    public static IReadOnlyList<SearchRow> Rows(SearchPage page) =>
        page
            .Results.Select(
                (h, i) =>
                    new SearchRow(
                        i,
                        Format.Fit(h.FeedTitle, 22),
                        Format.Fit(h.EpisodeTitle, 30),
                        h.Start ?? "title",
                        Format.Fit(Marked(h.Snippet), 200),
                        h.EpisodeId,
                        h.EpisodeTitle,
                        h.StartMs
                    )
            )
            .ToList();

    /// <summary>The message line after a search.</summary>
    public static string Summary(SearchPage page) =>
        page.Results.Count switch
        {
            0 => $"no matches for {page.Query}",
            var n => $"{n}{(page.HasMore ? "+" : "")} hit{(n == 1 ? "" : "s")} for {page.Query}" + (page.HasMore ? " (the best 50 shown)" : ""),
        };

    /// <summary>
    /// The API marks matches with <c>**</c> on both sides; a table cell has no bold, so a match is shown as <c>[word]</c>.
    /// An unpaired mark (a snippet cut in the middle) is dropped.
    /// </summary>
    public static string Marked(string snippet)
    {
        var parts = snippet.Split("**");
        var builder = new System.Text.StringBuilder(snippet.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var inside = i % 2 == 1 && i < parts.Length - 1;
            builder.Append(inside ? "[" + parts[i] + "]" : parts[i]);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The transcript as <c>[hh:mm:ss] text</c> lines wrapped to <paramref name="width"/> (continuations indented), and
    /// the first line of the segment at <paramref name="startMs"/>: the one starting there, else the last one starting
    /// before it; the first line for a hit without a time (a title match).
    /// </summary>
    public static (IReadOnlyList<string> Lines, int Selected) TranscriptLines(TranscriptJsonDocument transcript, long? startMs, int width)
    {
        var lines = new List<string>();
        var selected = 0;
        const string Indent = "           ";
        foreach (var segment in transcript.Segments)
        {
            if (startMs is { } at && segment.StartMs <= at)
                selected = lines.Count;
            var first = true;
            foreach (var line in Wrap($"[{SearchService.Clock(segment.StartMs)}] {segment.Text.Trim()}", Math.Max(20, width), Indent))
            {
                lines.Add(first ? line : Indent + line);
                first = false;
            }
        }
        if (lines.Count == 0)
            lines.Add("(this transcript has no segments)");
        return (lines, selected);
    }

    /// <summary>Words to lines of at most <paramref name="width"/> (the first), the rest <paramref name="indent"/> narrower; long words are cut.</summary>
    private static IEnumerable<string> Wrap(string text, int width, string indent)
    {
        var line = text.ReplaceLineEndings(" ");
        var room = width;
        while (line.Length > room)
        {
            var cut = line.LastIndexOf(' ', room);
            if (cut <= 0)
                cut = room;
            yield return line[..cut];
            line = line[cut..].TrimStart();
            room = width - indent.Length;
        }
        yield return line;
    }
}
