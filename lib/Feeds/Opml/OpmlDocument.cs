using System.Globalization;
using System.Text;
using System.Xml;
using Cast2md.Feeds.Xml;

namespace Cast2md.Feeds.Opml;

/// <summary>
/// OPML 2.0 subscription lists, as AntennaPod, Pocket Casts, Apple Podcasts and gPodder export them: every
/// <c>&lt;outline xmlUrl&gt;</c> at any depth (apps nest them in folders) is a feed. Read with the feed reader's
/// decoding, repair and limits (no DTD, bounded size, cannot loop); written as plain OPML 2.0.
/// </summary>
public static class OpmlDocument
{
    /// <summary>The largest OPML file read: a few thousand subscriptions fit in far less.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>The feeds listed in <paramref name="opml"/>, in document order, each address once.</summary>
    /// <exception cref="FeedParseException">Not XML, a DTD with entities, too large, or not OPML.</exception>
    public static IReadOnlyList<OpmlOutline> Read(Stream opml, CancellationToken cancellationToken = default)
    {
        var text = FeedDecoder.Decode(opml, MaxBytes, httpCharset: null, warnings: []);
        var repaired = FeedRepair.Run(text, []);
        var outlines = new List<OpmlOutline>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            CheckCharacters = false,
        };
        try
        {
            using var xml = XmlReader.Create(new StringReader(repaired.Xml), settings);
            if (xml.MoveToContent() != XmlNodeType.Element || !xml.LocalName.Equals("opml", StringComparison.OrdinalIgnoreCase))
                throw new FeedParseException(
                    xml.NodeType == XmlNodeType.Element
                        ? $"Not an OPML file: the root element is <{xml.Name}>, not <opml>."
                        : "Not an OPML file: the document has no root element."
                );
            var reads = 0;
            while (xml.Read())
            {
                if (++reads % 1024 == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                if (xml.NodeType != XmlNodeType.Element || !xml.LocalName.Equals("outline", StringComparison.OrdinalIgnoreCase))
                    continue;
                var url = FeedUrl.Normalize(Attribute(xml, "xmlUrl") ?? Attribute(xml, "url"));
                if (url is null || !seen.Add(FeedUrl.Key(url)))
                    continue;
                outlines.Add(
                    new OpmlOutline(url, FeedText.Line(Attribute(xml, "title") ?? Attribute(xml, "text")), FeedText.Line(Attribute(xml, "htmlUrl")))
                );
            }
        }
        catch (XmlException ex)
        {
            var (line, column, _) = repaired.ToSource(ex.LineNumber, ex.LinePosition);
            throw new FeedParseException($"The OPML file is not well-formed XML at line {line}, column {column}.", ex)
            {
                LineNumber = line,
                LinePosition = column,
            };
        }

        return outlines;
    }

    // Apps disagree on the case of attribute names (xmlUrl, xmlurl, XMLURL).
    private static string? Attribute(XmlReader xml, string name)
    {
        if (xml.GetAttribute(name) is { } exact)
            return exact;
        for (var i = 0; i < xml.AttributeCount; i++)
        {
            xml.MoveToAttribute(i);
            if (xml.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var value = xml.Value;
                xml.MoveToElement();
                return value;
            }
        }

        xml.MoveToElement();
        return null;
    }

    /// <summary>An OPML 2.0 document listing <paramref name="feeds"/>, as podcast apps import it.</summary>
    public static string Write(string title, IEnumerable<OpmlOutline> feeds, DateTimeOffset created)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings
        {
            Indent = true,
            Encoding = new UTF8Encoding(false),
            OmitXmlDeclaration = false,
        };
        using (var writer = XmlWriter.Create(new StringWriter(text, CultureInfo.InvariantCulture), settings))
        {
            writer.WriteStartElement("opml");
            writer.WriteAttributeString("version", "2.0");
            writer.WriteStartElement("head");
            writer.WriteElementString("title", title);
            writer.WriteElementString("dateCreated", created.ToString("r", CultureInfo.InvariantCulture));
            writer.WriteEndElement();
            writer.WriteStartElement("body");
            foreach (var feed in feeds)
            {
                writer.WriteStartElement("outline");
                writer.WriteAttributeString("type", "rss");
                writer.WriteAttributeString("text", Clean(feed.Title ?? feed.XmlUrl));
                writer.WriteAttributeString("title", Clean(feed.Title ?? feed.XmlUrl));
                writer.WriteAttributeString("xmlUrl", feed.XmlUrl);
                if (feed.HtmlUrl is not null)
                    writer.WriteAttributeString("htmlUrl", feed.HtmlUrl);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        // XmlWriter on a StringWriter declares utf-16; the document is served and saved as UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal) + "\n";
    }

    // Characters XML cannot carry at all (control characters) would make the writer throw.
    private static string Clean(string value) => FeedText.Line(value) ?? "";
}
