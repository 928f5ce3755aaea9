using System.Globalization;
using System.Text;

namespace Cast2md.Feeds.Xml;

internal sealed partial class FeedRepair
{
    // The namespaces publishers mean by the prefixes they forget to declare.
    private static readonly Dictionary<string, string> WellKnownPrefixes = new(StringComparer.Ordinal)
    {
        ["itunes"] = FeedNamespaces.Itunes,
        ["podcast"] = "https://podcastindex.org/namespace/1.0",
        ["content"] = FeedNamespaces.Content,
        ["media"] = "http://search.yahoo.com/mrss/",
        ["dc"] = FeedNamespaces.DublinCore,
        ["atom"] = FeedNamespaces.Atom,
        ["googleplay"] = "http://www.google.com/schemas/play-podcasts/1.0",
        ["spotify"] = "http://www.spotify.com/ns/rss",
        ["podlove"] = "http://podlove.org/simple-chapters",
        ["psc"] = "http://podlove.org/simple-chapters",
        ["rdf"] = FeedNamespaces.Rdf,
        ["sy"] = "http://purl.org/rss/1.0/modules/syndication/",
        ["slash"] = "http://purl.org/rss/1.0/modules/slash/",
        ["wfw"] = "http://wellformedweb.org/CommentAPI/",
        ["fireside"] = "http://fireside.fm/modules/rss/fireside",
    };

    // <name attr="v" ...>: attributes are re-quoted and their values repaired; a tag cut off by the end is left as is.
    private void StartTag()
    {
        var nameLength = NameLength(_s.AsSpan(_i + 1));
        var isVoid = IsHtmlVoid(_s.AsSpan(_i + 1, nameLength));
        var isRoot = _rootInsertAt < 0;
        NotePrefix(_s.AsSpan(_i + 1, nameLength));
        Copy(1 + nameLength);
        if (isRoot)
            _rootInsertAt = OutputLength;
        _attributeNames.Clear();
        while (_i < _s.Length)
        {
            var c = _s[_i];
            if (char.IsWhiteSpace(c))
            {
                Copy(1);
                continue;
            }

            if (c == '>')
            {
                if (isVoid)
                    Replace(1, "/>"); // <br> in unescaped HTML show notes is never closed
                else
                    Copy(1);
                return;
            }

            if (c == '/' && _i + 1 < _s.Length && _s[_i + 1] == '>')
            {
                Copy(2);
                return;
            }

            if (c == '<')
            {
                // "<item <title>": the tag was never closed; close it here.
                Append(">");
                _map.Add(OutputLength, _i);
                return;
            }

            var attributeLength = AttributeNameLength(_s.AsSpan(_i));
            if (attributeLength == 0)
            {
                Skip(1); // a stray '/', '=' or quote
                continue;
            }

            Attribute(attributeLength, isRoot);
        }
    }

    // HTML elements that never have an end tag and that no feed format uses as an element name of its own.
    private static bool IsHtmlVoid(ReadOnlySpan<char> name) =>
        name.Equals("br", StringComparison.OrdinalIgnoreCase)
        || name.Equals("hr", StringComparison.OrdinalIgnoreCase)
        || name.Equals("img", StringComparison.OrdinalIgnoreCase)
        || name.Equals("wbr", StringComparison.OrdinalIgnoreCase);

    private static int AttributeNameLength(ReadOnlySpan<char> text)
    {
        var n = 0;
        while (n < text.Length && !char.IsWhiteSpace(text[n]) && text[n] is not ('=' or '>' or '/' or '<' or '"' or '\''))
            n++;
        return n;
    }

    private void Attribute(int nameLength, bool onRoot)
    {
        var name = _s.Substring(_i, nameLength);
        var j = _i + nameLength;
        while (j < _s.Length && char.IsWhiteSpace(_s[j]))
            j++;
        if (j >= _s.Length || _s[j] != '=')
        {
            Skip(j - _i); // <x checked>: a name without a value is HTML, not XML
            return;
        }

        j++;
        while (j < _s.Length && char.IsWhiteSpace(_s[j]))
            j++;
        int valueStart,
            valueEnd,
            next;
        char quote;
        if (j < _s.Length && _s[j] is '"' or '\'')
        {
            quote = _s[j];
            valueStart = j + 1;
            var close = _s.IndexOf(quote, valueStart);
            if (close < 0)
            {
                Copy(_s.Length - _i); // cut off by the end of the text: the reader reports the truncation
                return;
            }

            valueEnd = close;
            next = close + 1;
        }
        else
        {
            quote = '"';
            valueStart = j;
            while (j < _s.Length && !char.IsWhiteSpace(_s[j]) && _s[j] != '>' && !(_s[j] == '/' && j + 1 < _s.Length && _s[j + 1] == '>'))
                j++;
            valueEnd = j;
            next = j;
        }

        if (_attributeNames.Contains(name))
        {
            Skip(next - _i); // XML refuses a repeated attribute; the first one wins
            return;
        }

        _attributeNames.Add(name);
        if (name.StartsWith("xmlns:", StringComparison.Ordinal))
        {
            var prefix = name["xmlns:".Length..];
            if (onRoot)
                _rootPrefixes.Add(prefix);
            else
                _innerPrefixes.TryAdd(prefix, _s[valueStart..valueEnd]);
        }
        else
            NotePrefix(name);

        // name="value" exactly as XML wants it is copied; any other spelling is rewritten.
        if (valueStart == _i + nameLength + 2 && _s[_i + nameLength] == '=' && _s[_i + nameLength + 1] == quote)
            Copy(nameLength + 2);
        else
        {
            Output().Append(name).Append('=').Append(quote);
            _i = valueStart;
            _map.Add(OutputLength, _i);
        }
        while (_i < valueEnd)
        {
            var c = _s[_i];
            if (c == '&')
                Ampersand(quote);
            else if (c == '<')
                Replace(1, "&lt;");
            else if (c == quote)
                Replace(1, quote == '"' ? "&quot;" : "&apos;");
            else if (c < ' ' && c is not ('\t' or '\n' or '\r'))
                Replace(1, " ");
            else
                Copy(1);
        }

        if (next == valueEnd + 1)
            Copy(1); // the closing quote
        else
        {
            Output().Append(quote);
            _i = next;
            _map.Add(OutputLength, _i);
        }
    }

    private void Skip(int length)
    {
        Output();
        _i += length;
        _map.Add(OutputLength, _i);
    }

    // &amp; &lt; &#233; stay; &nbsp; (HTML) becomes a character reference; a bare or unknown & becomes &amp;.
    private void Ampersand(char? quote)
    {
        var rest = _s.AsSpan(_i + 1);
        var semicolon = rest[..Math.Min(rest.Length, 40)].IndexOf(';');
        if (semicolon > 0)
        {
            var name = rest[..semicolon];
            if (name[0] == '#')
            {
                if (ValidCharacterReference(name[1..]) is { } valid)
                {
                    if (valid)
                        Copy(semicolon + 2);
                    else
                        Replace(semicolon + 2, "&#xFFFD;");
                    return;
                }
            }
            else if (name is "amp" or "lt" or "gt" or "quot" or "apos")
            {
                Copy(semicolon + 2);
                return;
            }
            else if (HtmlEntities.Lookup(name) is { } points)
            {
                var reference = new StringBuilder();
                foreach (var point in points)
                    reference.Append("&#x").Append(point.ToString("X", CultureInfo.InvariantCulture)).Append(';');
                Replace(semicolon + 2, reference.ToString());
                return;
            }
        }

        Replace(1, "&amp;");
    }

    // null: not a character reference at all; false: one that names no XML character.
    private static bool? ValidCharacterReference(ReadOnlySpan<char> digits)
    {
        var hex = digits.Length > 0 && digits[0] is 'x' or 'X';
        if (hex)
            digits = digits[1..];
        if (digits.IsEmpty || digits.Length > 8)
            return null;
        if (!int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        return value is >= 0 and < 0xD800 or > 0xDFFF and < 0xFFFE or >= 0x10000 and <= 0x10FFFF;
    }

    // Every prefix used but not declared on the root is declared there: a well-known one with its usual namespace,
    // one declared only deeper down with that namespace, any other with a namespace of its own that nothing reads.
    private void DeclareMissingPrefixes()
    {
        if (_rootInsertAt < 0)
            return;
        var declarations = new StringBuilder();
        foreach (var prefix in _usedPrefixes.Order(StringComparer.Ordinal))
        {
            if (_rootPrefixes.Contains(prefix))
                continue;
            var ns = _innerPrefixes.GetValueOrDefault(prefix) ?? WellKnownPrefixes.GetValueOrDefault(prefix) ?? $"urn:cast2md:undeclared:{prefix}";
            declarations.Append(" xmlns:").Append(prefix).Append("=\"").Append(ns.Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
        }

        if (declarations.Length == 0)
            return;
        Output().Insert(_rootInsertAt, declarations.ToString());
        _map.Insert(_rootInsertAt, declarations.Length);
    }
}
