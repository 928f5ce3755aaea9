using System.Text;

namespace Cast2md.Settings;

/// <summary>
/// The variables of one <c>.env</c> file. Keys are matched ignoring case (stored upper case); a key repeated in
/// the file takes its last value.
/// </summary>
/// <remarks>
/// Accepted: <c>KEY=value</c> and <c>export KEY=value</c>; blank lines; <c>#</c> comments on their own line or after
/// a value when preceded by whitespace (<c>KEY=a#b</c> keeps <c>a#b</c>, <c>KEY=#b</c> keeps <c>#b</c>, as python-dotenv); single quotes (literal); double quotes
/// with the escapes <c>\n \r \t \" \\</c>; quoted values may span lines; CRLF line ends and a UTF-8 BOM.
/// Not supported: <c>${VAR}</c> expansion (python-dotenv expands it; here '$' is literal). An empty value counts
/// as not set. Malformed lines are skipped and reported in <see cref="Warnings"/>.
/// </remarks>
public sealed class EnvFile
{
    private EnvFile(string source, IReadOnlyDictionary<string, string> values, IReadOnlyList<EnvFileWarning> warnings)
    {
        Source = source;
        Values = values;
        Warnings = warnings;
    }

    /// <summary>The file (or name) the text came from, for messages.</summary>
    public string Source { get; }

    public IReadOnlyDictionary<string, string> Values { get; }

    public IReadOnlyList<EnvFileWarning> Warnings { get; }

    /// <summary>The file's value for <paramref name="key"/> (ignoring case), or null when it has none or an empty one.</summary>
    public string? Get(string key) => Values.TryGetValue(key.ToUpperInvariant(), out var value) && value.Length > 0 ? value : null;

    /// <summary>Reads <paramref name="path"/>; a missing file has no values and no warnings, an unreadable one a warning.</summary>
    public static EnvFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            return new EnvFile(path, new Dictionary<string, string>(), []);
        try
        {
            return Parse(File.ReadAllText(path, Encoding.UTF8), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new EnvFile(path, new Dictionary<string, string>(), [new EnvFileWarning(path, 0, $"cannot be read: {e.Message}")]);
        }
    }

    /// <summary>Parses .env <paramref name="text"/>; <paramref name="source"/> names it in warnings.</summary>
    public static EnvFile Parse(string text, string source = ".env")
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<EnvFileWarning>();
        var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart(' ', '\t');
            if (line.Length == 0 || line[0] == '#')
                continue;

            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && line[6] is ' ' or '\t')
                line = line[7..].TrimStart(' ', '\t');

            var equals = line.IndexOf('=');
            if (equals < 0)
            {
                warnings.Add(new EnvFileWarning(source, lineNumber, "expected KEY=value; line ignored"));
                continue;
            }
            var key = line[..equals].Trim(' ', '\t');
            if (!IsValidKey(key))
            {
                warnings.Add(
                    new EnvFileWarning(
                        source,
                        lineNumber,
                        $"'{key}' is not a variable name (letters, digits and '_', not starting with a digit); line ignored"
                    )
                );
                continue;
            }

            var rest = line[(equals + 1)..];
            var valueText = rest.TrimStart(' ', '\t');
            string value;
            if (valueText.Length > 0 && valueText[0] is '\'' or '"')
            {
                var quote = valueText[0];
                // A quoted value may continue on the following lines until its closing quote.
                var buffer = valueText[1..];
                var last = i;
                int close;
                while ((close = FindClosingQuote(buffer, quote)) < 0 && last + 1 < lines.Length)
                    buffer += "\n" + lines[++last];
                if (close < 0)
                {
                    warnings.Add(
                        new EnvFileWarning(
                            source,
                            lineNumber,
                            $"{key}: the {(quote == '"' ? "double" : "single")} quote is never closed; line ignored"
                        )
                    );
                    continue;
                }
                var after = buffer[(close + 1)..].Trim(' ', '\t');
                if (after.Length > 0 && after[0] != '#')
                {
                    warnings.Add(new EnvFileWarning(source, lineNumber, $"{key}: unexpected text after the closing quote; line ignored"));
                    i = last;
                    continue;
                }
                var content = buffer[..close];
                value = quote == '"' ? Unescape(content) : content;
                i = last;
            }
            else
            {
                value = StripComment(valueText).Trim(' ', '\t');
            }
            values[key.ToUpperInvariant()] = value;
        }
        return new EnvFile(source, values, warnings);
    }

    private static bool IsValidKey(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static int FindClosingQuote(string text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
                continue;
            }
            if (text[i] == quote)
                return i;
        }
        return -1;
    }

    private static string Unescape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                builder.Append(text[i]);
                continue;
            }
            var next = text[++i];
            switch (next)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case '"':
                    builder.Append('"');
                    break;
                case '\\':
                    builder.Append('\\');
                    break;
                // Unknown escapes are kept as written.
                default:
                    builder.Append('\\').Append(next);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Drops a comment: a '#' that follows whitespace inside the value (as python-dotenv: <c>KEY=#x</c> keeps "#x").</summary>
    private static string StripComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
            if (value[i] == '#' && value[i - 1] is ' ' or '\t')
                return value[..i];
        return value;
    }
}
