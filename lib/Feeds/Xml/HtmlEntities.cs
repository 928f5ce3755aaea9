using System.Globalization;

namespace Cast2md.Feeds.Xml;

/// <summary>
/// HTML5's named character references (<c>&amp;nbsp;</c>, <c>&amp;rsquo;</c>, <c>&amp;hellip;</c> …), which feeds
/// written by HTML tools use although XML defines only five names. The table is unpacked on first use.
/// </summary>
internal static partial class HtmlEntities
{
    private static readonly Lazy<Dictionary<string, int[]>> ByName = new(Unpack);

    /// <summary>The code points <paramref name="name"/> (without <c>&amp;</c> and <c>;</c>) stands for, or null.</summary>
    public static int[]? Lookup(ReadOnlySpan<char> name) =>
        ByName.Value.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var points) ? points : null;

    private static Dictionary<string, int[]> Unpack()
    {
        var table = new Dictionary<string, int[]>(2200, StringComparer.Ordinal);
        foreach (var line in Table.Split('\n'))
        {
            var parts = line.Split(' ');
            table[parts[0]] = parts.Skip(1).Select(p => int.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        }

        return table;
    }
}
