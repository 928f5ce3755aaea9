namespace Cast2md.Feeds.Opml;

/// <summary>One subscription in an OPML file: the feed's address and the title the app showed for it.</summary>
public sealed record OpmlOutline(string XmlUrl, string? Title, string? HtmlUrl = null);
