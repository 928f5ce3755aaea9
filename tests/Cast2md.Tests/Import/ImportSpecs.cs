using System.Diagnostics;
using System.Text.Json;
using Cast2md.Library;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Import;

/// <summary>
/// `cast2md import` (the published binary) from an original cast2md installation: its schema in a real PostgreSQL,
/// a few hundred generated episodes, and a storage folder in its layout.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ImportSpecs(OriginalPostgresFixture postgres) : IClassFixture<OriginalPostgresFixture>
{
    private const int Feeds = 5;
    private const int EpisodesPerFeed = 60;

    private static readonly IReadOnlyDictionary<string, string?> Environment = new Dictionary<string, string?> { ["CAST2MD_DATA_DIR"] = null };

    [Fact]
    public async Task Every_feed_episode_state_transcript_and_setting_arrives()
    {
        using var original = await OriginalAsync();

        var run = await ImportAsync("--database", original.Url, "--storage", original.Storage, "--data-dir", original.DataDir, "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var summary = JsonDocument.Parse(run.StandardOutput).RootElement;
        var onDisk = original.Generated.WithTranscriptOnDisk.Count();
        Assert.Equal(Feeds, summary.GetProperty("feeds_created").GetInt32());
        Assert.Equal(Feeds * EpisodesPerFeed, summary.GetProperty("episodes_created").GetInt32());
        Assert.Equal(onDisk, summary.GetProperty("transcripts_found").GetInt32());
        Assert.Equal(onDisk, summary.GetProperty("transcripts_imported").GetInt32());
        Assert.Equal(original.Generated.Episodes.Count(e => e.AudioFile is not null), summary.GetProperty("audio_imported").GetInt32());
        Assert.Equal(2, summary.GetProperty("settings_imported").GetInt32());
        Assert.Contains(summary.GetProperty("settings_skipped").EnumerateArray(), s =>
            s.GetString()!.StartsWith("runpod_enabled", StringComparison.Ordinal)
        );
        Assert.Empty(summary.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(0, summary.GetProperty("unmatched_transcripts").GetInt32());
        Assert.Single(summary.GetProperty("missing_files").EnumerateArray());
        Assert.Contains("feed 5/5", run.StandardError, StringComparison.Ordinal);

        var core = Cast2mdCore.Open(original.DataDir, _ => null);
        var feeds = core.Feeds.List();
        Assert.Equal(Feeds, feeds.Count);
        Assert.Equal("My Favourite Show", Assert.Single(feeds, f => f.Url == "https://feeds.example.test/show-2.xml").CustomTitle);
        Assert.Equal("base", core.Settings.StoredOverride("WHISPER_MODEL"));
        foreach (var feed in feeds)
        {
            var number = int.Parse(feed.Url.Split('-')[^1].Split('.')[0]);
            var ours = core.Episodes.ByGuid(feed.Id);
            foreach (var expected in original.Generated.Episodes.Where(e => e.Feed == number))
            {
                var episode = ours[expected.Guid];
                Assert.Equal(expected.Title, episode.Title);
                Assert.Equal(new DateTimeOffset(expected.PublishedAt!.Value, TimeSpan.Zero), episode.PublishedAt);
                Assert.Equal(ExpectedStatus(expected), episode.Status);
                if (expected.TranscriptFile is not null)
                {
                    Assert.Equal("large-v3-turbo", episode.TranscriptModel);
                    Assert.Equal("whisper", episode.TranscriptSource);
                    Assert.Equal("en", episode.TranscriptLanguage);
                    Assert.Equal(
                        await File.ReadAllTextAsync(Path.Combine(original.Storage, expected.TranscriptFile)),
                        await File.ReadAllTextAsync(core.Layout.Resolve(episode.TranscriptPath!))
                    );
                }
                if (expected.Status == "failed")
                {
                    Assert.True(episode.PermanentFailure);
                    Assert.Equal("HTTP 404 on the audio URL", episode.ErrorMessage);
                }
                if (expected.AudioFile is not null)
                    Assert.True(File.Exists(core.Layout.Resolve(episode.AudioPath!)));
            }
        }

        // An imported transcript is timed (its **[MM:SS]** stamps read back) and searchable.
        var cafe = original.Generated.Episodes.Single(e => (e.Feed, e.Number) == (1, 13));
        var cafeId = core.Episodes.ByGuid(feeds.Single(f => f.Title == "Show 1").Id)[cafe.Guid].Id;
        var srt = await Cast2mdBinary.RunAsync(
            Environment,
            "episode",
            "transcript",
            cafeId.ToString(),
            "--format",
            "srt",
            "--data-dir",
            original.DataDir
        );
        Assert.True(srt.ExitCode == 0, srt.StandardError);
        Assert.Contains("00:00:00,000 --> 00:00:07,000", srt.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("00:00:07,000 --> 00:00:14,000", srt.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(cafe.Word, srt.StandardOutput, StringComparison.Ordinal);
        var search = await Cast2mdBinary.RunAsync(Environment, "search", cafe.Word, "--json", "--data-dir", original.DataDir);
        Assert.True(search.ExitCode == 0, search.StandardError);
        var hit = Assert.Single(JsonDocument.Parse(search.StandardOutput).RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(cafeId, hit.GetProperty("episode_id").GetInt64());
        Assert.Equal("segment", hit.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_second_run_changes_nothing()
    {
        using var original = await OriginalAsync();
        string[] arguments = ["--database", original.Url, "--storage", original.Storage, "--data-dir", original.DataDir, "--json"];
        var first = await ImportAsync(arguments);
        Assert.True(first.ExitCode == 0, first.StandardError);
        var rowsBefore = Rows(original.DataDir);
        var filesBefore = Files(original.DataDir);

        var second = await ImportAsync(arguments);

        Assert.True(second.ExitCode == 0, second.StandardError);
        var summary = JsonDocument.Parse(second.StandardOutput).RootElement;
        foreach (
            var created in (string[])
                ["feeds_created", "episodes_created", "episodes_updated", "transcripts_imported", "audio_imported", "settings_imported"]
        )
            Assert.True(summary.GetProperty(created).GetInt32() == 0, $"{created} on the second run: {second.StandardOutput}");
        Assert.Equal(Feeds, summary.GetProperty("feeds_existing").GetInt32());
        Assert.Equal(Feeds * EpisodesPerFeed, summary.GetProperty("episodes_unchanged").GetInt32());
        Assert.Empty(summary.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(rowsBefore, Rows(original.DataDir));
        Assert.Equal(filesBefore, Files(original.DataDir));
    }

    [Fact]
    public async Task A_missing_file_is_reported_and_the_rest_is_imported()
    {
        using var original = await OriginalAsync();
        var gone = original.Generated.WithTranscriptOnDisk.First(e => e.StoredTranscriptPath is not null && e.Feed == 3);
        File.Delete(Path.Combine(original.Storage, gone.TranscriptFile!));

        var run = await ImportAsync("--database", original.Url, "--storage", original.Storage, "--data-dir", original.DataDir);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("files missing:  2", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(gone.StoredTranscriptPath!, run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("transcripts/Show_0/2024-01-06_Episode_5_-_Talk_about_things.md", run.StandardOutput, StringComparison.Ordinal);
        var core = Cast2mdCore.Open(original.DataDir, _ => null);
        var show3 = core.Episodes.ByGuid(core.Feeds.List().Single(f => f.Title == "Show 3").Id);
        Assert.Equal(EpisodeStatus.NeedsAudio, show3[gone.Guid].Status);
        Assert.Null(show3[gone.Guid].TranscriptPath);
        Assert.Equal(original.Generated.WithTranscriptOnDisk.Count() - 1, core.Episodes.StatusCounts()[EpisodeStatus.Completed]);
    }

    [Fact]
    public async Task A_dry_run_says_what_it_would_do_and_writes_nothing()
    {
        using var original = await OriginalAsync();

        var dry = await ImportAsync("--database", original.Url, "--storage", original.Storage, "--data-dir", original.DataDir, "--dry-run");
        var dryJson = await ImportAsync(
            "--database",
            original.Url,
            "--storage",
            original.Storage,
            "--data-dir",
            original.DataDir,
            "--dry-run",
            "--json"
        );

        Assert.True(dry.ExitCode == 0, dry.StandardError);
        Assert.Contains("dry run: nothing was written", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("would import feed 1/5 \"Show 0\" (new): 60 episodes (60 new)", dry.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(original.DataDir), "a dry run created the data folder");
        var planned = JsonDocument.Parse(dryJson.StandardOutput).RootElement;
        Assert.True(planned.GetProperty("dry_run").GetBoolean());
        Assert.Equal(Feeds * EpisodesPerFeed, planned.GetProperty("episodes_created").GetInt32());

        // Against an existing data folder too: what the dry run promises is what the import then does, and it changed nothing before.
        var real = await ImportAsync("--database", original.Url, "--storage", original.Storage, "--data-dir", original.DataDir, "--json");
        var done = JsonDocument.Parse(real.StandardOutput).RootElement;
        foreach (var count in (string[])["feeds_created", "episodes_created", "transcripts_imported", "audio_imported", "settings_imported"])
            Assert.Equal(planned.GetProperty(count).GetInt32(), done.GetProperty(count).GetInt32());
        var rows = Rows(original.DataDir);
        var again = await ImportAsync(
            "--database",
            original.Url,
            "--storage",
            original.Storage,
            "--data-dir",
            original.DataDir,
            "--dry-run",
            "--json"
        );
        Assert.Equal(0, JsonDocument.Parse(again.StandardOutput).RootElement.GetProperty("transcripts_imported").GetInt32());
        Assert.Equal(rows, Rows(original.DataDir));
    }

    [Fact]
    public async Task A_killed_run_is_completed_by_the_next()
    {
        using var original = await OriginalAsync();
        // Killed (SIGKILL, as a crash) once the first feed is recorded; wherever the kill lands, the next run must finish the job.
        string[] arguments = ["import", "--database", original.Url, "--storage", original.Storage, "--data-dir", original.DataDir, "--json"];
        var firstFeedDone = new TaskCompletionSource();
        var task = Cast2mdBinary
            .Command(arguments, Environment)
            .WithStandardErrorPipe(
                PipeTarget.ToDelegate(line =>
                {
                    if (line.StartsWith("feed 1/", StringComparison.Ordinal))
                        firstFeedDone.TrySetResult();
                })
            )
            .ExecuteAsync();
        await Task.WhenAny(firstFeedDone.Task, task.Task).WaitAsync(TimeSpan.FromSeconds(60));
        if (!task.Task.IsCompleted)
            Process.GetProcessById(task.ProcessId).Kill();
        await task.Task;

        var rerun = await ImportAsync(arguments[1..]);

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        var core = Cast2mdCore.Open(original.DataDir, _ => null);
        Assert.Equal(Feeds, core.Feeds.Count());
        Assert.Equal(Feeds * EpisodesPerFeed, core.Episodes.StatusCounts().Values.Sum());
        Assert.Equal(original.Generated.WithTranscriptOnDisk.Count(), core.Episodes.StatusCounts()[EpisodeStatus.Completed]);
        foreach (var feed in core.Feeds.List())
        foreach (var episode in core.Episodes.ByGuid(feed.Id).Values.Where(e => e.TranscriptPath is not null))
            Assert.True(File.Exists(core.Layout.Resolve(episode.TranscriptPath!)), episode.TranscriptPath);
    }

    [Fact]
    public async Task A_database_that_cannot_be_read_exits_1_with_our_sentence_and_never_the_password()
    {
        using var dir = TempDir.Create();
        var data = dir.Combine("data");
        var database = await postgres.NewDatabaseAsync();

        var notUrl = await ImportAsync("--database", "mysql://root:hunter2@db/cast2md", "--data-dir", data);
        var refused = await ImportAsync(
            "--database",
            $"postgresql://cast2md:hunter2@127.0.0.1:{OriginalPostgresServer.FreePort()}/cast2md",
            "--data-dir",
            data
        );
        var wrongPassword = await ImportAsync("--database", postgres.Server.Url(database, "hunter2"), "--data-dir", data);
        var noSuchDatabase = await ImportAsync("--database", postgres.Server.Url("nothing_here"), "--data-dir", data);

        Assert.Equal(1, notUrl.ExitCode);
        Assert.Contains("is not a PostgreSQL URL", notUrl.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Cannot read the original cast2md database at cast2md@127.0.0.1:", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing accepts connections there", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, wrongPassword.ExitCode);
        Assert.Contains("refused the user name or password", wrongPassword.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, noSuchDatabase.ExitCode);
        Assert.Contains("there is no such database", noSuchDatabase.StandardError, StringComparison.Ordinal);
        foreach (var run in new[] { notUrl, refused, wrongPassword, noSuchDatabase })
        {
            Assert.DoesNotContain("hunter2", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(OriginalPostgresServer.Password, run.StandardError + run.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Neither_a_database_nor_a_storage_folder_is_a_usage_error()
    {
        using var dir = TempDir.Create();

        var run = await ImportAsync("--data-dir", dir.Combine("data"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--database", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("--storage", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_folder_alone_brings_the_files_of_feeds_already_here_as_hard_links()
    {
        using var original = await OriginalAsync();
        // The feed was added here again, as a user without an import would: its episodes wait for transcripts that sit on disk.
        var core = Cast2mdCore.Open(original.DataDir, _ => null);
        var feed = core.Feeds.Add("https://feeds.example.test/show-1.xml", new FeedMetadata("Show 1"));
        var show1 = original.Generated.Episodes.Where(e => e.Feed == 1).ToList();
        core.Episodes.Upsert(
            feed.Id,
            show1.Select(e => new EpisodeMetadata(e.Guid, e.Title)
            {
                PublishedAt = new DateTimeOffset(e.PublishedAt!.Value, TimeSpan.Zero),
                AudioUrl = $"https://cdn.example.test/1/{e.Number}.mp3",
            })
        );

        var run = await ImportAsync("--storage", original.Storage, "--link", "--data-dir", original.DataDir, "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var summary = JsonDocument.Parse(run.StandardOutput).RootElement;
        var expected = show1.Where(e => e.TranscriptFile is not null).ToList();
        Assert.Equal(expected.Count, summary.GetProperty("transcripts_imported").GetInt32());
        var ours = core.Episodes.ByGuid(feed.Id);
        foreach (var episode in expected)
        {
            Assert.Equal(EpisodeStatus.Completed, ours[episode.Guid].Status);
            var path = core.Layout.Resolve(ours[episode.Guid].TranscriptPath!);
            Assert.Equal("2", (await Cli.Wrap("stat").WithArguments(["-c", "%h", path]).ExecuteBufferedAsync()).StandardOutput.Trim());
        }
        Assert.Contains(expected, e => e.Title.StartsWith("Café", StringComparison.Ordinal));
        Assert.Equal(EpisodeStatus.AudioReady, ours[show1.First(e => e.AudioFile is not null).Guid].Status);
        // Files of the other shows belong to no feed here.
        Assert.Equal(original.Generated.WithTranscriptOnDisk.Count() - expected.Count, summary.GetProperty("unmatched_transcripts").GetInt32());
    }

    [Fact]
    public async Task An_import_refuses_while_serve_holds_the_data_folder()
    {
        using var dir = TempDir.Create();
        var data = dir.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "locks"));
        await using var serveLock = new FileStream(
            Path.Combine(data, "locks", "serve.lock"),
            FileMode.OpenOrCreate,
            FileAccess.ReadWrite,
            FileShare.None
        );
        Directory.CreateDirectory(dir.Combine("storage", "transcripts"));

        var run = await ImportAsync("--storage", dir.Combine("storage"), "--data-dir", data);

        Assert.Equal(75, run.ExitCode);
        Assert.Contains("cast2md serve is running on the data folder", run.StandardError, StringComparison.Ordinal);
    }

    private static EpisodeStatus ExpectedStatus(GeneratedEpisode episode) =>
        episode.Status switch
        {
            "completed" when episode.TranscriptFile is not null => EpisodeStatus.Completed,
            "completed" or "needs_audio" => EpisodeStatus.NeedsAudio,
            "new" => EpisodeStatus.New,
            "failed" => EpisodeStatus.Failed,
            "downloading" => episode.AudioFile is null ? EpisodeStatus.NeedsAudio : EpisodeStatus.AudioReady,
            _ => throw new ArgumentOutOfRangeException(nameof(episode), episode.Status, null),
        };

    private static Task<BufferedCommandResult> ImportAsync(params string[] arguments) =>
        Cast2mdBinary.Command(["import", .. arguments], Environment).ExecuteBufferedAsync();

    /// <summary>Every episode row as text (state, paths, times), to compare before and after.</summary>
    private static string Rows(string dataDir)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(dataDir, "cast2md.db")};Mode=ReadOnly;Pooling=False"
        );
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT group_concat(id || '|' || status || '|' || COALESCE(transcript_path, '') || '|' || COALESCE(audio_path, '') || '|' || updated_ms, char(10)) FROM episodes; ";
        var episodes = command.ExecuteScalar() as string;
        command.CommandText = "SELECT group_concat(id || '|' || COALESCE(custom_title, '') || '|' || updated_ms, char(10)) FROM feeds;";
        var feeds = command.ExecuteScalar() as string;
        command.CommandText =
            "SELECT COUNT(*) || ' segments, ' || (SELECT group_concat(key || '=' || value || '@' || updated_ms) FROM settings) FROM search_segments;";
        return $"{episodes}\n{feeds}\n{command.ExecuteScalar()}";
    }

    private static string Files(string dataDir) =>
        string.Join(
            '\n',
            (string[])
                [
                    .. Directory
                        .EnumerateFiles(Path.Combine(dataDir, "transcripts"), "*", SearchOption.AllDirectories)
                        .Concat(Directory.EnumerateFiles(Path.Combine(dataDir, "audio"), "*", SearchOption.AllDirectories))
                        .Order(StringComparer.Ordinal)
                        .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}"),
                ]
        );

    private async Task<OriginalCopy> OriginalAsync()
    {
        var dir = TempDir.Create();
        var database = await postgres.NewDatabaseAsync();
        await using var source = postgres.Server.DataSource(database);
        var generated = await OriginalInstallationWriter.WriteAsync(source, dir.Combine("storage"), Feeds, EpisodesPerFeed);
        return new OriginalCopy(dir, postgres.Server.Url(database), generated);
    }

    private sealed record OriginalCopy(TempDir Dir, string Url, GeneratedInstallation Generated) : IDisposable
    {
        public string Storage => Generated.StoragePath;
        public string DataDir => Dir.Combine("data");

        public void Dispose() => Dir.Dispose();
    }
}
