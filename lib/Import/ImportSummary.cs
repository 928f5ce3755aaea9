namespace Cast2md.Import;

/// <summary>
/// What an import did (or, in a dry run, would do). A second run of the same import reports everything as already
/// here and creates, imports and updates nothing. Serialised for <c>cast2md import --json</c> (snake_case).
/// </summary>
public sealed class ImportSummary
{
    public bool DryRun { get; set; }
    public int FeedsFound { get; set; }
    public int FeedsCreated { get; set; }
    public int FeedsExisting { get; set; }
    public int EpisodesFound { get; set; }
    public int EpisodesCreated { get; set; }

    /// <summary>Episodes already here whose state, audio or transcript the import changed.</summary>
    public int EpisodesUpdated { get; set; }
    public int EpisodesUnchanged { get; set; }
    public int TranscriptsFound { get; set; }
    public int TranscriptsImported { get; set; }
    public int AudioFound { get; set; }
    public int AudioImported { get; set; }
    public int SettingsImported { get; set; }

    /// <summary>Files the original's database names that are not in the storage folder (the episode is imported without them).</summary>
    public List<string> MissingFiles { get; } = [];

    /// <summary>Where the original and this installation disagree; ours was kept each time.</summary>
    public List<string> Conflicts { get; } = [];

    /// <summary>Settings overrides of the original that are not taken over, each with why.</summary>
    public List<string> SettingsSkipped { get; } = [];

    /// <summary>Markdown files of the storage folder that belong to no imported episode.</summary>
    public int UnmatchedTranscripts { get; set; }
}
