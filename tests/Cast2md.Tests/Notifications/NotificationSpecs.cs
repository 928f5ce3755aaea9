using System.Text.Json;
using Cast2md.Library;
using Cast2md.NodeRegistry;
using Cast2md.Notifications;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.Notifications;

/// <summary>Outcomes leave a notification in the outbox in their own transaction, and the sender delivers each one once to a real HTTP receiver.</summary>
public sealed class NotificationSpecs : IAsyncDisposable
{
    private const string Vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nThe publisher's words.\n";
    private const string Topic = "podcasts";

    private static readonly NotificationOptions Fast = new()
    {
        RetryBase = TimeSpan.FromMilliseconds(50),
        PollInterval = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private readonly TempDir _dir = TempDir.Create();
    private readonly FixtureServer _receiver = FixtureServer.Start();
    private readonly FixtureServer _publisher = FixtureServer.Start();
    private readonly Dictionary<string, string> _environment;
    private Cast2mdCore _core;
    private readonly long _feedId;

    public NotificationSpecs()
    {
        _environment = new(StringComparer.Ordinal)
        {
            ["NTFY_ENABLED"] = "true",
            ["NTFY_URL"] = _receiver.BaseUrl.ToString(),
            ["NTFY_TOPIC"] = Topic,
            ["WEBHOOK_URL"] = _receiver.Url("/hook").ToString(),
        };
        _receiver.Map("/" + Topic, FixtureResponse.Text("{\"id\":\"x\"}", "application/json"));
        _receiver.Map("/hook", FixtureResponse.Status(204));
        _publisher.MapText("/transcript.vtt", Vtt, "text/vtt");
        _core = Open();
        _feedId = _core.Feeds.Add("https://example.test/feed.xml", new FeedMetadata("Café Cast")).Id;
    }

    private Cast2mdCore Open() => Cast2mdCore.Open(_dir.Combine("data"), key => _environment.GetValueOrDefault(key));

    private NotificationDelivery Delivery(Cast2mdCore core) =>
        new(core.Notifications, new NotificationSender(new HttpClient(), core.Settings, Fast.RequestTimeout), NullLogger.Instance, Fast);

    private Episode AddEpisode(string title) =>
        _core.Episodes.Get(
            Assert.Single(
                _core.Episodes.Upsert(
                    _feedId,
                    [
                        new EpisodeMetadata(Guid.NewGuid().ToString("N"), title)
                        {
                            AudioUrl = "https://example.test/audio.mp3",
                            TranscriptUrl = _publisher.Url("/transcript.vtt").ToString(),
                            TranscriptType = "text/vtt",
                            PublishedAt = DateTimeOffset.UtcNow.AddDays(-1),
                        },
                    ]
                )
            )
        )!;

    private async Task CompleteTranscriptAsync(string title, string workerId)
    {
        var episode = AddEpisode(title);
        _core.Jobs.Enqueue(episode.Id, JobType.TranscriptDownload, actor: "spec");
        var (lease, result) = await ClaimedJob.HandleTranscriptDownloadAsync(_core, workerId);
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Complete(lease.Job.Id, lease.Token, workerId, result).Result);
    }

    private IReadOnlyList<FixtureRequest> Ntfy => _receiver.RequestsTo("/" + Topic);
    private IReadOnlyList<FixtureRequest> Webhook => _receiver.RequestsTo("/hook");

    [Fact(Timeout = 30000)]
    public async Task A_transcript_completed_by_a_local_worker_sends_one_ntfy_message_with_title_priority_and_tags_and_one_webhook()
    {
        // Arrange
        await CompleteTranscriptAsync("Ünïcode Episode", "local:transcript-1");

        // Act
        var delivered = await Delivery(_core).DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal(2, delivered);
        var ntfy = Assert.Single(Ntfy);
        Assert.Equal("POST", ntfy.Method);
        Assert.Equal("Transcript ready", ntfy.Header("Title"));
        Assert.Equal("default", ntfy.Header("Priority"));
        Assert.Contains("white_check_mark", ntfy.Header("Tags"));
        Assert.Contains("Ünïcode Episode", ntfy.BodyText);
        Assert.Contains("Café Cast", ntfy.BodyText);
        var hook = Assert.Single(Webhook);
        Assert.StartsWith("application/json", hook.Header("Content-Type"));
        using var json = JsonDocument.Parse(hook.BodyText);
        var body = json.RootElement;
        Assert.Equal("transcript_completed", body.GetProperty("event").GetString());
        Assert.Equal("Ünïcode Episode", body.GetProperty("episode_title").GetString());
        Assert.Equal(_feedId, body.GetProperty("feed_id").GetInt64());
        Assert.Equal("Café Cast", body.GetProperty("feed_title").GetString());
        Assert.Equal("local:transcript-1", body.GetProperty("worker").GetString());
        Assert.True(body.TryGetProperty("time", out _) && body.TryGetProperty("message", out _) && body.TryGetProperty("episode_id", out _));
        Assert.Equal(0, _core.Notifications.Pending());
    }

    [Fact(Timeout = 30000)]
    public async Task A_receiver_that_answers_503_gets_the_notification_once_after_a_retry()
    {
        // Arrange
        _environment.Remove("WEBHOOK_URL");
        _receiver.Once("/" + Topic, r => r.WithStatus(503));
        await CompleteTranscriptAsync("Retried", "local:transcript-1");
        using var stop = new CancellationTokenSource();

        // Act
        var run = Delivery(_core).RunAsync(stop.Token);
        await Eventually.TrueAsync(() => _core.Notifications.Pending() == 0, TimeSpan.FromSeconds(10), "the notification is delivered");
        await Task.Delay(300); // a few more rounds: nothing is sent again
        await stop.CancelAsync();
        await run;

        // Assert
        Assert.Equal(2, Ntfy.Count); // the 503 and the delivery
    }

    [Fact(Timeout = 30000)]
    public async Task A_delivered_notification_is_never_sent_again_by_a_restarted_sender()
    {
        // Arrange
        await CompleteTranscriptAsync("Once only", "local:transcript-1");
        Assert.Equal(2, await Delivery(_core).DeliverDueAsync(CancellationToken.None));

        // Act: another process opens the same data folder and runs its sender
        var restarted = Open();
        var again = await Delivery(restarted).DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, again);
        Assert.Single(Ntfy);
        Assert.Single(Webhook);
    }

    [Fact(Timeout = 30000)]
    public async Task A_transcript_from_a_node_is_notified_with_the_nodes_name()
    {
        // Arrange
        var (node, _) = _core.Nodes.Register(new NodeRegistration("gpu-box", null, "base", null, [], 10), TimeSpan.FromMinutes(1));

        // Act
        await CompleteTranscriptAsync("From a node", node.WorkerId);
        await Delivery(_core).DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Contains("on node gpu-box", Assert.Single(Ntfy).BodyText);
        using var json = JsonDocument.Parse(Assert.Single(Webhook).BodyText);
        Assert.Equal(node.WorkerId, json.RootElement.GetProperty("worker").GetString());
    }

    [Fact(Timeout = 30000)]
    public async Task A_download_failed_for_good_is_notified_and_a_failure_that_will_be_retried_is_not()
    {
        // Arrange
        var retried = AddEpisode("Flaky audio");
        var dead = AddEpisode("Dead audio");
        _core.Jobs.Enqueue(retried.Id, JobType.Download, actor: "spec");
        var first = _core.Jobs.TryClaim(JobType.Download, "local:download-1", TimeSpan.FromMinutes(1))!;
        _core.Outcomes.Fail(first.Job.Id, first.Token, "connection reset");
        _core.Jobs.Enqueue(dead.Id, JobType.Download, actor: "spec");
        var second = _core.Jobs.TryClaim(JobType.Download, "local:download-1", TimeSpan.FromMinutes(1))!;

        // Act
        _core.Outcomes.Fail(second.Job.Id, second.Token, "HTTP 404 from the publisher", permanent: true);
        await Delivery(_core).DeliverDueAsync(CancellationToken.None);

        // Assert
        var ntfy = Assert.Single(Ntfy);
        Assert.Equal(("Download failed", "high"), (ntfy.Header("Title"), ntfy.Header("Priority")));
        using var json = JsonDocument.Parse(Assert.Single(Webhook).BodyText);
        Assert.Equal("download_failed", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(dead.Id, json.RootElement.GetProperty("episode_id").GetInt64());
        Assert.Contains("HTTP 404", json.RootElement.GetProperty("message").GetString());
    }

    [Fact(Timeout = 30000)]
    public async Task A_transcription_whose_lease_expires_on_its_last_attempt_is_notified_once()
    {
        // Arrange: two attempts, each claimed with a lease that runs out at once (the worker died)
        _environment["MAX_RETRY_ATTEMPTS"] = "2";
        _core = Open();
        var episode = AddEpisode("Silent worker");
        _core.Jobs.Enqueue(episode.Id, JobType.Transcribe, actor: "spec");
        var first = _core.Jobs.TryClaim(JobType.Transcribe, "node:gone", TimeSpan.FromMilliseconds(1))!;
        await Task.Delay(20);
        var second = _core.Jobs.TryClaim(JobType.Transcribe, "node:gone", TimeSpan.FromMilliseconds(1))!; // reaps the first: requeued
        var afterFirstAttempt = _core.Notifications.Pending();
        await Task.Delay(20);

        // Act: the next claim reaps the last attempt, and later reaps find nothing more to fail
        var nothing = _core.Jobs.TryClaim(JobType.Transcribe, "local:transcribe-1", TimeSpan.FromMinutes(1));
        var reapedAgain = _core.Outcomes.ReapExpiredLeases();
        await Delivery(_core).DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Equal(0, afterFirstAttempt);
        Assert.Null(nothing);
        Assert.Equal(0, reapedAgain);
        Assert.Equal(JobStatus.Failed, _core.Jobs.Get(first.Job.Id)!.Status);
        var ntfy = Assert.Single(Ntfy);
        Assert.Equal("Transcription failed", ntfy.Header("Title"));
        using var json = JsonDocument.Parse(Assert.Single(Webhook).BodyText);
        Assert.Equal("transcription_failed", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(episode.Id, json.RootElement.GetProperty("episode_id").GetInt64());
        Assert.Equal("node:gone", json.RootElement.GetProperty("worker").GetString());
        Assert.Contains("lease expired", json.RootElement.GetProperty("message").GetString());
        Assert.Equal(0, _core.Notifications.Pending());
    }

    [Fact(Timeout = 30000)]
    public async Task A_download_reset_as_stuck_on_its_last_attempt_is_notified_once_with_its_silent_worker()
    {
        // Arrange
        _environment["MAX_RETRY_ATTEMPTS"] = "1";
        _core = Open();
        var episode = AddEpisode("Hung download");
        _core.Jobs.Enqueue(episode.Id, JobType.Download, actor: "spec");
        _core.Jobs.TryClaim(JobType.Download, "local:download-1", TimeSpan.FromMinutes(10));

        // Act
        var reset = _core.Outcomes.ResetStuck(DateTimeOffset.UtcNow.AddSeconds(1), "admin");
        var again = _core.Outcomes.ResetStuck(DateTimeOffset.UtcNow.AddSeconds(1), "admin");
        await Delivery(_core).DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal((0, 1), reset);
        Assert.Equal((0, 0), again);
        Assert.Equal("Download failed", Assert.Single(Ntfy).Header("Title"));
        using var json = JsonDocument.Parse(Assert.Single(Webhook).BodyText);
        Assert.Equal("download_failed", json.RootElement.GetProperty("event").GetString());
        Assert.Equal("local:download-1", json.RootElement.GetProperty("worker").GetString());
        Assert.Contains("stuck", json.RootElement.GetProperty("message").GetString());
    }

    [Fact(Timeout = 30000)]
    public async Task A_node_that_went_offline_is_notified_once_however_often_it_is_noticed()
    {
        // Arrange: the node last reported two minutes ago, with a one-minute timeout
        var (node, _) = _core.Nodes.Register(new NodeRegistration("laptop", null, "base", null, [], 10), TimeSpan.FromMinutes(1));
        NodeHeartbeats.Backdate(_core.Database.Path, node.Id, TimeSpan.FromMinutes(2));

        // Act
        var first = _core.Notifications.NodesOffline(TimeSpan.FromMinutes(1));
        var second = _core.Notifications.NodesOffline(TimeSpan.FromMinutes(1));
        await Delivery(_core).DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal((2, 0), (first, second));
        var ntfy = Assert.Single(Ntfy);
        Assert.Equal("Node offline", ntfy.Header("Title"));
        Assert.Contains("laptop", ntfy.BodyText);
    }

    [Fact(Timeout = 30000)]
    public async Task Nothing_is_queued_when_no_target_is_configured()
    {
        // Arrange
        _environment["NTFY_ENABLED"] = "false";
        _environment.Remove("WEBHOOK_URL");
        _core = Open();

        // Act
        await CompleteTranscriptAsync("Quiet", "local:transcript-1");

        // Assert
        Assert.Equal(0, _core.Notifications.Pending());
    }

    [Fact(Timeout = 30000)]
    public async Task A_notification_that_cannot_be_delivered_for_a_day_is_dropped()
    {
        // Arrange
        _environment.Remove("WEBHOOK_URL");
        _receiver.Map("/" + Topic, FixtureResponse.Status(503));
        await CompleteTranscriptAsync("Never reaches", "local:transcript-1");
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var delivery = new NotificationDelivery(
            _core.Notifications,
            new NotificationSender(new HttpClient(), _core.Settings),
            NullLogger.Instance,
            Fast,
            clock
        );

        // Act: one failed attempt is retried; the next one, a day later, fails too
        await delivery.DeliverDueAsync(CancellationToken.None);
        var afterFirst = _core.Notifications.Pending();
        clock.Advance(TimeSpan.FromDays(1));
        await Task.Delay(Fast.RetryBase * 3);
        await delivery.DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, afterFirst);
        Assert.Equal(2, Ntfy.Count);
        Assert.Equal(0, _core.Notifications.Pending());
    }

    [Fact(Timeout = 30000)]
    public async Task A_receiver_that_never_answers_is_given_up_on_after_the_timeout_and_retried_later()
    {
        // Arrange
        _environment.Remove("WEBHOOK_URL");
        _receiver.Map("/" + Topic, FixtureResponse.Text("late") with { StallsBeforeHeaders = true });
        await CompleteTranscriptAsync("Stalled", "local:transcript-1");
        var sender = new NotificationSender(new HttpClient(), _core.Settings, TimeSpan.FromMilliseconds(300));
        var delivery = new NotificationDelivery(_core.Notifications, sender, NullLogger.Instance, Fast);

        // Act
        var started = DateTimeOffset.UtcNow;
        var delivered = await delivery.DeliverDueAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, delivered);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal(1, _core.Notifications.Pending());
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _publisher.DisposeAsync();
        _dir.Dispose();
    }
}
