using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>One tab of the server monitor: shows a snapshot, answers its action keys (listed on its last line).</summary>
internal abstract class TabPage : View
{
    private readonly Label _help;

    protected TabPage(string title, string help, MonitorActions actions)
    {
        Title = title;
        Actions = actions;
        CanFocus = true;
        Width = Dim.Fill();
        Height = Dim.Fill();
        _help = new Label
        {
            X = 0,
            Y = Pos.AnchorEnd(1),
            Width = Dim.Fill(),
            Height = 1,
            Text = help,
        };
        Add(_help);
    }

    protected MonitorActions Actions { get; }

    protected Glyphs Glyphs => Actions.Glyphs;

    /// <summary>The height left above the help line.</summary>
    protected static Dim Body => Dim.Fill(1);

    public abstract void Apply(ServerSnapshot snapshot, DateTimeOffset now);

    /// <summary>True when the key was one of this tab's actions.</summary>
    public abstract bool HandleKey(Key key);

    protected static bool Is(Key key, char c) =>
        key.IsKeyCodeAtoZ && !key.IsCtrl && !key.IsAlt && char.ToLowerInvariant((char)key.NoShift.KeyCode) == c;

    /// <summary>Sets a label's text only when it changed, so an unchanged screen is not redrawn.</summary>
    protected static void SetText(View view, string text)
    {
        if (view.Text != text)
            view.Text = text;
    }
}
