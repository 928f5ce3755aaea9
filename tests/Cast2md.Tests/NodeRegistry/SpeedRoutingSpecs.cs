using Cast2md.NodeRegistry;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.NodeRegistry;

/// <summary>Speed-aware routing: fast nodes get the longest episodes, slow nodes short ones; priority still comes first.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class SpeedRoutingSpecs
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static long EpisodeOf(TestDatabase db, double? minutes)
    {
        var episode = db.AddEpisode($"{minutes} min");
        using var connection = db.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE episodes SET duration_seconds = $seconds WHERE id = $id;";
        command.Parameters.AddWithValue("$seconds", minutes is { } m ? m * 60 : DBNull.Value);
        command.Parameters.AddWithValue("$id", episode);
        command.ExecuteNonQuery();
        return episode;
    }

    [Fact]
    public void The_fastest_node_sits_at_the_head_of_the_longest_first_list_and_slower_ones_further_down()
    {
        double[] fleet = [20, 10, 2];

        Assert.Equal(0, SpeedRouting.Position(20, fleet));
        Assert.Equal(1 / 3.0, SpeedRouting.Position(10, fleet));
        Assert.Equal(2 / 3.0, SpeedRouting.Position(2, fleet));
        Assert.Equal(0, SpeedRouting.Position(19.5, fleet)); // within 5 % of the fastest: as fast
    }

    [Fact]
    public void Without_two_known_speeds_the_queue_keeps_its_own_order()
    {
        Assert.Null(SpeedRouting.Position(null, [20.0, 10.0]));
        Assert.Null(SpeedRouting.Position(20, [20.0]));
    }

    [Fact]
    public void A_claim_at_the_head_of_the_longest_first_list_takes_the_longest_episode_and_one_further_down_a_shorter_one()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        var ten = store.Enqueue(EpisodeOf(db, 10), JobType.Transcribe).Job;
        var sixty = store.Enqueue(EpisodeOf(db, 60), JobType.Transcribe).Job;
        var thirty = store.Enqueue(EpisodeOf(db, 30), JobType.Transcribe).Job;
        var unknown = store.Enqueue(EpisodeOf(db, null), JobType.Transcribe).Job;

        // Act
        var fast = store.TryClaim(JobType.Transcribe, "node:fast", Lease, longestFirstAt: 0);
        var slow = store.TryClaim(JobType.Transcribe, "node:slow", Lease, longestFirstAt: 0.7);
        var next = store.TryClaim(JobType.Transcribe, "node:fast", Lease, longestFirstAt: 0);
        var last = store.TryClaim(JobType.Transcribe, "node:slow", Lease, longestFirstAt: 0.99);

        // Assert: 60, 30, 10, unknown longest first; 0.7 of the three left is the last (unknown counts as 0 s)
        Assert.Equal(sixty.Id, fast!.Job.Id);
        Assert.Equal(unknown.Id, slow!.Job.Id);
        Assert.Equal(thirty.Id, next!.Job.Id);
        Assert.Equal(ten.Id, last!.Job.Id);
    }

    [Fact]
    public void Priority_comes_before_length_whatever_the_node()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(EpisodeOf(db, 180), JobType.Transcribe, priority: 10);
        var urgent = store.Enqueue(EpisodeOf(db, 5), JobType.Transcribe, priority: 1).Job;

        // Act
        var lease = store.TryClaim(JobType.Transcribe, "node:fast", Lease, longestFirstAt: 0);

        // Assert
        Assert.Equal(urgent.Id, lease!.Job.Id);
    }

    [Fact]
    public async Task The_dispatcher_gives_the_longest_episode_to_the_node_that_reported_itself_fastest()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        var signal = new QueueSignal();
        await using var dispatcher = new NodeDispatcher(store, signal, NullLogger.Instance);
        dispatcher.Speeds.Record("node:fast", new Dictionary<string, double> { ["tiny"] = 24 });
        dispatcher.Speeds.Record("node:slow", new Dictionary<string, double> { ["tiny"] = 3 });
        var shortOne = store.Enqueue(EpisodeOf(db, 12), JobType.Transcribe).Job;
        var longOne = store.Enqueue(EpisodeOf(db, 150), JobType.Transcribe).Job;

        // Act: the slow node asks first
        var slow = await dispatcher.ClaimAsync(Node("node:slow"), Lease, TimeSpan.Zero, CancellationToken.None);
        var fast = await dispatcher.ClaimAsync(Node("node:fast"), Lease, TimeSpan.Zero, CancellationToken.None);

        // Assert
        Assert.Equal(shortOne.Id, slow!.Job.Id);
        Assert.Equal(longOne.Id, fast!.Job.Id);
    }

    [Fact]
    public void A_speed_report_is_forgotten_once_it_is_older_than_ten_minutes_and_nonsense_is_ignored()
    {
        // Arrange
        var clock = new ManualClock();
        var speeds = new NodeSpeeds(clock);

        // Act
        speeds.Record(
            "node:a",
            new Dictionary<string, double>
            {
                ["tiny"] = 8,
                ["base"] = 4,
                ["bad"] = double.NaN,
                [""] = 3,
            }
        );
        var fresh = (Tiny: speeds.Of("node:a", "tiny"), Mean: speeds.Of("node:a"));
        clock.Advance(TimeSpan.FromMinutes(11));

        // Assert
        Assert.Equal((8.0, 6.0), (fresh.Tiny, fresh.Mean));
        Assert.Null(speeds.Of("node:a"));
        Assert.Empty(speeds.Fleet());
    }

    private static TranscriberNode Node(string workerId) =>
        new(workerId["node:".Length..], workerId, null, "tiny", "whisper.cpp", [], 10, DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow);
}
