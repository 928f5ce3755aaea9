using System.Text;

namespace Cast2md.Transcripts.Publisher;

/// <summary>
/// Text of an HTML transcript: script, style, head, noscript and template content and comments dropped, a paragraph
/// break at every block element (p, div, br, headings, list items, table rows, …), other tags removed, entities
/// unescaped. A hand-written scanner, linear in the input, so hostile HTML cannot make it backtrack.
/// </summary>
internal static class HtmlTranscriptParser
{
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "noscript", "template" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
        "dl",
        "header",
        "footer",
        "main",
        "body",
        "html",
    };

    public static List<string> Paragraphs(string html)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                current.Append(c);
                i++;
                continue;
            }

            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            if (i + 1 < html.Length && html[i + 1] is '!' or '?')
            {
                i = SkipPast(html, i + 2); // <!DOCTYPE …>, <![CDATA[, <?xml …?>
                continue;
            }

            var (name, closing, tagEnd) = ReadTag(html, i);
            if (name is null)
            {
                current.Append(c); // a lone '<' in text
                i++;
                continue;
            }

            i = tagEnd;
            if (!closing && Dropped.Contains(name))
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : SkipPast(html, close);
                continue;
            }

            if (Blocks.Contains(name))
                Break();
        }

        Break();
        return paragraphs;

        void Break()
        {
            if (current.Length == 0)
                return;
            var text = CueParser.Clean(current.ToString());
            if (text.Length > 0)
                paragraphs.Add(text);
            current.Clear();
        }
    }

    // The tag at html[start] == '<': its lower-case name, whether it is a closing tag, and the index after its '>'.
    private static (string? Name, bool Closing, int End) ReadTag(string html, int start)
    {
        var i = start + 1;
        var closing = i < html.Length && html[i] == '/';
        if (closing)
            i++;
        var nameStart = i;
        while (i < html.Length && (char.IsAsciiLetterOrDigit(html[i]) || html[i] is '-' or ':'))
            i++;
        if (i == nameStart || !char.IsAsciiLetter(html[nameStart]))
            return (null, false, start);
        return (html[nameStart..i], closing, SkipPast(html, i));
    }

    // Index after the '>' that ends the tag at or after i, honouring quoted attribute values.
    private static int SkipPast(string html, int i)
    {
        char quote = '\0',
            previous = '\0';
        for (; i < html.Length; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
            }
            else if (c is '"' or '\'' && previous == '=')
                quote = c; // only a quote that opens an attribute value, not the apostrophe in <a title=don't>
            else if (c == '>')
                return i + 1;
            if (!char.IsWhiteSpace(c))
                previous = c;
        }

        return html.Length;
    }
}
