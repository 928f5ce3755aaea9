using System.Diagnostics;
using System.Text;
using Cast2md.Feeds;
using Xunit;
using Xunit.Abstractions;

namespace Cast2md.Tests.Feeds;

public class FeedPerformanceSpecs(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task I_can_parse_a_feed_with_5000_items()
    {
        // Arrange
        await Task.Yield();
        var bytes = Encoding.UTF8.GetBytes(FeedFixtures.LargeFeed(5000));
        FeedParser.Parse(FeedFixtures.LargeFeed(10)); // warm up the code paths so the timing is the parse
        var stopwatch = Stopwatch.StartNew();

        // Act
        var feed = FeedParser.Parse(new MemoryStream(bytes));

        // Assert
        stopwatch.Stop();
        output.WriteLine($"5,000 items ({bytes.Length / 1024} KiB) parsed in {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(5000, feed.Episodes.Count);
        Assert.Equal("guid-4999", feed.Episodes[^1].Guid);
        Assert.Equal("https://example.com/4999.vtt", feed.Episodes[^1].PreferredTranscript?.Url);
    }
}
