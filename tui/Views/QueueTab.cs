using System.Globalization;
using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;

namespace Cast2md.Tui.Views;

/// <summary>Running jobs with progress bars and their node, queued jobs, failed jobs with their error; reset, retry, cancel, priority.</summary>
internal sealed class QueueTab : TabPage
{
    private readonly RowTable<JobRow> _jobs;

    public QueueTab(MonitorActions actions)
        : base("Queue", "r reset  t retry  c cancel  p priority  (on the selected job)", actions)
    {
        _jobs = new RowTable<JobRow>(
            new()
            {
                ["Job"] = r => r.JobId,
                ["State"] = r => r.State,
                ["Type"] = r => r.Type,
                ["Episode"] = r => r.Episode,
                ["Progress"] = r => r.Progress,
                ["Node / error"] = r => r.Where,
                ["Pri"] = r => r.Priority,
            },
            r => r.JobId
        )
        {
            Height = Body,
        };
        Add(_jobs);
    }

    public override void Apply(ServerSnapshot snapshot, DateTimeOffset now) => _jobs.SetRows(QueueViewModel.Rows(snapshot, Glyphs));

    public override bool HandleKey(Key key)
    {
        var action =
            Is(key, 'r') ? "reset"
            : Is(key, 't') ? "retry"
            : Is(key, 'c') ? "cancel"
            : Is(key, 'p') ? "priority"
            : null;
        if (action is null)
            return false;
        if (_jobs.Selected is not { } job)
        {
            Actions.Show("no job selected");
            return true;
        }
        if (!QueueViewModel.Allows(job, action))
        {
            Actions.Show($"job {job.JobId} is {job.State}: {action} does not apply");
            return true;
        }
        if (action == "priority")
        {
            if (
                Actions.App is not { } app
                || Prompts.Ask(
                    app,
                    $"Priority of job {job.JobId}",
                    ("Priority (lower runs first):", job.Priority.ToString(CultureInfo.InvariantCulture))
                )
                    is not [var text]
            )
                return true;
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority))
            {
                Actions.Show($"'{text}' is not a number");
                return true;
            }
            Actions.Run($"setting priority of job {job.JobId}", ct => Actions.Api.SetPriorityAsync(job.JobId, priority, ct));
            return true;
        }
        Actions.Run($"{action} job {job.JobId}", ct => Actions.Api.JobActionAsync(job.JobId, action, ct));
        return true;
    }
}
