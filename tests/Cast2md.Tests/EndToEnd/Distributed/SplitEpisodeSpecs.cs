using System.Text.Json;
using Cast2md.Files;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Cast2md.Transcripts;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>
/// One long episode across the server's local worker and two real node processes: split into spans at its silences,
/// transcribed at once, stitched into one transcript with the words of the unsplit one — also when a node is killed
/// mid-span; and a cancel stops every span. "Long" is SPLIT_MIN_MINUTES=0.1 here, and the episode JFK's 11 s three
/// times with 3 s of silence between, so each span is one passage of speech and the specs run in seconds.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class SplitEpisodeSpecs
{
    private static readonly Dictionary<string, string?> RealModel = new() { ["WHISPER_MODEL"] = Paths.RealModel, ["WHISPER_THREADS"] = "1" };

    private sealed record Setup(Fleet Fleet, Episode Episode, string Audio, IReadOnlyDictionary<string, NodeProcess> Nodes);

    private static async Task<Setup> StartAsync(string remoteTimeoutMinutes = "5")
    {
        var fleet = Fleet.Create();
        var audio = await TestAudio.JfkThreeTimesAsync(fleet.Dir);
        var episode = fleet.AddEpisodes(1, audio, "Split Talks")[0];
        foreach (var (key, value) in RealModel)
            fleet.ServerEnvironment[key] = value;
        fleet.ServerEnvironment["SPLIT_MIN_MINUTES"] = "0.1";
        fleet.ServerEnvironment["REMOTE_JOB_TIMEOUT_MINUTES"] = remoteTimeoutMinutes;
        await fleet.StartServerAsync();
        var nodes = new Dictionary<string, NodeProcess>();
        foreach (var name in new[] { "span-a", "span-b" })
        {
            var node = await fleet.StartNodeAsync(name, RealModel);
            nodes[$"node:{Fleet.NodeIdOf(node)}"] = node;
        }
        // Both nodes parked in a claim (idle): only then is there someone besides the claimer to take a span.
        await fleet.WaitForAsync(
            () => fleet.NodesAsync().Result.EnumerateArray().Count(n => n.GetProperty("status").GetString() == "online") == 2,
            "both nodes online"
        );
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new Setup(fleet, episode, audio, nodes);
    }

    /// <summary>The words `cast2md transcribe` finds in the whole file with the same model: what the split must reproduce.</summary>
    private static async Task<string> UnsplitWordsAsync(Setup setup)
    {
        var output = setup.Fleet.Dir.Combine("unsplit.json");
        var result = await Cast2mdBinary
            .Command(
                ["transcribe", setup.Audio, "--model", Paths.RealModel, "--output", output, "--format", "json"],
                new Dictionary<string, string?> { ["WHISPER_THREADS"] = "1", ["WHISPER_VAD"] = "false" }
            )
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardError);
        return WordsOf(output);
    }

    private static string SplitWords(Setup setup)
    {
        var markdown = setup.Fleet.Core.Episodes.Get(setup.Episode.Id)!.TranscriptPath!;
        return WordsOf(setup.Fleet.Core.Layout.Resolve(StorageLayout.SiblingTranscriptPath(markdown, TranscriptFormat.Json)));
    }

    private static string WordsOf(string jsonTranscript)
    {
        var document = JsonSerializer.Deserialize(File.ReadAllText(jsonTranscript), Json.Cast2mdJsonContext.Default.TranscriptJsonDocument)!;
        return Words.Normalize(string.Join(' ', document.Segments.Select(s => s.Text)));
    }

    private static List<Job> Spans(Fleet fleet, Job parent) =>
        [.. fleet.Core.Jobs.List(episodeId: parent.EpisodeId, limit: 1000).Where(j => j.ParentJobId == parent.Id).OrderBy(j => j.SpanStartMs)];

    [Fact(Timeout = 240_000)]
    public async Task A_long_episode_split_across_the_local_worker_and_two_nodes_yields_one_transcript_with_the_words_of_the_unsplit_one()
    {
        // Arrange
        var setup = await StartAsync();
        var fleet = setup.Fleet;
        await using var _ = fleet;
        var unsplit = await UnsplitWordsAsync(setup);

        // Act
        var parent = fleet.QueueTranscription(setup.Episode);
        await fleet.WaitForAsync(() => fleet.IsDone(parent), "the split transcription to complete", seconds: 180);

        // Assert: three spans, one per worker, cut in the silences; one transcript with the same words
        var spans = Spans(fleet, parent);
        Assert.Equal(3, fleet.Job(parent.Id).Spans);
        Assert.Equal(3, spans.Count);
        Assert.All(spans, s => Assert.Equal(JobStatus.Completed, s.Status));
        Assert.Equal(3, spans.Select(s => s.ClaimedBy).Distinct().Count());
        Assert.Contains(spans, s => s.ClaimedBy!.StartsWith("local:", StringComparison.Ordinal));
        Assert.InRange(spans[1].SpanStartMs!.Value, 11_000, 14_000);
        Assert.InRange(spans[2].SpanStartMs!.Value, 25_000, 28_000);
        var words = SplitWords(setup);
        Assert.Equal(unsplit, words);
        Assert.Equal(3, CountOf(words, "ask not what your country can do for you"));
        Assert.Single(fleet.FilesUnder("transcripts"), f => f.EndsWith(".md", StringComparison.Ordinal));
        Assert.StartsWith($"# {setup.Episode.Title}", fleet.TranscriptOf(setup.Episode.Id));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_node_killed_mid_span_has_its_span_retried_elsewhere_and_the_transcript_is_complete()
    {
        // Arrange: a dead node's lease runs out after 6 s
        var setup = await StartAsync(remoteTimeoutMinutes: "0.1");
        var fleet = setup.Fleet;
        await using var _ = fleet;
        var unsplit = await UnsplitWordsAsync(setup);
        var parent = fleet.QueueTranscription(setup.Episode);
        Job? held = null;
        await fleet.WaitForAsync(
            () =>
                (held = Spans(fleet, parent).FirstOrDefault(s => s.Status == JobStatus.Running && setup.Nodes.ContainsKey(s.ClaimedBy ?? "")))
                    is not null,
            "a node to hold a span",
            seconds: 60
        );
        var victim = held!.ClaimedBy!;

        // Act: kill -9 the node that holds it
        await setup.Nodes[victim].KillHardAsync();
        await fleet.WaitForAsync(() => fleet.IsDone(parent), "the split transcription to complete after the kill", seconds: 180);

        // Assert: the span was taken again by another worker once the lease ran out; the transcript has every word once
        var retried = fleet.Job(held.Id);
        Assert.Equal(JobStatus.Completed, retried.Status);
        Assert.NotEqual(victim, retried.ClaimedBy);
        Assert.Contains(fleet.Core.Jobs.History(retried.Id), h => h.Event == "lease_expired");
        Assert.Equal(unsplit, SplitWords(setup));
    }

    [Fact(Timeout = 240_000)]
    public async Task Cancelling_a_split_episode_stops_every_span_and_stores_no_transcript()
    {
        // Arrange
        var setup = await StartAsync();
        var fleet = setup.Fleet;
        await using var _ = fleet;
        var parent = fleet.QueueTranscription(setup.Episode);
        await fleet.WaitForAsync(() => Spans(fleet, parent).Count(s => s.Status == JobStatus.Running) >= 2, "two spans to be running", seconds: 60);

        // Act
        using (var http = fleet.Server.Client())
            (await http.PostAsync($"/api/queue/{parent.Id}/cancel", null)).EnsureSuccessStatusCode();

        // Assert: every span cancelled with the episode's job; the workers let go, and nothing of theirs is stored later
        Assert.Equal(JobStatus.Cancelled, fleet.Job(parent.Id).Status);
        Assert.All(Spans(fleet, parent), s => Assert.Equal(JobStatus.Cancelled, s.Status));
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.All(Spans(fleet, parent), s => Assert.Equal(JobStatus.Cancelled, s.Status));
        Assert.Empty(fleet.Core.Jobs.List(JobStatus.Running, limit: 1000));
        Assert.Null(fleet.Core.Episodes.Get(setup.Episode.Id)!.TranscriptPath);
        Assert.Empty(fleet.FilesUnder("transcripts"));
        Assert.Equal(EpisodeStatus.AudioReady, fleet.Core.Episodes.Get(setup.Episode.Id)!.Status);
    }

    private static int CountOf(string text, string phrase) =>
        (text.Length - text.Replace(phrase, "", StringComparison.Ordinal).Length) / phrase.Length;
}
