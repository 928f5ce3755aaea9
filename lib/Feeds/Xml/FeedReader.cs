using System.Diagnostics;
using System.Text;
using System.Xml;

namespace Cast2md.Feeds.Xml;

/// <summary>
/// The only code that moves the XML reader while a feed is parsed. A handler given an element by
/// <see cref="Children"/> reads it with <see cref="Text"/> or <see cref="Children"/>, or ignores it; whatever it does,
/// the element is consumed before the next one is offered, so a handler that forgets to read (the first value won
/// already, an unknown element) cannot make the parse stand still. Reading one element twice is a programming error
/// and throws. Every read also checks the deadline and the cancellation token, and the xml:base in scope is tracked
/// so relative URLs resolve against the nearest one.
/// </summary>
internal sealed class FeedReader
{
    /// <summary>Deepest element nesting read as text; deeper content is refused rather than recursed into.</summary>
    public const int MaxNesting = 64;

    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private const int ReadsBetweenChecks = 1024;

    private readonly XmlReader _reader;
    private readonly TimeSpan _timeout;
    private readonly long _deadline;
    private readonly CancellationToken _cancellationToken;
    private int _readsUntilCheck = ReadsBetweenChecks;
    private long _serial;
    private long _current;
    private long _consumed = -1;

    public FeedReader(XmlReader reader, Uri? documentBase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _reader = reader;
        _timeout = timeout;
        _deadline =
            timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _cancellationToken = cancellationToken;
        BaseUri = documentBase;
    }

    public string LocalName => _reader.LocalName;
    public string NamespaceUri => _reader.NamespaceURI;
    public string Name => _reader.Name;
    public string XmlLang => _reader.XmlLang;

    /// <summary>The base URI of the current element: the nearest xml:base, else the document's address.</summary>
    public Uri? BaseUri { get; private set; }

    /// <summary>True once the document element has been read to its end tag.</summary>
    public bool DocumentComplete { get; private set; }

    public string? Attribute(string name) => _reader.GetAttribute(name);

    /// <summary><paramref name="value"/> made absolute against the current element's base (see <see cref="FeedText.Url"/>).</summary>
    public string? Url(string? value) => FeedText.Url(value, BaseUri);

    /// <summary>Moves to the document element; false when there is none.</summary>
    public bool MoveToDocumentElement()
    {
        if (_reader.MoveToContent() != XmlNodeType.Element)
            return false;
        BaseUri = ElementBase(BaseUri);
        return true;
    }

    /// <summary>Reads the rest of the document after the document element, so trailing garbage is noticed.</summary>
    public void ReadToEnd()
    {
        DocumentComplete = true;
        while (!_reader.EOF)
            Read();
    }

    /// <summary>All text below the current element (CDATA included); consumes it.</summary>
    public string Text()
    {
        Consume();
        if (_reader.IsEmptyElement)
        {
            Read();
            return "";
        }

        var depth = _reader.Depth;
        string? single = null;
        StringBuilder? builder = null;
        Read();
        while (!_reader.EOF && _reader.Depth > depth)
        {
            if (_reader.Depth > depth + MaxNesting)
                throw new FeedParseException($"The feed nests elements more than {MaxNesting} levels deep inside an entry.");
            if (_reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                if (single is null && builder is null)
                    single = _reader.Value;
                else
                    (builder ??= new StringBuilder(single)).Append(_reader.Value);
            }

            Read();
        }

        if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth)
            Read();
        return builder?.ToString() ?? single ?? "";
    }

    /// <summary>
    /// Calls <paramref name="onChild"/> for each child element of the current element, consuming each child the handler
    /// left unread; consumes the current element.
    /// </summary>
    public void Children(Action<FeedReader> onChild)
    {
        Consume();
        var parent = _current;
        var parentBase = BaseUri;
        if (_reader.IsEmptyElement)
        {
            Read();
            return;
        }

        var depth = _reader.Depth;
        Read();
        while (!_reader.EOF && _reader.Depth > depth)
        {
            if (_reader.NodeType != XmlNodeType.Element)
            {
                Read();
                continue;
            }

            _current = ++_serial;
            BaseUri = ElementBase(parentBase);
            onChild(this);
            if (_consumed != _current)
                Skip();
            BaseUri = parentBase;
        }

        if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth)
        {
            if (depth == 0)
                DocumentComplete = true;
            Read();
        }

        _current = parent;
        _consumed = parent;
    }

    private void Consume()
    {
        if (_consumed == _current)
            throw new InvalidOperationException(
                $"The feed element <{_reader.Name}> was read twice; every handler must read an element at most once."
            );
        _consumed = _current;
    }

    private Uri? ElementBase(Uri? parent)
    {
        if (!_reader.HasAttributes || _reader.GetAttribute("base", XmlNamespace) is not { } value)
            return parent;
        value = value.Trim();
        if (parent is not null && Uri.TryCreate(parent, value, out var resolved))
            return resolved;
        return Uri.TryCreate(value, UriKind.Absolute, out var absolute) ? absolute : parent;
    }

    private void Skip()
    {
        Check();
        _reader.Skip();
    }

    private void Read()
    {
        if (--_readsUntilCheck == 0)
            Check();
        _reader.Read();
    }

    private void Check()
    {
        _readsUntilCheck = ReadsBetweenChecks;
        _cancellationToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() > _deadline)
            throw new FeedParseException(
                $"Reading the feed took longer than {_timeout.TotalSeconds:0.#} s, so it was stopped; nothing from it was stored."
            );
    }
}
