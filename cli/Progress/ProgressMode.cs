namespace Cast2md.Cli.Progress;

/// <summary>How long work shows progress on stderr.</summary>
public enum ProgressMode
{
    /// <summary>A bar on a terminal, plain lines when stderr is piped.</summary>
    Auto,
    Bar,
    Plain,
    Json,
    None,
}
