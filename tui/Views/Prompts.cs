using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>Small modal dialogs: ask for a value, tell something, show a long text.</summary>
internal static class Prompts
{
    /// <summary>One or more labelled text fields with OK/Cancel; null when cancelled.</summary>
    public static string[]? Ask(IApplication app, string title, params (string Label, string Initial)[] fields)
    {
        using var dialog = new Dialog
        {
            Title = title,
            Width = Dim.Percent(80),
            Height = fields.Length * 2 + 5,
        };
        var inputs = new List<TextField>();
        var y = 0;
        foreach (var (label, initial) in fields)
        {
            dialog.Add(
                new Label
                {
                    X = 1,
                    Y = y,
                    Text = label,
                }
            );
            var field = new TextField
            {
                X = 1,
                Y = y + 1,
                Width = Dim.Fill(1),
                Text = initial,
            };
            dialog.Add(field);
            inputs.Add(field);
            y += 2;
        }
        dialog.AddButton(new Button { Text = "Cancel" });
        dialog.AddButton(new Button { Text = "OK", IsDefault = true });
        inputs[0].SetFocus();
        app.Run(dialog);
        return dialog.Result == 1 ? inputs.Select(i => i.Text.Trim()).ToArray() : null;
    }

    public static void Tell(IApplication app, string title, string message) => MessageBox.Query(app, title, message, "OK");

    public static bool Confirm(IApplication app, string title, string message) => MessageBox.Query(app, title, message, "No", "Yes") == 1;

    /// <summary>A read-only text (a transcript), wrapped to the screen and scrolled with the arrows and PgUp/PgDn.</summary>
    public static void ShowText(IApplication app, string title, string text)
    {
        // TextView is obsolete in Terminal.Gui 2.5 (superseded by a separate editor package): a list of wrapped lines scrolls just as well.
        var width = Math.Max(20, app.Screen.Width * 95 / 100 - 4);
        var lines = new System.Collections.ObjectModel.ObservableCollection<string>(Wrap(text, width));
        using var dialog = new Dialog
        {
            Title = title,
            Width = Dim.Percent(95),
            Height = Dim.Percent(90),
        };
        dialog.Add(
            new ListView
            {
                X = 0,
                Y = 0,
                Width = Dim.Fill(),
                Height = Dim.Fill(),
                Source = new ListWrapper<string>(lines),
            }
        );
        dialog.AddButton(new Button { Text = "Close", IsDefault = true });
        app.Run(dialog);
    }

    public static IEnumerable<string> Wrap(string text, int width)
    {
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            while (line.Length > width)
            {
                var cut = line.LastIndexOf(' ', width);
                if (cut <= 0)
                    cut = width;
                yield return line[..cut];
                line = line[cut..].TrimStart();
            }
            yield return line;
        }
    }
}
