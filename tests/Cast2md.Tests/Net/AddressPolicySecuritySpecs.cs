using System.Collections.Concurrent;
using System.Net;
using Cast2md.Feeds.Fetching;
using Cast2md.Library;
using Cast2md.Net;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Net;

/// <summary>
/// Server-side request forgery: a URL from a feed may name, resolve to or redirect to an address inside the server's
/// network. No packet leaves loopback here: names "resolve" through a test resolver, and the connect step refuses
/// (and the spec fails) anything but loopback before a socket is opened.
/// </summary>
public sealed class AddressPolicySecuritySpecs
{
    private static readonly IPAddress Metadata = IPAddress.Parse("169.254.169.254");

    /// <summary>A policy whose names resolve from <paramref name="names"/> and which records every refused address.</summary>
    private static AddressPolicy Policy(ConcurrentBag<IPAddress> refused, Dictionary<string, IPAddress[]> names, bool allowPrivate = true) =>
        new()
        {
            AllowPrivate = allowPrivate,
            Resolve = (host, _) => Task.FromResult(names.TryGetValue(host, out var addresses) ? addresses : [IPAddress.Loopback]),
            OnRefused = (_, address) => refused.Add(address),
            Connect = async (addresses, port, cancellationToken) =>
            {
                Assert.All(addresses, a => Assert.True(IPAddress.IsLoopback(a), $"the policy let {a} through to the connect step"));
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync([.. addresses], port, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };

    [Fact(Timeout = 20000)]
    public async Task A_publisher_transcript_whose_host_resolves_to_the_metadata_address_is_refused_and_never_stored()
    {
        // Arrange
        using var dir = TempDir.Create();
        var refused = new ConcurrentBag<IPAddress>();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null, Policy(refused, new() { ["metadata.test"] = [Metadata] }));
        var feed = core.Feeds.Add("https://example.test/feed.xml", new FeedMetadata("Cast"));
        var episodeId = Assert.Single(
            core.Episodes.Upsert(
                feed.Id,
                [
                    new EpisodeMetadata("e1", "Episode")
                    {
                        AudioUrl = "https://example.test/a.mp3",
                        TranscriptUrl = "http://metadata.test/latest/meta-data/iam/security-credentials/",
                        TranscriptType = "text/plain",
                        PublishedAt = DateTimeOffset.UtcNow.AddDays(-30),
                    },
                ]
            )
        );
        core.Jobs.Enqueue(episodeId, JobType.TranscriptDownload);

        // Act: as the worker does, the handler's result (or failure) is committed through the outcomes.
        await ClaimedJob.RunTranscriptDownloadAsync(core);

        // Assert
        Assert.Equal([Metadata], refused);
        var episode = core.Episodes.Get(episodeId)!;
        Assert.Null(episode.TranscriptPath);
        Assert.Contains("169.254.169.254", episode.ErrorMessage);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact(Timeout = 20000)]
    public async Task A_redirect_to_the_metadata_address_is_refused_after_the_first_host_was_allowed()
    {
        // Arrange: a feed on loopback (allowed) that redirects to a name that resolves to 169.254.169.254
        await using var server = FixtureServer.Start();
        server.MapRedirect("/feed.xml", "http://metadata.test/latest/meta-data/");
        server.MapRedirect("/literal.xml", "http://169.254.169.254/latest/meta-data/");
        server.MapRedirect("/v6.xml", "http://[fd00:ec2::254]/latest/meta-data/");
        var refused = new ConcurrentBag<IPAddress>();
        using var http = Cast2mdHttp.CreateClient(
            new HttpClientOptions { AddressPolicy = Policy(refused, new() { ["metadata.test"] = [Metadata] }) }
        );
        var fetcher = new FeedFetcher(http);

        // Act
        var byName = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/feed.xml").ToString(), null, null));
        var byLiteral = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/literal.xml").ToString(), null, null));
        var byV6 = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/v6.xml").ToString(), null, null));

        // Assert
        Assert.Contains("metadata.test resolves to 169.254.169.254", byName.Message);
        Assert.Contains("169.254.169.254 is a link-local address", byLiteral.Message);
        Assert.Contains("cloud metadata", byV6.Message);
        Assert.True(byName.IsPermanent);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(3, refused.Count);
    }

    [Fact(Timeout = 20000)]
    public async Task A_name_with_a_metadata_and_a_loopback_address_connects_only_to_the_checked_loopback_one()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/feed.xml", "<rss/>", "application/rss+xml");
        var refused = new ConcurrentBag<IPAddress>();
        using var http = Cast2mdHttp.CreateClient(
            new HttpClientOptions { AddressPolicy = Policy(refused, new() { ["mixed.test"] = [Metadata, IPAddress.Loopback] }) }
        );

        // Act
        var body = await http.GetStringAsync($"http://mixed.test:{server.BaseUrl.Port}/feed.xml");

        // Assert
        Assert.Equal("<rss/>", body);
        Assert.Equal([Metadata], refused);
    }

    [Fact(Timeout = 20000)]
    public async Task With_private_feeds_turned_off_loopback_and_lan_addresses_are_refused_too()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/feed.xml", "<rss/>");
        var refused = new ConcurrentBag<IPAddress>();
        using var http = Cast2mdHttp.CreateClient(new HttpClientOptions { AddressPolicy = Policy(refused, [], allowPrivate: false) });

        // Act
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(server.Url("/feed.xml")));

        // Assert
        Assert.Contains("ALLOW_PRIVATE_FEEDS=false", ex.Message);
        Assert.Empty(server.Requests);
        Assert.Equal([IPAddress.Loopback], refused);
    }

    [Theory]
    [InlineData("169.254.169.254", true, "link-local")]
    [InlineData("169.254.0.1", true, "link-local")]
    [InlineData("fe80::1", true, "link-local")]
    [InlineData("fd00:ec2::254", true, "cloud metadata")]
    [InlineData("::ffff:169.254.169.254", true, "link-local")]
    [InlineData("100.100.100.200", true, "cloud metadata")]
    [InlineData("0.0.0.0", true, "not a unicast")]
    [InlineData("224.0.0.1", true, "not a unicast")]
    [InlineData("127.0.0.1", true, null)]
    [InlineData("192.168.1.10", true, null)]
    [InlineData("100.101.102.103", true, null)]
    [InlineData("93.184.216.34", true, null)]
    [InlineData("127.0.0.1", false, "private")]
    [InlineData("10.1.2.3", false, "private")]
    [InlineData("172.20.0.5", false, "private")]
    [InlineData("192.168.1.10", false, "private")]
    [InlineData("fd12:3456::1", false, "private")]
    [InlineData("::1", false, "private")]
    [InlineData("::ffff:10.0.0.1", false, "private")]
    [InlineData("172.32.0.1", false, null)]
    [InlineData("2606:4700::1111", false, null)]
    public void The_policy_refuses_link_local_and_metadata_always_and_private_networks_only_when_told(
        string address,
        bool allowPrivate,
        string? reason
    )
    {
        // Act
        var refusal = new AddressPolicy { AllowPrivate = allowPrivate }.Refusal(IPAddress.Parse(address));

        // Assert
        if (reason is null)
            Assert.Null(refusal);
        else
            Assert.Contains(reason, refusal);
    }
}
