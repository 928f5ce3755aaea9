using System.Net;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class TranscriptSectionApiSpecs
{
    [Fact(Timeout = 20000)]
    public async Task I_can_read_a_section_of_a_transcript_with_timestamps()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Section Cast");
        var episode = server.AddEpisode(feed.Id, "Long talk", publishedAt: new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var transcript = new Transcript([
            new TranscriptSegment(0, 5_000, "Welcome."),
            new TranscriptSegment(65_000, 70_000, "A minute in."),
            new TranscriptSegment(3_725_000, 3_730_000, "Past the hour."),
        ])
        {
            Title = episode.Title,
            Model = "tiny",
        };
        var path = await server.Core.Transcripts.SaveAsync(episode, feed.Title, transcript, CancellationToken.None);
        server.Core.Episodes.SetTranscript(episode.Id, path, "whisper", "tiny", "en");

        // Act
        var first = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.GetAsync($"/api/episodes/{episode.Id}/transcript/section?start_time=0")
        );
        var late = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.GetAsync($"/api/episodes/{episode.Id}/transcript/section?start_time=3700&duration=60")
        );

        // Assert
        ApiAssert.Keys(first, "episode_id", "episode_title", "feed_title", "published_at", "time_range", "transcript");
        Assert.Equal(episode.Id, first.GetProperty("episode_id").GetInt64());
        Assert.Equal(("Long talk", "Section Cast"), (first.GetProperty("episode_title").GetString(), first.GetProperty("feed_title").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), ApiAssert.IsoUtc(first.GetProperty("published_at")));
        Assert.Equal("0s - 300s", first.GetProperty("time_range").GetString());
        Assert.Equal("[00:00] Welcome.\n[01:05] A minute in.\n", first.GetProperty("transcript").GetString());
        Assert.Equal("3700s - 3760s", late.GetProperty("time_range").GetString());
        Assert.Equal("[62:05] Past the hour.\n", late.GetProperty("transcript").GetString());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_not_read_a_section_without_a_transcript_a_start_time_or_an_episode()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var untranscribed = server.AddEpisode(feed.Id);

        // Act
        var noTranscript = await server.GetAsync($"/api/episodes/{untranscribed.Id}/transcript/section?start_time=0");
        var noStart = await server.GetAsync($"/api/episodes/{untranscribed.Id}/transcript/section");
        var badDuration = await server.GetAsync($"/api/episodes/{untranscribed.Id}/transcript/section?start_time=0&duration=0");
        var missing = await server.GetAsync("/api/episodes/999/transcript/section?start_time=0");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, noTranscript, "no transcript");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, noStart, "start_time");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badDuration, "duration");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Episode 999");
    }
}
