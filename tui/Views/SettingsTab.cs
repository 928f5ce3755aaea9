using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>The server settings, distributed transcription first; Enter flips a switch or asks for a new value.</summary>
internal sealed class SettingsTab : TabPage
{
    private readonly RowTable<SettingRow> _settings;
    private readonly Label _description;

    public SettingsTab(MonitorActions actions)
        : base("Settings", "Enter/e change the selected setting (env-set ones are read-only)", actions)
    {
        _settings = new RowTable<SettingRow>(
            new()
            {
                ["Setting"] = r => r.Label,
                ["Value"] = r => Format.Fit(r.Value, 30),
                ["Source"] = r => r.Source,
                ["Key"] = r => r.Key,
            },
            r => r.Key
        )
        {
            Height = Dim.Fill(3),
        };
        _description = new Label
        {
            X = 0,
            Y = Pos.AnchorEnd(3),
            Width = Dim.Fill(),
            Height = 2,
        };
        Add(_settings, _description);
        _settings.ValueChanged += (_, _) => Describe();
    }

    public override void Apply(ServerSnapshot snapshot, DateTimeOffset now)
    {
        _settings.SetRows(SettingsViewModel.Rows(snapshot.Settings));
        Describe();
    }

    private void Describe() => SetText(_description, _settings.Selected is { } s ? Format.Fit(s.Description, 2 * 78) : "");

    public override bool HandleKey(Key key)
    {
        if (key != Key.Enter && !Is(key, 'e'))
            return false;
        if (_settings.Selected is not { } row || Actions.App is not { } app)
            return true;
        if (!row.Editable)
        {
            Actions.Show($"{row.Key} is {(row.Source == "environment" ? "set in the environment" : "not configurable here")}");
            return true;
        }
        var value = SettingsViewModel.Toggled(row);
        if (value is null)
        {
            var hint = row.Options is { Count: > 0 } options ? $" ({string.Join(", ", options)})" : "";
            if (Prompts.Ask(app, row.Label, ($"{row.Key}{hint}:", row.Value.Split(' ')[0])) is not [var entered])
                return true;
            value = entered;
        }
        Actions.Run($"setting {row.Key}", ct => Actions.Api.UpdateSettingAsync(row.Key, row.Type, value, ct));
        return true;
    }
}
