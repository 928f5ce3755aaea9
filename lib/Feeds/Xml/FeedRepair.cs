using System.Buffers;
using System.Text;

namespace Cast2md.Feeds.Xml;

/// <summary>
/// Rewrites a feed's text into XML that the strict reader accepts, fixing only what podcast apps forgive: junk before
/// the first tag (a PHP warning), HTML named entities and bare ampersands, a bare &lt; in text, unquoted, valueless
/// or repeated attributes, comments with "--" in them, a DOCTYPE without an internal subset (it is dropped, never
/// fetched), and namespace prefixes used without a declaration. A DOCTYPE with an internal subset — where entities
/// are declared — is refused. One pass, each step moves forward, so it cannot loop.
/// </summary>
internal sealed partial class FeedRepair
{
    // Where to look for the start of the XML when the text begins with something else.
    private const int StartSearchWindow = 64 * 1024;

    private static readonly SearchValues<char> Special = SearchValues.Create(
        "<&>\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
    );

    private readonly string _s;

    // Null while the output is still exactly _s[_start.._i] (most feeds need no edit at all): nothing is copied
    // until the first edit, and a clean feed is handed to the reader as the very string it came in.
    private StringBuilder? _o;
    private int _start;
    private readonly SourceMap _map = new();
    private readonly HashSet<string> _usedPrefixes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rootPrefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _innerPrefixes = new(StringComparer.Ordinal);
    private readonly List<string> _attributeNames = [];
    private int _i;
    private int _rootInsertAt = -1;

    private FeedRepair(string text)
    {
        _s = text;
    }

    private int OutputLength => _o?.Length ?? _i - _start;

    private StringBuilder Output()
    {
        if (_o is null)
        {
            _o = new StringBuilder(_s.Length - _start + 1024);
            _o.Append(_s, _start, _i - _start);
        }

        return _o;
    }

    /// <summary>The repaired text and the way back to positions in <paramref name="text"/>.</summary>
    public static RepairedFeed Run(string text, List<string> warnings)
    {
        var repair = new FeedRepair(text);
        repair._i = repair._start = repair.FindStart(warnings);
        repair._map.Add(0, repair._i);
        repair.Scan();
        repair.DeclareMissingPrefixes();
        var xml = repair._o?.ToString() ?? (repair._start == 0 ? text : text[repair._start..]);
        return new RepairedFeed(xml, text, repair._map);
    }

    // Leading BOM and whitespace are skipped silently; other text before the XML with a warning.
    private int FindStart(List<string> warnings)
    {
        var first = 0;
        while (first < _s.Length && (_s[first] == '\uFEFF' || char.IsWhiteSpace(_s[first])))
            first++;
        var window = _s.AsSpan(first, Math.Min(_s.Length - first, StartSearchWindow));
        var start = first;
        var declaration = window.IndexOf("<?xml", StringComparison.Ordinal);
        if (declaration > 0)
            start = first + declaration;
        else if (declaration < 0 && !StartsWithFeedMarkup(window))
        {
            var root = FirstRootCandidate(window);
            if (root >= 0)
                start = first + root;
        }

        if (start > first)
            warnings.Add($"The feed has {start - first} characters of text before its XML (for example a server warning); they were ignored.");
        return start;
    }

    private static bool StartsWithFeedMarkup(ReadOnlySpan<char> text) => text.StartsWith("<?") || text.StartsWith("<!") || StartsWithRootName(text);

    private static bool StartsWithRootName(ReadOnlySpan<char> text) =>
        text.StartsWith("<rss", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("<feed", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("<rdf:RDF", StringComparison.Ordinal)
        || text.StartsWith("<RDF", StringComparison.Ordinal);

    private static int FirstRootCandidate(ReadOnlySpan<char> text)
    {
        var best = -1;
        foreach (var marker in (ReadOnlySpan<string>)["<rss", "<feed", "<rdf:RDF"])
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
                best = at;
        }

        return best;
    }

    private void Scan()
    {
        while (_i < _s.Length)
        {
            var rest = _s.AsSpan(_i);
            var next = rest.IndexOfAny(Special);
            if (next < 0)
            {
                Copy(rest.Length);
                break;
            }

            Copy(next);
            switch (_s[_i])
            {
                case '<':
                    Markup();
                    break;
                case '&':
                    Ampersand(quote: null);
                    break;
                case '>':
                    // "]]>" is illegal in text outside CDATA.
                    if (OutputEndsWithBrackets())
                        Replace(1, "&gt;");
                    else
                        Copy(1);
                    break;
                default:
                    // Raw control characters are illegal in XML but occur in real feeds; a space keeps words apart.
                    Replace(1, " ");
                    break;
            }
        }
    }

    private void Markup()
    {
        var rest = _s.AsSpan(_i);
        if (rest.StartsWith("<!--"))
            DropThrough("-->", 4);
        else if (rest.StartsWith("<![CDATA["))
            CopyThrough("]]>", 9);
        else if (rest.StartsWith("<?xml version=\"1.0\"") && OutputLength == 0)
            CopyThrough("?>", 2); // the declaration, where it belongs; the text is already decoded, so its encoding is moot
        else if (rest.StartsWith("<?"))
            DropThrough("?>", 2);
        else if (rest.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
            Doctype();
        else if (rest.Length > 1 && rest[1] == '/' && NameLength(rest[2..]) is > 0 and var endName)
            EndTag(endName);
        else if (rest.Length > 1 && IsNameStart(rest[1]))
            StartTag();
        else
            Replace(1, "&lt;"); // "a < b" in text
    }

    private void EndTag(int nameLength)
    {
        NotePrefix(_s.AsSpan(_i + 2, nameLength));
        var close = _s.IndexOf('>', _i + 2 + nameLength);
        Copy(close < 0 ? _s.Length - _i : close + 1 - _i);
    }

    // Comments and processing instructions carry nothing a feed needs, and dropping them also drops their illegal forms.
    private void DropThrough(string terminator, int openLength)
    {
        var end = _s.IndexOf(terminator, _i + openLength, StringComparison.Ordinal);
        Output();
        _i = end < 0 ? _s.Length : end + terminator.Length;
        _map.Add(OutputLength, _i);
    }

    private void CopyThrough(string terminator, int openLength)
    {
        var end = _s.IndexOf(terminator, _i + openLength, StringComparison.Ordinal);
        Copy(end < 0 ? _s.Length - _i : end + terminator.Length - _i);
    }

    private void Doctype()
    {
        var j = _i + "<!DOCTYPE".Length;
        char? quote = null;
        for (; j < _s.Length; j++)
        {
            var c = _s[j];
            if (quote is not null)
            {
                if (c == quote)
                    quote = null;
            }
            else if (c is '"' or '\'')
                quote = c;
            else if (c == '[')
                throw DtdRefused();
            else if (c == '>')
                break;
        }

        Output();
        _i = Math.Min(j + 1, _s.Length);
        _map.Add(OutputLength, _i);
    }

    internal static FeedParseException DtdRefused() =>
        new(
            "The feed declares a DTD with its own entities (<!DOCTYPE ... [ ... ]>), which is refused: they allow entity expansion and external entities."
        );

    private void Copy(int length)
    {
        _o?.Append(_s.AsSpan(_i, length));
        _i += length;
    }

    private void Replace(int length, string replacement)
    {
        Output().Append(replacement);
        _i += length;
        _map.Add(OutputLength, _i);
    }

    private void Append(ReadOnlySpan<char> text) => Output().Append(text);

    private bool OutputEndsWithBrackets() =>
        _o is not null ? _o.Length >= 2 && _o[^1] == ']' && _o[^2] == ']' : _i - _start >= 2 && _s[_i - 1] == ']' && _s[_i - 2] == ']';

    private void NotePrefix(ReadOnlySpan<char> qualifiedName)
    {
        var colon = qualifiedName.IndexOf(':');
        if (colon <= 0)
            return;
        var prefix = qualifiedName[..colon];
        if (prefix is "xml" or "xmlns")
            return;
        var lookup = _usedPrefixes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.Contains(prefix))
            lookup.Add(prefix);
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' || c > 0x7F;

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '-' or '.' || c > 0x7F;

    private static int NameLength(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !IsNameStart(text[0]))
            return 0;
        var n = 1;
        while (n < text.Length && IsNameChar(text[n]))
            n++;
        return n;
    }
}

/// <summary>The repaired text, and the positions in the text as published (for error messages).</summary>
internal sealed record RepairedFeed(string Xml, string Source, SourceMap Map)
{
    /// <summary>The 1-based line and column in the published text of a 1-based position in <see cref="Xml"/>.</summary>
    public (int Line, int Column, int Offset) ToSource(int line, int column)
    {
        var offset = 0;
        for (var l = 1; l < line && offset < Xml.Length; l++)
        {
            var next = Xml.IndexOf('\n', offset);
            offset = next < 0 ? Xml.Length : next + 1;
        }

        var source = Map.ToSource(Math.Min(Xml.Length, offset + Math.Max(0, column - 1)));
        source = Math.Clamp(source, 0, Source.Length);
        var sourceLine = 1 + Source.AsSpan(0, source).Count('\n');
        var lineStart = Source.LastIndexOf('\n', Math.Max(0, source - 1)) + 1;
        if (source == 0)
            lineStart = 0;
        return (sourceLine, source - lineStart + 1, source);
    }
}

/// <summary>Checkpoints where the repaired text and the published one line up again after an edit.</summary>
internal sealed class SourceMap
{
    private readonly List<int> _outputs = [];
    private readonly List<int> _sources = [];

    public void Add(int output, int source)
    {
        if (_outputs.Count > 0 && _outputs[^1] - _sources[^1] == output - source)
            return;
        if (_outputs.Count > 0 && _outputs[^1] == output)
        {
            _sources[^1] = source;
            return;
        }

        _outputs.Add(output);
        _sources.Add(source);
    }

    /// <summary>Records <paramref name="length"/> characters inserted at <paramref name="output"/> after the scan.</summary>
    public void Insert(int output, int length)
    {
        var source = ToSource(output);
        var k = 0;
        while (k < _outputs.Count && _outputs[k] <= output)
            k++;
        for (var m = k; m < _outputs.Count; m++)
            _outputs[m] += length;
        _outputs.Insert(k, output + length);
        _sources.Insert(k, source);
    }

    public int ToSource(int output)
    {
        var k = _outputs.BinarySearch(output);
        if (k < 0)
            k = ~k - 1;
        if (k < 0)
            return output;
        return _sources[k] + (output - _outputs[k]);
    }
}
