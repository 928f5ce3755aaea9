using System.Text;
using System.Xml;

namespace Cast2md.Feeds;

/// <summary>
/// Parses podcast feeds — RSS 2.0 with iTunes and Podcasting 2.0 tags, RSS 1.0, Atom, Media RSS — securely:
/// DTDs are refused (no entity expansion, no external entities), nothing is resolved, and the size is limited
/// while the feed is read. Parsing streams, so large feeds cost time linear in their size.
/// </summary>
public static partial class FeedParser
{
    /// <summary>Deepest element nesting read inside an entry; deeper content is refused rather than recursed into.</summary>
    internal const int MaxNesting = 64;

    static FeedParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // windows-1252 feeds exist

    /// <summary>Parses the feed in <paramref name="xml"/> (read, not closed); the encoding comes from the BOM or XML declaration.</summary>
    /// <exception cref="FeedParseException">Malformed or oversized XML, a DTD, or no RSS/Atom feed.</exception>
    public static ParsedFeed Parse(Stream xml, FeedParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= new FeedParserOptions();
        using var input = FeedInputStream.Open(xml, options.MaxBytes);
        var prefix = Encoding.UTF8.GetString(input.Prefix);
        RefuseHtml(prefix);
        return Read(() => XmlReader.Create(input, Settings(options.MaxBytes)), prefix, options);
    }

    /// <summary>Parses a feed already decoded to text.</summary>
    /// <exception cref="FeedParseException">Malformed or oversized XML, a DTD, or no RSS/Atom feed.</exception>
    public static ParsedFeed Parse(string xml, FeedParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= new FeedParserOptions();
        if (xml.Length > options.MaxBytes || Encoding.UTF8.GetByteCount(xml) > options.MaxBytes)
            throw FeedInputStream.TooLarge(options.MaxBytes);
        var text = ScrubControls(xml);
        var prefix = text[..Math.Min(text.Length, 1024)];
        RefuseHtml(prefix);
        return Read(() => XmlReader.Create(new StringReader(text), Settings(options.MaxBytes)), prefix, options);
    }

    private static XmlReaderSettings Settings(long maxBytes) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        // Only the five predefined entities and character references remain once DTDs are refused; this is a second fence.
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = maxBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        // Character references to control characters (&#1;) are accepted and removed later instead of failing the feed.
        CheckCharacters = false,
        CloseInput = false,
    };

    private static ParsedFeed Read(Func<XmlReader> open, string prefix, FeedParserOptions options)
    {
        try
        {
            using var reader = open();
            return ReadDocument(reader, options);
        }
        catch (XmlException ex) when (prefix.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            throw new FeedParseException(
                "The feed declares a DTD (<!DOCTYPE ...>), which is refused: DTDs allow entity expansion and external entities.", ex)
            { LineNumber = ex.LineNumber > 0 ? ex.LineNumber : null, LinePosition = ex.LinePosition > 0 ? ex.LinePosition : null };
        }
        catch (XmlException ex)
        {
            throw new FeedParseException($"The feed is not well-formed XML: {ex.Message}", ex)
            { LineNumber = ex.LineNumber > 0 ? ex.LineNumber : null, LinePosition = ex.LinePosition > 0 ? ex.LinePosition : null };
        }
    }

    internal static FeedParseException NotAFeed(string why) => new($"Not an RSS or Atom feed: {why}.");

    // An HTML page (the podcast's web site instead of its feed) is usually not even XML; say what it is.
    private static void RefuseHtml(string prefix)
    {
        var text = prefix.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.Contains("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || FirstTagName(text) is "html")
            throw NotAFeed("the document is an HTML page (is the URL the podcast's web site rather than its feed?)");
    }

    private static string? FirstTagName(string text)
    {
        for (var i = text.IndexOf('<'); i >= 0 && i + 1 < text.Length; i = text.IndexOf('<', i + 1))
        {
            if (text[i + 1] is '?' or '!')
                continue;
            var end = i + 1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is ':' or '-' or '_'))
                end++;
            return text[(i + 1)..end].ToLowerInvariant();
        }

        return null;
    }

    // Raw C0 controls are illegal in XML but occur in real feeds; the stream path scrubs them in FeedInputStream.
    private static string ScrubControls(string xml)
    {
        if (!xml.AsSpan().ContainsAnyInRange('\0', '\u0008') && !xml.AsSpan().ContainsAnyInRange('\u000B', '\u000C')
            && !xml.AsSpan().ContainsAnyInRange('\u000E', '\u001F'))
            return xml;
        return string.Create(xml.Length, xml, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = source[i] < ' ' && source[i] is not ('\t' or '\n' or '\r') ? ' ' : source[i];
        });
    }
}
