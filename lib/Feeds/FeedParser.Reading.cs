using Cast2md.Feeds.Xml;

namespace Cast2md.Feeds;

public static partial class FeedParser
{
    // Root dispatch: <rss><channel>, <rdf:RDF> (RSS 0.90/1.0, items beside the channel), or Atom <feed>.
    private static void ReadDocument(FeedReader reader, ChannelData channel, EpisodeCollector episodes)
    {
        if (!reader.MoveToDocumentElement())
            throw NotAFeed("the document has no root element");

        switch (reader.LocalName)
        {
            case "rss":
                channel.Recognised = true;
                var hasChannel = false;
                reader.Children(r =>
                {
                    if (r.LocalName == "channel" && FeedNamespaces.IsRss(r.NamespaceUri))
                    {
                        hasChannel = true;
                        r.Children(c => ReadChannelChild(c, channel, episodes, atom: false));
                    }
                    else if (r.LocalName == "item")
                        episodes.Add(ReadEntry(r, atom: false));
                });
                if (!hasChannel)
                    throw NotAFeed("the <rss> element has no <channel>");
                break;

            case "RDF" when reader.NamespaceUri == FeedNamespaces.Rdf:
                channel.Recognised = true;
                reader.Children(r =>
                {
                    if (r.LocalName == "channel")
                        r.Children(c => ReadChannelChild(c, channel, episodes, atom: false));
                    else if (r.LocalName == "item")
                        episodes.Add(ReadEntry(r, atom: false));
                });
                break;

            case "feed" when FeedNamespaces.IsAtom(reader.NamespaceUri) || reader.NamespaceUri.Length == 0:
                channel.Recognised = true;
                channel.Language = reader.XmlLang is { Length: > 0 } lang ? lang : null;
                reader.Children(r => ReadChannelChild(r, channel, episodes, atom: true));
                break;

            case "html":
                throw NotAFeed("the document is an HTML page (is the URL the podcast's web site rather than its feed?)");

            default:
                throw NotAFeed($"the root element is <{reader.Name}>, not <rss> or <feed>");
        }

        reader.ReadToEnd();
    }

    private static void ReadChannelChild(FeedReader r, ChannelData channel, EpisodeCollector episodes, bool atom)
    {
        var ns = r.NamespaceUri;
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
                case "title" when channel.Title is null:
                    channel.Title = FeedText.Line(r.Text());
                    break;
                case "description" or "subtitle" when channel.Description is null:
                    channel.Description = FeedText.Block(r.Text());
                    break;
                case "language" when channel.Language is null:
                    channel.Language = FeedText.Line(r.Text());
                    break;
                case "managingEditor" when channel.OtherAuthor is null:
                    channel.OtherAuthor = FeedText.Line(r.Text());
                    break;
                case "logo" or "icon" when channel.OtherImage is null:
                    channel.OtherImage = r.Url(r.Text());
                    break;
                case "category":
                    channel.AddCategory(r.Attribute("term") ?? r.Text());
                    break;
                case "link":
                    ReadChannelLink(r, channel);
                    break;
                case "image":
                    r.Children(i =>
                    {
                        if (i.LocalName == "url" && channel.OtherImage is null)
                            channel.OtherImage = i.Url(i.Text());
                    });
                    break;
                case "author" when channel.OtherAuthor is null:
                    channel.OtherAuthor = FeedText.Line(atom ? ReadAtomPersonName(r) : r.Text());
                    break;
            }
        }
        else if (FeedNamespaces.IsItunes(ns))
        {
            switch (local)
            {
                case "author" when channel.ItunesAuthor is null:
                    channel.ItunesAuthor = FeedText.Line(r.Text());
                    break;
                case "summary" when channel.Summary is null:
                    channel.Summary = FeedText.Block(r.Text());
                    break;
                case "image":
                    channel.ItunesImage ??= r.Url(r.Attribute("href"));
                    break;
                case "category":
                    ReadItunesCategory(r, channel, 0);
                    break;
            }
        }
        else if (ns == FeedNamespaces.DublinCore && local == "creator" && channel.OtherAuthor is null)
            channel.OtherAuthor = FeedText.Line(r.Text());
    }

    // RSS <link>site</link>; Atom (or atom:link in RSS) <link rel href/>: alternate is the site, next the following page.
    private static void ReadChannelLink(FeedReader r, ChannelData channel)
    {
        var href = r.Attribute("href");
        if (href is null)
        {
            if (channel.Link is null)
                channel.Link = r.Url(r.Text());
            return;
        }

        switch (r.Attribute("rel")?.Trim().ToLowerInvariant())
        {
            case null or "alternate":
                channel.Link ??= r.Url(href);
                break;
            case "next":
                channel.NextPage ??= r.Url(href);
                break;
        }
    }

    // <itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category>
    private static void ReadItunesCategory(FeedReader r, ChannelData channel, int level)
    {
        channel.AddCategory(r.Attribute("text"));
        if (level > 4)
            return;
        r.Children(c =>
        {
            if (FeedNamespaces.IsItunes(c.NamespaceUri) && c.LocalName == "category")
                ReadItunesCategory(c, channel, level + 1);
        });
    }

    private static string ReadAtomPersonName(FeedReader r)
    {
        string? name = null;
        r.Children(c =>
        {
            if (c.LocalName == "name" && name is null)
                name = c.Text();
        });
        return name ?? "";
    }
}
