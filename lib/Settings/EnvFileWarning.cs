namespace Cast2md.Settings;

/// <summary>A line of a .env file that was ignored, and why (for the log).</summary>
public sealed record EnvFileWarning(string File, int Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Reason}" : $"{File}: {Reason}";
}
