using System.Net;
using Cast2md.Queue;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class EpisodeApiSpecs
{
    [Fact(Timeout = 20000)]
    public async Task I_can_get_an_episode_with_every_field_in_snake_case_and_times_in_utc()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var published = new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);
        var episode = await server.GiveTranscriptAsync(server.AddEpisode(feed.Id, "Episode One", publishedAt: published));

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/episodes/{episode.Id}"));

        // Assert
        ApiAssert.Keys(
            json,
            "id",
            "feed_id",
            "guid",
            "title",
            "description",
            "audio_url",
            "duration_seconds",
            "published_at",
            "status",
            "audio_path",
            "transcript_path",
            "transcript_url",
            "transcript_source",
            "transcript_model",
            "error_message",
            "permanent_failure",
            "created_at",
            "updated_at"
        );
        Assert.Equal(feed.Id, json.GetProperty("feed_id").GetInt64());
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal(600, json.GetProperty("duration_seconds").GetDouble());
        Assert.Equal(published, ApiAssert.IsoUtc(json.GetProperty("published_at")));
        Assert.Equal("whisper", json.GetProperty("transcript_source").GetString());
        Assert.EndsWith(".md", json.GetProperty("transcript_path").GetString());
        ApiAssert.IsoUtc(json.GetProperty("created_at"));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.GetAsync("/api/episodes/999"), "Episode 999 not found");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_list_recent_episodes_across_feeds_with_their_feed_titles()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var alpha = server.AddFeed("Alpha");
        var beta = server.AddFeed("Beta");
        await server.GiveTranscriptAsync(server.AddEpisode(alpha.Id, "New in alpha", publishedAt: DateTimeOffset.UtcNow.AddDays(-1)));
        server.AddEpisode(beta.Id, "New in beta", publishedAt: DateTimeOffset.UtcNow.AddDays(-2));
        server.AddEpisode(beta.Id, "Old in beta", publishedAt: DateTimeOffset.UtcNow.AddDays(-30));

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/episodes/recent?days=7"));

        // Assert
        ApiAssert.Keys(json, "episodes", "total", "days");
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        Assert.Equal(7, json.GetProperty("days").GetInt32());
        var first = json.GetProperty("episodes")[0];
        ApiAssert.Keys(first, "id", "feed_id", "feed_title", "title", "description", "published_at", "status", "has_transcript");
        Assert.Equal("Alpha", first.GetProperty("feed_title").GetString());
        Assert.True(first.GetProperty("has_transcript").GetBoolean());
        Assert.False(json.GetProperty("episodes")[1].GetProperty("has_transcript").GetBoolean());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_list_episodes_in_a_state_after_a_watermark_and_in_the_order_I_ask()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var first = server.AddEpisode(feed.Id, "First");
        await Task.Delay(20);
        var second = server.AddEpisode(feed.Id, "Second");
        await server.GiveTranscriptAsync(server.AddEpisode(feed.Id, "Done"));
        var watermark = first.UpdatedAt.UtcDateTime.ToString("O");

        // Act
        var all = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/episodes/status/new"));
        var newest = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/episodes/status/new?order=updated_desc&limit=1"));
        var since = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.GetAsync($"/api/episodes/status/new?since={Uri.EscapeDataString(watermark)}&feed_id={feed.Id}")
        );

        // Assert
        Assert.Equal(["First", "Second"], all.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("title").GetString()));
        Assert.Equal(second.Id, Assert.Single(newest.GetProperty("episodes").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(second.Id, Assert.Single(since.GetProperty("episodes").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory(Timeout = 20000)]
    [InlineData("/api/episodes/status/bogus", "bogus")]
    [InlineData("/api/episodes/status/new?order=random", "random")]
    [InlineData("/api/episodes/status/new?since=yesterday", "since")]
    [InlineData("/api/episodes/recent?days=0", "days")]
    public async Task I_can_try_to_list_episodes_with_a_bad_filter_and_get_a_400(string path, string mentioned)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.GetAsync(path);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, response, mentioned);
    }

    [Theory(Timeout = 20000)]
    [InlineData(null, "text/markdown", ".md", "**[00:00]** Hello and welcome")]
    [InlineData("md", "text/markdown", ".md", "# Episode One")]
    [InlineData("txt", "text/plain", ".txt", "Hello and welcome")]
    [InlineData("srt", "application/x-subrip", ".srt", "00:00:02,500 --> 00:00:05,000")]
    [InlineData("vtt", "text/vtt", ".vtt", "WEBVTT")]
    [InlineData("json", "application/json", ".json", "\"start_ms\": 2500")]
    public async Task I_can_download_a_transcript_in_each_format_as_an_attachment_with_its_mime_type(
        string? format,
        string mime,
        string extension,
        string expected
    )
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = await server.GiveTranscriptAsync(server.AddEpisode(server.AddFeed().Id, "Episode One"));

        // Act
        var response = await server.GetAsync($"/api/episodes/{episode.Id}/transcript" + (format is null ? "" : $"?format={format}"));

        // Assert
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mime, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(
            extension,
            (response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName)?.Trim('"')
        );
        Assert.Contains(expected, body);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_download_a_transcript_that_is_missing_or_in_an_unknown_format_and_get_a_clear_error()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = server.AddEpisode(server.AddFeed().Id);

        // Act
        var none = await server.GetAsync($"/api/episodes/{episode.Id}/transcript");
        var unknownEpisode = await server.GetAsync("/api/episodes/999/transcript");
        var badFormat = await server.GetAsync($"/api/episodes/{episode.Id}/transcript?format=pdf");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, none, "no transcript");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, unknownEpisode);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badFormat, "pdf");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_delete_the_audio_of_a_transcribed_episode_but_not_of_one_without_a_transcript()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var transcribed = await server.GiveTranscriptAsync(server.GiveAudio(server.AddEpisode(feed.Id, "Transcribed")));
        var pending = server.GiveAudio(server.AddEpisode(feed.Id, "Pending"));
        var audio = server.Core.Layout.Resolve(transcribed.AudioPath!);

        // Act
        var deleted = await server.SendJsonAsync(HttpMethod.Delete, $"/api/episodes/{transcribed.Id}/audio");
        var refused = await server.SendJsonAsync(HttpMethod.Delete, $"/api/episodes/{pending.Id}/audio");

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, deleted);
        Assert.Contains("Deleted", json.GetProperty("message").GetString());
        Assert.False(File.Exists(audio));
        Assert.Null(server.Core.Episodes.Get(transcribed.Id)!.AudioPath);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, refused, "no transcript");
        Assert.True(File.Exists(server.Core.Layout.Resolve(pending.AudioPath!)));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_ask_for_a_download_and_get_a_queued_job_at_once_instead_of_waiting()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = server.AddEpisode(server.AddFeed().Id);

        // Act
        var response = await server.PostAsync($"/api/episodes/{episode.Id}/download");

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.Accepted, response);
        ApiAssert.Keys(json, "message", "job_id");
        var job = server.Core.Jobs.Get(json.GetProperty("job_id").GetInt64())!;
        Assert.Equal(JobType.Download, job.Type);
        Assert.Equal(JobStatus.Queued, job.Status);
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, await server.PostAsync($"/api/episodes/{episode.Id}/download"));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_ask_for_a_transcription_only_once_the_audio_is_there()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var withoutAudio = server.AddEpisode(feed.Id, "No audio");
        var withAudio = server.GiveAudio(server.AddEpisode(feed.Id, "Audio"));

        // Act
        var refused = await server.PostAsync($"/api/episodes/{withoutAudio.Id}/transcribe");
        var accepted = await server.PostAsync($"/api/episodes/{withAudio.Id}/transcribe?timestamps=true");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, refused, "not downloaded");
        var json = await ApiAssert.StatusAsync(HttpStatusCode.Accepted, accepted);
        Assert.Equal(JobType.Transcribe, server.Core.Jobs.Get(json.GetProperty("job_id").GetInt64())!.Type);
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.PostAsync("/api/episodes/999/transcribe"));
    }
}
