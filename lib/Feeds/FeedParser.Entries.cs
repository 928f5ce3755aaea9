using System.Xml;

namespace Cast2md.Feeds;

public static partial class FeedParser
{
    // One pass over an <item> or <entry>; every child is consumed, unknown ones skipped without recursion.
    private static EntryData ReadEntry(XmlReader reader, bool atom)
    {
        var entry = new EntryData();
        ForEachChild(reader, r =>
        {
            var ns = r.NamespaceURI;
            if (FeedNamespaces.IsRss(ns) || FeedNamespaces.IsAtom(ns))
                ReadCoreChild(r, entry, atom);
            else if (FeedNamespaces.IsItunes(ns))
                ReadItunesChild(r, entry);
            else if (FeedNamespaces.IsPodcast(ns))
                ReadPodcastChild(r, entry);
            else if (FeedNamespaces.IsMedia(ns))
                ReadMediaChild(r, entry);
            else if (ns == FeedNamespaces.Content && r.LocalName == "encoded")
                entry.Content ??= ReadText(r);
            else if (ns == FeedNamespaces.DublinCore && r.LocalName is "creator")
                entry.Author ??= ReadText(r);
            else if (ns == FeedNamespaces.DublinCore && r.LocalName is "date")
                entry.Published ??= ReadText(r);
            else
                r.Skip();
        });
        return entry;
    }

    private static void ReadCoreChild(XmlReader r, EntryData entry, bool atom)
    {
        switch (r.LocalName)
        {
            case "title": entry.Title ??= ReadText(r); break;
            case "guid" or "id": entry.Guid ??= ReadText(r); break;
            case "description": entry.Description ??= ReadText(r); break;
            case "summary": entry.Summary ??= ReadText(r); break;
            case "content": entry.Content ??= ReadText(r); break;
            case "pubDate" or "published" or "issued": entry.Published ??= ReadText(r); break;
            case "updated" or "modified": entry.Updated ??= ReadText(r); break;
            case "author": entry.Author ??= atom || r.NamespaceURI.Length > 0 ? ReadAtomPersonName(r) : ReadText(r); break;
            case "enclosure":
                entry.Enclosures.Add(new MediaCandidate(r.GetAttribute("url"), r.GetAttribute("type"), r.GetAttribute("length"), null));
                r.Skip();
                break;
            case "link":
                ReadLink(r, entry);
                break;
            default:
                r.Skip();
                break;
        }
    }

    // RSS <link>text</link>, or Atom <link rel href type length/> (also atom:link inside RSS items).
    private static void ReadLink(XmlReader r, EntryData entry)
    {
        var href = r.GetAttribute("href");
        if (href is null)
        {
            entry.Link ??= ReadText(r);
            return;
        }

        var rel = r.GetAttribute("rel") ?? "alternate";
        if (rel == "enclosure")
            entry.Enclosures.Add(new MediaCandidate(href, r.GetAttribute("type"), r.GetAttribute("length"), null));
        else if (rel == "alternate")
            entry.Link ??= href;
        r.Skip();
    }

    private static void ReadItunesChild(XmlReader r, EntryData entry)
    {
        switch (r.LocalName)
        {
            case "title": entry.ItunesTitle ??= ReadText(r); break;
            case "author": entry.ItunesAuthor ??= ReadText(r); break;
            case "duration": entry.Duration ??= ReadText(r); break;
            case "summary": entry.Summary ??= ReadText(r); break;
            case "image":
                entry.ImageUrl ??= r.GetAttribute("href");
                r.Skip();
                break;
            default:
                r.Skip();
                break;
        }
    }

    private static void ReadPodcastChild(XmlReader r, EntryData entry)
    {
        switch (r.LocalName)
        {
            case "transcript" when r.GetAttribute("url") is { } url:
                entry.Transcripts.Add(new TranscriptLink(url, r.GetAttribute("type"), r.GetAttribute("language"), r.GetAttribute("rel")));
                break;
            case "chapters":
                entry.ChaptersUrl ??= r.GetAttribute("url");
                break;
        }

        r.Skip();
    }

    // <media:content url type medium fileSize/>, possibly grouped in <media:group>.
    private static void ReadMediaChild(XmlReader r, EntryData entry)
    {
        if (r.LocalName == "group")
        {
            ForEachChild(r, c =>
            {
                if (FeedNamespaces.IsMedia(c.NamespaceURI) && c.LocalName == "content")
                    AddMediaContent(c, entry);
                else
                    c.Skip();
            });
            return;
        }

        if (r.LocalName == "content")
            AddMediaContent(r, entry);
        else
            r.Skip();
    }

    private static void AddMediaContent(XmlReader r, EntryData entry)
    {
        entry.MediaContents.Add(new MediaCandidate(r.GetAttribute("url"), r.GetAttribute("type"), r.GetAttribute("fileSize"), r.GetAttribute("medium")));
        r.Skip();
    }
}
