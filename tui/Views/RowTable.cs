using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>
/// A full-row-select <see cref="TableView"/> over view-model rows. New rows replace the old ones only when they differ
/// (no redraw, no flicker otherwise), keeping the selected row (by key) and the scroll offset.
/// </summary>
internal sealed class RowTable<T> : TableView
    where T : notnull
{
    private readonly Dictionary<string, Func<T, object>> _columns;
    private readonly Func<T, object> _key;
    private IReadOnlyList<T> _rows = [];

    public RowTable(Dictionary<string, Func<T, object>> columns, Func<T, object> key)
    {
        _columns = columns;
        _key = key;
        FullRowSelect = true;
        Width = Dim.Fill();
        Height = Dim.Fill();
        Style.ShowHorizontalBottomLine = false;
        Style.ExpandLastColumn = true;
        Style.ShowHorizontalHeaderOverline = false;
        Style.ShowVerticalCellLineForFirstColumn = false;
        Style.ShowVerticalCellLineForLastColumn = false;
        // Letters are the tab's actions, not a jump-to-row search.
        CollectionNavigator = null;
        Table = new EnumerableTableSource<T>(_rows, _columns);
    }

    public IReadOnlyList<T> Rows => _rows;

    public T? Selected
    {
        get
        {
            var row = Value?.SelectedCell.Y ?? -1;
            return row >= 0 && row < _rows.Count ? _rows[row] : default;
        }
    }

    public void SetRows(IReadOnlyList<T> rows)
    {
        if (rows.SequenceEqual(_rows))
            return;
        var selectedKey = Selected is { } s ? _key(s) : null;
        var offset = RowOffset;
        _rows = rows;
        Table = new EnumerableTableSource<T>(rows, _columns);
        var index = selectedKey is null ? 0 : Math.Max(0, rows.ToList().FindIndex(r => Equals(_key(r), selectedKey)));
        if (rows.Count > 0)
            SetSelection(0, Math.Min(index, rows.Count - 1), false);
        RowOffset = Math.Min(offset, Math.Max(0, rows.Count - 1));
        EnsureValidScrollOffsets();
        SetNeedsDraw();
    }
}
