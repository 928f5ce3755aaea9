using System.Diagnostics;
using System.Text.Json;
using Cast2md.Cli.Infrastructure;
using Cast2md.Json;
using Cast2md.Net;
using Cast2md.Transcription;

namespace Cast2md.Cli.Progress;

/// <summary>
/// Draws progress of long work in the chosen <see cref="ProgressMode"/>: a redrawn bar (at most 10 times
/// a second), a plain line every 10 %, or one JSON object per change. Percent never goes backwards.
/// </summary>
internal sealed class ProgressReporter(ProgressMode mode, string label) : IProgress<TranscriptionProgress>, IProgress<DownloadProgress>
{
    private readonly ProgressMode _mode = Resolve(mode);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _lastDrawTicks = long.MinValue;
    private double _lastPercent = -1;
    private int _lastPlainDecile = -1;

    public static ProgressMode Resolve(ProgressMode mode) =>
        mode != ProgressMode.Auto ? mode
        : Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") == "dumb" ? ProgressMode.Plain
        : ProgressMode.Bar;

    public void Report(TranscriptionProgress value) =>
        Report(value.Fraction, FormatTime(value.Position) + (value.Duration is { } d ? " / " + FormatTime(d) : ""), percent =>
            JsonSerializer.Serialize(
                new ProgressEvent("progress", percent, (long)value.Position.TotalMilliseconds, (long?)value.Duration?.TotalMilliseconds),
                Cast2mdJsonContext.Default.ProgressEvent
            )
        );

    public void Report(DownloadProgress value) =>
        Report(
            value.TotalBytes is > 0 and var total ? (double)value.BytesReceived / total : null,
            FormatBytes(value.BytesReceived) + (value.TotalBytes is { } t ? " / " + FormatBytes(t) : ""),
            percent =>
                JsonSerializer.Serialize(
                    new DownloadEvent("download", percent, value.BytesReceived, value.TotalBytes),
                    Cast2mdJsonContext.Default.DownloadEvent
                )
        );

    /// <summary>Ends the bar's line so the next output starts on a fresh one.</summary>
    public void Complete()
    {
        if (_mode == ProgressMode.Bar)
            Log.Locked(ProgressLine.Finish);
    }

    private void Report(double? fraction, string detail, Func<double, string> toJson)
    {
        var percent = Math.Round((fraction ?? 0) * 100, 1);
        lock (_gate)
        {
            // A late callback from a finished chunk must not move the bar back.
            percent = Math.Max(percent, _lastPercent);
            var changed = percent > _lastPercent;
            _lastPercent = percent;
            switch (_mode)
            {
                case ProgressMode.Json when changed:
                    Log.WriteRaw(toJson(percent) + "\n");
                    break;
                case ProgressMode.Plain when (int)(percent / 10) > _lastPlainDecile:
                    _lastPlainDecile = (int)(percent / 10);
                    Log.Info($"{label}: {percent, 5:0.0}%  {detail}");
                    break;
                case ProgressMode.Bar:
                    var now = _clock.ElapsedTicks;
                    if (percent < 100 && now - _lastDrawTicks < Stopwatch.Frequency / 10)
                        return;
                    _lastDrawTicks = now;
                    Log.Locked(() => DrawBar(percent, detail));
                    break;
            }
        }
    }

    private void DrawBar(double percent, string detail)
    {
        const int width = 30;
        var filled = (int)Math.Round(width * percent / 100);
        var bar = new string('#', filled) + new string('-', width - filled);
        var text = $"{label} [{bar}] {percent, 5:0.0}%  {detail}  {FormatTime(_clock.Elapsed)}";
        var maxWidth = Math.Max(20, SafeWindowWidth() - 1);
        ProgressLine.Draw(text.Length > maxWidth ? text[..maxWidth] : text);
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private static string FormatTime(TimeSpan time) => time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss") : time.ToString(@"mm\:ss");

    private static string FormatBytes(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.00} GiB" : $"{bytes / (double)(1 << 20):0.0} MiB";
}
