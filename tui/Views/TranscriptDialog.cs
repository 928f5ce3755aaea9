using System.Collections.ObjectModel;
using Cast2md.Transcripts;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>
/// A transcript, read-only, as <c>[hh:mm:ss] text</c> lines, opened with the segment of a search hit selected and at the
/// top of the view (the lines before it are a scroll away). Arrows and PgUp/PgDn scroll; Enter or Esc closes.
/// </summary>
internal sealed class TranscriptDialog : Dialog
{
    private readonly ListView _lines;
    private readonly int _selected;
    private bool _positioned;

    /// <param name="width">The text's width in columns (the dialog's inside).</param>
    public TranscriptDialog(string title, TranscriptJsonDocument transcript, long? startMs, int width)
    {
        Title = Format.Fit(title, 70);
        Width = Dim.Percent(95);
        Height = Dim.Percent(90);
        var (lines, selected) = SearchViewModel.TranscriptLines(transcript, startMs, width);
        _selected = selected;
        _lines = new ListView
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
            Source = new ListWrapper<string>(new ObservableCollection<string>(lines)),
        };
        // The view's height is known only once it is laid out: the hit is brought to the top then, once.
        _lines.FrameChanged += (_, _) => Position();
        Add(_lines);
        AddButton(new Button { Text = "Close", IsDefault = true });
        _lines.SetFocus();
    }

    /// <summary>The index of the selected line (the hit's segment).</summary>
    public int? SelectedLine => _lines.SelectedItem;

    private void Position()
    {
        if (_positioned || _lines.Viewport.Height <= 0)
            return;
        _positioned = true;
        _lines.SelectedItem = _selected;
        var count = _lines.Source?.Count ?? 0;
        _lines.Viewport = _lines.Viewport with { Y = Math.Max(0, Math.Min(_selected, count - _lines.Viewport.Height)) };
    }
}
