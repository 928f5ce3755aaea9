using Cast2md.Feeds.Xml;

namespace Cast2md.Feeds;

public static partial class FeedParser
{
    // One pass over an <item> or <entry>; the first of each repeated element wins, the reader consumes the rest.
    private static EntryData ReadEntry(FeedReader reader, bool atom)
    {
        var entry = new EntryData();
        reader.Children(r =>
        {
            var ns = r.NamespaceUri;
            if (FeedNamespaces.IsRss(ns) || FeedNamespaces.IsAtom(ns))
                ReadCoreChild(r, entry, atom);
            else if (FeedNamespaces.IsItunes(ns))
                ReadItunesChild(r, entry);
            else if (FeedNamespaces.IsPodcast(ns))
                ReadPodcastChild(r, entry);
            else if (FeedNamespaces.IsMedia(ns))
                ReadMediaChild(r, entry);
            else if (ns == FeedNamespaces.Content && r.LocalName == "encoded" && entry.Content is null)
                entry.Content = r.Text();
            else if (ns == FeedNamespaces.DublinCore && r.LocalName is "creator" && entry.Author is null)
                entry.Author = r.Text();
            else if (ns == FeedNamespaces.DublinCore && r.LocalName is "date" && entry.Published is null)
                entry.Published = r.Text();
        });
        return entry;
    }

    private static void ReadCoreChild(FeedReader r, EntryData entry, bool atom)
    {
        switch (r.LocalName)
        {
            case "title" when entry.Title is null:
                entry.Title = r.Text();
                break;
            case "guid" or "id" when entry.Guid is null:
                entry.Guid = r.Text();
                break;
            case "description" when entry.Description is null:
                entry.Description = r.Text();
                break;
            case "summary" when entry.Summary is null:
                entry.Summary = r.Text();
                break;
            case "content" when entry.Content is null:
                entry.Content = r.Text();
                break;
            case "pubDate" or "published" or "issued" when entry.Published is null:
                entry.Published = r.Text();
                break;
            case "updated" or "modified" when entry.Updated is null:
                entry.Updated = r.Text();
                break;
            case "author" when entry.Author is null:
                entry.Author = atom || r.NamespaceUri.Length > 0 ? ReadAtomPersonName(r) : r.Text();
                break;
            case "enclosure":
                entry.Enclosures.Add(new MediaCandidate(r.Url(r.Attribute("url")), r.Attribute("type"), r.Attribute("length"), null));
                break;
            case "link":
                ReadLink(r, entry);
                break;
        }
    }

    // RSS <link>text</link>, or Atom <link rel href type length/> (also atom:link inside RSS items).
    private static void ReadLink(FeedReader r, EntryData entry)
    {
        var href = r.Attribute("href");
        if (href is null)
        {
            if (entry.Link is null)
                entry.Link = r.Url(r.Text());
            return;
        }

        var rel = r.Attribute("rel") ?? "alternate";
        if (rel == "enclosure")
            entry.Enclosures.Add(new MediaCandidate(r.Url(href), r.Attribute("type"), r.Attribute("length"), null));
        else if (rel == "alternate")
            entry.Link ??= r.Url(href);
    }

    private static void ReadItunesChild(FeedReader r, EntryData entry)
    {
        switch (r.LocalName)
        {
            case "title" when entry.ItunesTitle is null:
                entry.ItunesTitle = r.Text();
                break;
            case "author" when entry.ItunesAuthor is null:
                entry.ItunesAuthor = r.Text();
                break;
            case "duration" when entry.Duration is null:
                entry.Duration = r.Text();
                break;
            case "summary" when entry.Summary is null:
                entry.Summary = r.Text();
                break;
            case "image":
                entry.ImageUrl ??= r.Url(r.Attribute("href"));
                break;
        }
    }

    private static void ReadPodcastChild(FeedReader r, EntryData entry)
    {
        switch (r.LocalName)
        {
            case "transcript" when r.Url(r.Attribute("url")) is { } url:
                entry.Transcripts.Add(new TranscriptLink(url, r.Attribute("type"), r.Attribute("language"), r.Attribute("rel")));
                break;
            case "chapters":
                entry.ChaptersUrl ??= r.Url(r.Attribute("url"));
                break;
        }
    }

    // <media:content url type medium fileSize/>, possibly grouped in <media:group>.
    private static void ReadMediaChild(FeedReader r, EntryData entry)
    {
        if (r.LocalName == "group")
            r.Children(c =>
            {
                if (FeedNamespaces.IsMedia(c.NamespaceUri) && c.LocalName == "content")
                    AddMediaContent(c, entry);
            });
        else if (r.LocalName == "content")
            AddMediaContent(r, entry);
    }

    private static void AddMediaContent(FeedReader r, EntryData entry) =>
        entry.MediaContents.Add(new MediaCandidate(r.Url(r.Attribute("url")), r.Attribute("type"), r.Attribute("fileSize"), r.Attribute("medium")));
}
