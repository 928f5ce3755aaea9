using System.Text;
using System.Xml;
using Cast2md.Feeds.Xml;

namespace Cast2md.Feeds;

/// <summary>
/// Parses podcast feeds — RSS 2.0 with iTunes and Podcasting 2.0 tags, RSS 0.9x/1.0, Atom, Media RSS — as leniently
/// as podcast apps do and as strictly as safety needs: the bytes are decoded (<see cref="FeedDecoder"/>), repaired
/// where real publishers break XML (<see cref="FeedRepair"/>), then read by a reader that refuses DTDs, resolves
/// nothing and is bounded in size, nesting and time. A feed that breaks off keeps the complete items before the break.
/// </summary>
public static partial class FeedParser
{
    /// <summary>Parses the feed in <paramref name="xml"/> (read, not closed).</summary>
    /// <exception cref="FeedParseException">Oversized or unreadable XML, a DTD with entities, or no RSS/Atom feed.</exception>
    public static ParsedFeed Parse(Stream xml, FeedParserOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= new FeedParserOptions();
        var warnings = new List<string>();
        var text = FeedDecoder.Decode(xml, options.MaxBytes, options.Charset, warnings);
        return ParseText(text, options, warnings, cancellationToken);
    }

    /// <summary>Parses a feed already decoded to text.</summary>
    /// <exception cref="FeedParseException">Oversized or unreadable XML, a DTD with entities, or no RSS/Atom feed.</exception>
    public static ParsedFeed Parse(string xml, FeedParserOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= new FeedParserOptions();
        if (xml.Length > options.MaxBytes || Encoding.UTF8.GetByteCount(xml) > options.MaxBytes)
            throw FeedDecoder.TooLarge(options.MaxBytes);
        return ParseText(xml, options, [], cancellationToken);
    }

    private static ParsedFeed ParseText(string text, FeedParserOptions options, List<string> warnings, CancellationToken cancellationToken)
    {
        if (text.AsSpan().TrimStart("\uFEFF \t\r\n").IsEmpty)
            throw new FeedParseException("The feed is empty: the server sent no content.");
        RefuseHtml(text.AsSpan(0, Math.Min(text.Length, 1024)).TrimStart("\uFEFF \t\r\n"));
        var repaired = FeedRepair.Run(text, warnings);
        var channel = new ChannelData();
        var episodes = new EpisodeCollector(options.BaseUri);
        using var xml = XmlReader.Create(new StringReader(repaired.Xml), Settings);
        var reader = new FeedReader(xml, options.BaseUri, options.Timeout, cancellationToken);
        try
        {
            ReadDocument(reader, channel, episodes);
        }
        catch (XmlException ex)
        {
            var (line, column, offset) = repaired.ToSource(ex.LineNumber, ex.LinePosition);
            // The reader points at a tag's name; the reader of the message wants the tag.
            var tagStart =
                offset >= 2 && repaired.Source[offset - 1] == '/' && repaired.Source[offset - 2] == '<' ? 2
                : offset >= 1 && repaired.Source[offset - 1] == '<' ? 1
                : 0;
            offset -= tagStart;
            column = Math.Max(1, column - tagStart);
            var where = Describe(repaired.Source, line, column, offset);
            // What was read before the break is kept when the feed's own structure was already recognised.
            if (!channel.Recognised || (!reader.DocumentComplete && episodes.Total == 0))
                throw new FeedParseException($"The feed is not well-formed XML: {where}.", ex) { LineNumber = line, LinePosition = column };
            if (!reader.DocumentComplete)
                warnings.Add($"The feed breaks off: {where}; the {episodes.Total} complete items before that were read.");
            else
                warnings.Add($"The feed has something after its end that is not XML ({where}); it was ignored.");
        }

        return channel.ToFeed(episodes, options.BaseUri, warnings);
    }

    // Only the five predefined entities and character references reach the reader; the repair pass has already
    // refused DTDs with entities and dropped external-only ones, and the reader refuses any DTD it would still see.
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        // Character references to control characters (&#1;) are accepted and removed later instead of failing the feed.
        CheckCharacters = false,
        CloseInput = true,
    };

    // "line 3, column 7 (an end tag that does not match: "</titel>")" — in our words, whatever the runtime's are.
    private static string Describe(string source, int line, int column, int offset)
    {
        if (offset >= source.TrimEnd().Length)
            return $"it ends at line {line}, column {column} before every element is closed (the file is cut off)";
        var lineEnd = source.IndexOf('\n', offset);
        var near = source[offset..(lineEnd < 0 ? source.Length : lineEnd)].TrimEnd('\r');
        if (near.Length > 40)
            near = near[..40] + "…";
        var what =
            near.StartsWith("</", StringComparison.Ordinal) ? "an end tag that does not match the open element"
            : near.StartsWith('<') ? "a tag that cannot be read"
            : "text that cannot be read";
        return $"line {line}, column {column}: {what} (\"{near}\")";
    }

    internal static FeedParseException NotAFeed(string why) => new($"Not an RSS or Atom feed: {why}.");

    // An HTML page (the podcast's web site instead of its feed) is usually not even XML; say what it is.
    private static void RefuseHtml(ReadOnlySpan<char> text)
    {
        if (text.Contains("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || FirstTagName(text) is "html")
            throw NotAFeed("the document is an HTML page (is the URL the podcast's web site rather than its feed?)");
    }

    private static string? FirstTagName(ReadOnlySpan<char> text)
    {
        for (var i = text.IndexOf('<'); i >= 0 && i + 1 < text.Length; i = NextTag(text, i))
        {
            if (text[i + 1] is '?' or '!')
                continue;
            var end = i + 1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is ':' or '-' or '_'))
                end++;
            return text[(i + 1)..end].ToString().ToLowerInvariant();
        }

        return null;
    }

    private static int NextTag(ReadOnlySpan<char> text, int from)
    {
        var next = text[(from + 1)..].IndexOf('<');
        return next < 0 ? -1 : from + 1 + next;
    }
}
