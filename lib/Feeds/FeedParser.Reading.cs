using System.Text;
using System.Xml;

namespace Cast2md.Feeds;

public static partial class FeedParser
{
    // Root dispatch: <rss><channel>, <rdf:RDF> (RSS 1.0, items beside the channel), or Atom <feed>.
    private static ParsedFeed ReadDocument(XmlReader reader, FeedParserOptions options)
    {
        if (reader.MoveToContent() != XmlNodeType.Element)
            throw NotAFeed("the document has no root element");

        var channel = new ChannelData();
        var episodes = new EpisodeCollector(options.BaseUri);
        switch (reader.LocalName)
        {
            case "rss":
                var hasChannel = false;
                ForEachChild(reader, r =>
                {
                    if (r.LocalName == "channel" && FeedNamespaces.IsRss(r.NamespaceURI))
                    {
                        hasChannel = true;
                        ForEachChild(r, c => ReadChannelChild(c, channel, episodes, atom: false));
                    }
                    else if (r.LocalName == "item")
                        episodes.Add(ReadEntry(r, atom: false));
                    else
                        r.Skip();
                });
                if (!hasChannel)
                    throw NotAFeed("the <rss> element has no <channel>");
                break;

            case "RDF" when reader.NamespaceURI == FeedNamespaces.Rdf:
                ForEachChild(reader, r =>
                {
                    if (r.LocalName == "channel")
                        ForEachChild(r, c => ReadChannelChild(c, channel, episodes, atom: false));
                    else if (r.LocalName == "item")
                        episodes.Add(ReadEntry(r, atom: false));
                    else
                        r.Skip();
                });
                break;

            case "feed" when FeedNamespaces.IsAtom(reader.NamespaceURI) || reader.NamespaceURI.Length == 0:
                channel.Language = reader.XmlLang is { Length: > 0 } lang ? lang : null;
                ForEachChild(reader, r => ReadChannelChild(r, channel, episodes, atom: true));
                break;

            case "html":
                throw NotAFeed("the document is an HTML page (is the URL the podcast's web site rather than its feed?)");

            default:
                throw NotAFeed($"the root element is <{reader.Name}>, not <rss> or <feed>");
        }

        // Read to the end so trailing garbage is reported like any other malformed XML.
        while (reader.Read()) { }
        return channel.ToFeed(episodes, options.BaseUri);
    }

    private static void ReadChannelChild(XmlReader r, ChannelData channel, EpisodeCollector episodes, bool atom)
    {
        var ns = r.NamespaceURI;
        var local = r.LocalName;
        if (local is "item" or "entry" && (FeedNamespaces.IsRss(ns) || FeedNamespaces.IsAtom(ns)))
        {
            episodes.Add(ReadEntry(r, atom));
            return;
        }

        if (FeedNamespaces.IsRss(ns) || FeedNamespaces.IsAtom(ns))
        {
            switch (local)
            {
                case "title": channel.Title ??= FeedText.Line(ReadText(r)); return;
                case "description" or "subtitle": channel.Description ??= FeedText.Block(ReadText(r)); return;
                case "language": channel.Language ??= FeedText.Line(ReadText(r)); return;
                case "managingEditor": channel.OtherAuthor ??= FeedText.Line(ReadText(r)); return;
                case "logo" or "icon": channel.OtherImage ??= ReadText(r); return;
                case "category":
                    if (r.GetAttribute("term") is { } term)
                    {
                        channel.AddCategory(term);
                        r.Skip();
                    }
                    else
                        channel.AddCategory(ReadText(r));
                    return;
                case "link":
                    var href = r.GetAttribute("href");
                    var rel = r.GetAttribute("rel");
                    if (href is not null)
                    {
                        if (rel is null or "alternate")
                            channel.Link ??= href;
                        r.Skip();
                    }
                    else
                        channel.Link ??= ReadText(r);
                    return;
                case "image":
                    ForEachChild(r, i =>
                    {
                        if (i.LocalName == "url")
                            channel.OtherImage ??= ReadText(i);
                        else
                            i.Skip();
                    });
                    return;
                case "author":
                    channel.OtherAuthor ??= FeedText.Line(atom ? ReadAtomPersonName(r) : ReadText(r));
                    return;
            }
        }
        else if (FeedNamespaces.IsItunes(ns))
        {
            switch (local)
            {
                case "author": channel.ItunesAuthor ??= FeedText.Line(ReadText(r)); return;
                case "summary": channel.Summary ??= FeedText.Block(ReadText(r)); return;
                case "image": channel.ItunesImage ??= r.GetAttribute("href"); r.Skip(); return;
                case "category": ReadItunesCategory(r, channel, 0); return;
            }
        }
        else if (ns == FeedNamespaces.DublinCore && local == "creator")
        {
            channel.OtherAuthor ??= FeedText.Line(ReadText(r));
            return;
        }

        r.Skip();
    }

    // <itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category>
    private static void ReadItunesCategory(XmlReader r, ChannelData channel, int level)
    {
        channel.AddCategory(r.GetAttribute("text"));
        if (level > 4)
        {
            r.Skip();
            return;
        }

        ForEachChild(r, c =>
        {
            if (FeedNamespaces.IsItunes(c.NamespaceURI) && c.LocalName == "category")
                ReadItunesCategory(c, channel, level + 1);
            else
                c.Skip();
        });
    }

    private static string ReadAtomPersonName(XmlReader r)
    {
        string? name = null;
        ForEachChild(r, c =>
        {
            if (c.LocalName == "name")
                name ??= ReadText(c);
            else
                c.Skip();
        });
        return name ?? "";
    }

    /// <summary>
    /// Calls <paramref name="onElement"/> for each child element of the element the reader is on; the callback
    /// must consume the child (read past its end). Leaves the reader after the parent's end tag.
    /// </summary>
    private static void ForEachChild(XmlReader reader, Action<XmlReader> onElement)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
                onElement(reader);
            else
                reader.Read();
        }

        if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            reader.Read();
    }

    /// <summary>All text below the current element (CDATA included), read iteratively; leaves the reader after its end tag.</summary>
    private static string ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        var depth = reader.Depth;
        string? single = null;
        StringBuilder? builder = null;
        reader.Read();
        while (!reader.EOF && reader.Depth > depth)
        {
            if (reader.Depth > depth + MaxNesting)
                throw new FeedParseException($"The feed nests elements more than {MaxNesting} levels deep inside an entry.");
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                if (single is null && builder is null)
                    single = reader.Value;
                else
                    (builder ??= new StringBuilder(single)).Append(reader.Value);
            }

            reader.Read();
        }

        if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            reader.Read();
        return builder?.ToString() ?? single ?? "";
    }
}
