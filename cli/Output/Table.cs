using System.Text;

namespace Cast2md.Cli.Output;

/// <summary>
/// An aligned text table for stdout: a header row, columns padded to their widest cell, numeric columns right-aligned,
/// the last column never padded. Cells are made safe for a terminal (see <see cref="TerminalText.Clean"/>).
/// </summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly HashSet<int> _rightAligned = [];

    public int Count => _rows.Count;

    /// <summary>Right-aligns the named columns (counts, sizes, ids).</summary>
    public Table AlignRight(params string[] columns)
    {
        foreach (var column in columns)
            _rightAligned.Add(Array.IndexOf(headers, column));
        return this;
    }

    public void Add(params string?[] cells) => _rows.Add(headers.Select((_, i) => i < cells.Length ? TerminalText.Clean(cells[i]) : "").ToArray());

    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(Format(headers, widths));
        foreach (var row in _rows)
            writer.WriteLine(Format(row, widths));
    }

    public void Write() => Write(Console.Out);

    private string Format(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
                line.Append("  ");
            var last = i == cells.Length - 1;
            if (_rightAligned.Contains(i))
                line.Append(cells[i].PadLeft(widths[i]));
            else
                line.Append(last ? cells[i] : cells[i].PadRight(widths[i]));
        }
        return line.ToString().TrimEnd();
    }
}
