namespace Cast2md.Tui;

/// <summary>The terminal monitor arrives with the monitor issue; this marks where it will live.</summary>
public static class MonitorInfo
{
    public const string Summary = "Terminal.Gui monitor (not yet implemented)";
}
