using System.Net;
using System.Security.Cryptography;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Api;
using Xunit;

namespace Cast2md.Tests.Distributed;

public class NodeResultSpecs
{
    [Fact]
    public async Task I_get_the_audio_with_its_type_length_sha256_and_can_resume_it_with_a_range()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        var audio = await File.ReadAllBytesAsync(server.Core.Layout.Resolve(episode.AudioPath!));
        await node.ClaimAsync();

        // Act
        using var whole = await node.AudioAsync(job.Id);
        using var rest = await node.AudioAsync(job.Id, "bytes=2-");

        // Assert
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/mpeg", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(audio.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(audio)), whole.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal(audio, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(audio[2..], await rest.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_node_cannot_touch_another_nodes_job()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var a = await SimulatedNode.RegisterAsync(server.Http, "a");
        var b = await SimulatedNode.RegisterAsync(server.Http, "b");
        var (_, job) = server.QueueTranscription();
        await b.ClaimAsync();

        // Act: node A, with its own valid key, with and without B's lease token
        var responses = new[]
        {
            await a.AudioAsync(job.Id),
            await a.ProgressAsync(job.Id, 10),
            await a.CompleteAsync(job.Id),
            await a.JobCallAsync(job.Id, "complete", new { transcript_text = "stolen" }, token: b.Tokens[job.Id]),
            await a.FailAsync(job.Id, "sabotage"),
            await a.ReleaseAsync(job.Id),
        };

        // Assert
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("Job not assigned to this node", (await ApiServer.JsonAsync(responses[0])).GetProperty("detail").GetString());
        var held = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Running, $"node:{b.Id}"), (held.Status, held.ClaimedBy));
    }

    [Fact]
    public async Task A_completion_writes_the_transcript_with_the_episode_title_in_every_format()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription("The Big Interview");
        await node.ClaimAsync();

        // Act
        using var completion = await node.CompleteAsync(job.Id, "Hello from a node.");
        using var markdown = await server.GetAsync($"/api/episodes/{episode.Id}/transcript");
        using var srt = await server.GetAsync($"/api/episodes/{episode.Id}/transcript?format=srt");

        // Assert
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        var md = await markdown.Content.ReadAsStringAsync();
        Assert.StartsWith("# The Big Interview", md);
        Assert.Contains("Hello from a node.", md);
        Assert.Contains("00:00:01,500 --> 00:00:03,000", await srt.Content.ReadAsStringAsync());
        var stored = server.Core.Episodes.Get(episode.Id)!;
        Assert.Equal((EpisodeStatus.Completed, "tiny"), (stored.Status, stored.TranscriptModel));
        Assert.Equal(JobStatus.Completed, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact]
    public async Task Completing_twice_is_harmless_and_writes_no_second_transcript()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();
        using var first = await node.CompleteAsync(job.Id, "First upload.");
        var path = server.Core.Layout.Resolve(server.Core.Episodes.Get(episode.Id)!.TranscriptPath!);
        var written = File.GetLastWriteTimeUtc(path);

        // Act: the acknowledgement was lost, so the node sends it again
        using var again = await node.CompleteAsync(job.Id, "Second upload.");

        // Assert
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Job already completed", (await ApiServer.JsonAsync(again)).GetProperty("message").GetString());
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Contains("First upload.", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.md"));
    }

    [Fact]
    public async Task I_can_complete_with_plain_transcript_text_as_the_original_nodes_do()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();

        // Act: an original node sends no lease token either
        using var completion = await node.JobCallAsync(
            job.Id,
            "complete",
            new { transcript_text = "First paragraph.\n\nSecond paragraph.", whisper_model = "base" },
            token: null
        );

        // Assert
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        var md = await File.ReadAllTextAsync(server.Core.Layout.Resolve(server.Core.Episodes.Get(episode.Id)!.TranscriptPath!));
        Assert.Contains("First paragraph.", md);
        Assert.Contains("Second paragraph.", md);
    }

    [Fact]
    public async Task I_can_export_timed_cues_of_an_original_nodes_markdown_only_result()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();
        const string markdown =
            "*Language: de (98.7% confidence)*\n\n**[00:00]** Guten Tag.\n\n**[00:07]** Willkommen zur Sendung.\n\n**[01:02:03]** Bis bald.\n";

        // Act: what the original's worker sends (no title: its nodes write none)
        using var completion = await node.JobCallAsync(job.Id, "complete", new { transcript_text = markdown, whisper_model = "base" }, token: null);
        using var srt = await server.Http.GetAsync($"/api/episodes/{episode.Id}/transcript?format=srt");
        using var txt = await server.Http.GetAsync($"/api/episodes/{episode.Id}/transcript?format=txt");

        // Assert
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        var cues = await srt.Content.ReadAsStringAsync();
        Assert.Contains("00:00:00,000 --> 00:00:07,000\nGuten Tag.", cues.Replace("\r\n", "\n"));
        Assert.Contains("00:00:07,000 --> 01:02:03,000\nWillkommen zur Sendung.", cues.Replace("\r\n", "\n"));
        Assert.Contains("01:02:03,000 --> 01:02:08,000\nBis bald.", cues.Replace("\r\n", "\n"));
        Assert.DoesNotContain("**[", await txt.Content.ReadAsStringAsync());
        Assert.Equal("de", server.Core.Episodes.Get(episode.Id)!.TranscriptLanguage);
    }

    [Fact]
    public async Task A_completion_without_a_transcript_is_a_400_and_the_job_stays_held()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();

        // Act
        using var empty = await node.JobCallAsync(job.Id, "complete", new { whisper_model = "tiny" });
        using var broken = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/jobs/{job.Id}/complete")
            {
                Headers = { { "X-Transcriber-Key", node.ApiKey }, { "X-Lease-Token", node.Tokens[job.Id] } },
                Content = new StringContent("{\"transcript\": [", System.Text.Encoding.UTF8, "application/json"),
            }
        );

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(JobStatus.Running, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact]
    public async Task A_retryable_failure_leaves_the_episode_retryable_and_a_permanent_one_fails_it()
    {
        // Arrange: the original marked the episode failed on every failure, retryable or not
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (retryable, retryableJob) = server.QueueTranscription("GPU hiccup");
        var (broken, brokenJob) = server.QueueTranscription("Not audio at all");
        await node.ClaimAsync();
        await node.ClaimAsync();

        // Act
        using var transient = await node.FailAsync(retryableJob.Id, "CUDA out of memory");
        using var permanent = await node.FailAsync(brokenJob.Id, "Invalid data found when processing input", retry: false);

        // Assert
        Assert.Equal(HttpStatusCode.OK, transient.StatusCode);
        Assert.Equal(JobStatus.Queued, server.Core.Jobs.Get(retryableJob.Id)!.Status);
        Assert.Equal(EpisodeStatus.AudioReady, server.Core.Episodes.Get(retryable.Id)!.Status);
        Assert.Equal(JobStatus.Failed, server.Core.Jobs.Get(brokenJob.Id)!.Status);
        var failed = server.Core.Episodes.Get(broken.Id)!;
        Assert.Equal((EpisodeStatus.Failed, true), (failed.Status, failed.PermanentFailure));
    }

    [Fact]
    public async Task A_released_job_is_queued_again_at_once_without_using_an_attempt()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();

        // Act
        using var release = await node.ReleaseAsync(job.Id);
        using var again = await node.ReleaseAsync(job.Id);

        // Assert
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var queued = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Queued, 0, (string?)null), (queued.Status, queued.Attempts, queued.ClaimedBy));
        Assert.Equal(EpisodeStatus.AudioReady, server.Core.Episodes.Get(episode.Id)!.Status);
    }
}
